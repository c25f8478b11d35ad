// ngff view: the page's logic. The server renders every tile (image::render); this script keeps
// the drawing settings (plane, channels, windows, labels) in the tile URLs and shows the
// physical scale and the cursor's physical coordinates.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { info: null, image: "", z: 0, t: 0, mip: false, channels: [], labels: "",
                opacity: 0.5 };
let viewer = null;

function query() {
  const on = state.channels.filter((c) => c.on);
  const p = new URLSearchParams({
    image: state.image, z: state.z, t: state.t, mip: state.mip ? 1 : 0,
    ch: on.map((c) => c.index).join(","),
    win: on.map((c) => `${c.index}:${c.start}:${c.end}`).join(";"),
    col: on.map((c) => `${c.index}:${c.color}`).join(";"),
    labels: state.labels, opacity: state.opacity,
  });
  return p.toString();
}

function tileSource(info) {
  const top = Math.ceil(Math.log2(Math.max(info.width, info.height)));
  return {
    width: info.width, height: info.height, tileSize: info.tile_size, tileOverlap: 0,
    minLevel: 0, maxLevel: top,
    getTileUrl: (level, x, y) => `/tile/${level}/${x}_${y}.png?${query()}`,
  };
}

// Re-requests every tile with the current settings, keeping the view.
function redraw() {
  if (viewer) viewer.open(tileSource(state.info));
}

function slider(name, axis) {
  const row = $(`${name}-row`), input = $(name);
  if (!axis || axis.size <= 1) { row.hidden = true; return; }
  row.hidden = false;
  input.max = axis.size - 1;
  input.value = state[name];
  $(`${name}-value`).textContent = `${state[name]} / ${axis.size - 1}`;
  input.oninput = () => {
    state[name] = Number(input.value);
    $(`${name}-value`).textContent = `${state[name]} / ${axis.size - 1}`;
    redraw();
  };
}

function channelControls(info) {
  const box = $("channels");
  box.innerHTML = "";
  state.channels = info.channels.map((c) => ({ index: c.index, on: c.active, color: c.color,
                                               start: c.start, end: c.end, label: c.label }));
  for (const c of state.channels) {
    const div = document.createElement("div");
    div.className = "channel";
    div.innerHTML = `<label><input type="checkbox" class="on"> <span class="name"></span>
      <input type="color" class="color"></label>
      <label>window <input type="number" class="start" step="any"> ..
      <input type="number" class="end" step="any"></label>`;
    div.querySelector(".name").textContent = c.label;
    const on = div.querySelector(".on"), color = div.querySelector(".color");
    const start = div.querySelector(".start"), end = div.querySelector(".end");
    on.checked = c.on;
    on.dataset.channel = c.index;
    color.value = `#${c.color.toLowerCase()}`;
    start.value = c.start;
    end.value = c.end;
    on.onchange = () => { c.on = on.checked; redraw(); };
    color.onchange = () => { c.color = color.value.slice(1).toUpperCase(); redraw(); };
    start.onchange = () => { c.start = Number(start.value); redraw(); };
    end.onchange = () => { c.end = Number(end.value); redraw(); };
    box.appendChild(div);
  }
}

function plateGrid(info) {
  const box = $("plate");
  if (!info.plate) { box.hidden = true; return; }
  box.hidden = false;
  const wells = new Map();
  for (const f of info.plate.fields) {
    const key = `${f.row},${f.column}`;
    if (!wells.has(key)) wells.set(key, f.path);  // a well shows its first field
  }
  let html = "<table><tr><th></th>";
  info.plate.columns.forEach((c) => { html += `<th>${c}</th>`; });
  html += "</tr>";
  info.plate.rows.forEach((r, ri) => {
    html += `<tr><th>${r}</th>`;
    info.plate.columns.forEach((c, ci) => {
      const path = wells.get(`${ri},${ci}`);
      html += path ? `<td class="well" data-path="${path}" title="${path}"></td>` : "<td></td>";
    });
    html += "</tr>";
  });
  box.innerHTML = html + "</table>";
  for (const td of box.querySelectorAll("td.well")) {
    td.classList.toggle("current", td.dataset.path === state.image);
    td.onclick = () => load(td.dataset.path);
  }
}

function niceLength(target) {
  const p = Math.pow(10, Math.floor(Math.log10(target)));
  for (const m of [1, 2, 5, 10]) if (m * p >= target) return m * p;
  return 10 * p;
}

// The scale bar (about 100 screen pixels of a round physical length) and the cursor position.
function updateScale() {
  const info = state.info;
  if (!viewer || !info || !info.x) return;
  const screenPerVoxel = viewer.viewport.viewportToImageZoom(viewer.viewport.getZoom(true));
  const perScreenPixel = info.x.scale / screenPerVoxel;
  const length = niceLength(100 * perScreenPixel);
  const bar = $("scalebar");
  bar.querySelector("div").style.width = `${length / perScreenPixel}px`;
  bar.querySelector("span").textContent = `${+length.toPrecision(3)} ${info.x.unit}`;
}

function updateCursor(event) {
  const info = state.info;
  if (!viewer || !info || !info.x || !info.y) return;
  const p = viewer.viewport.viewerElementToImageCoordinates(event.position);
  const x = info.x.origin + (p.x - 0.5) * info.x.scale;
  const y = info.y.origin + (p.y - 0.5) * info.y.scale;
  let text = `x ${x.toFixed(2)}  y ${y.toFixed(2)}`;
  if (info.z && !state.mip) text += `  z ${(info.z.origin + state.z * info.z.scale).toFixed(2)}`;
  $("cursor").textContent = `${text} ${info.x.unit}`;
}

async function load(image) {
  const response = await fetch(`/info.json?image=${encodeURIComponent(image)}`);
  if (!response.ok) { $("error").textContent = await response.text(); return; }
  const info = await response.json();
  state.info = info;
  state.image = info.image;
  state.z = info.z ? Math.floor(info.z.size / 2) : 0;
  state.t = 0;
  $("title").textContent = info.name;
  $("meta").textContent = `${info.width} x ${info.height} voxels, ${info.levels} levels` +
      (info.x ? `, ${info.x.scale} ${info.x.unit} per voxel` : "");
  slider("z", info.z);
  slider("t", info.t);
  $("mip-row").hidden = !info.z || info.z.size <= 1;
  $("mip").onchange = () => { state.mip = $("mip").checked; redraw(); };
  channelControls(info);
  const labels = $("labels");
  labels.innerHTML = '<option value="">none</option>';
  for (const name of info.labels) labels.add(new Option(name, name));
  labels.value = state.labels = "";
  labels.onchange = () => { state.labels = labels.value; redraw(); };
  $("opacity").oninput = () => { state.opacity = Number($("opacity").value); redraw(); };
  $("labels-section").hidden = info.labels.length === 0;
  plateGrid(info);
  if (!viewer) {
    viewer = OpenSeadragon({
      element: $("osd"), tileSources: tileSource(info), showNavigationControl: false,
      preserveViewport: true, drawer: "canvas", imageSmoothingEnabled: false,
      animationTime: 0.3, immediateRender: true, maxZoomPixelRatio: 8,
    });
    viewer.addHandler("animation", updateScale);
    viewer.addHandler("open", updateScale);
    new OpenSeadragon.MouseTracker({ element: viewer.container, moveHandler: updateCursor });
  } else {
    viewer.open(tileSource(info));
  }
}

// For tests and scripts: whether every tile of the current view has been drawn.
window.ngffView = {
  state, get viewer() { return viewer; }, redraw,
  idle() {
    const item = viewer && viewer.world.getItemAt(0);
    return !!item && item.getFullyLoaded() && viewer.imageLoader.jobsInProgress === 0;
  },
};

load(new URLSearchParams(location.search).get("image") || "").catch((e) => {
  $("error").textContent = String(e);
});
