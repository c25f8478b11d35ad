// The browser half of tests/python/test_view.py: drives Debian's chromium (headless, through
// playwright-core) on a running `ngff view`, then prints one JSON line of what it saw.
// Usage: node browser.mjs BASE_URL OUT_DIR [CHROMIUM]
import { chromium } from "playwright-core";

const [base, outDir, executable = "/usr/bin/chromium"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: executable, headless: true,
  args: ["--no-sandbox", "--enable-unsafe-swiftshader", "--use-angle=swiftshader"],
});
const result = { requests: [], steps: [] };
try {
  // A 200 x 200 viewer beside the 280-pixel panel.
  const page = await browser.newPage({ viewport: { width: 480, height: 200 },
                                       deviceScaleFactor: 1 });
  page.on("request", (r) => result.requests.push(r.url()));
  page.on("pageerror", (e) => result.steps.push(`pageerror: ${e.message}`));
  const idle = () => page.waitForFunction(() => window.ngffView && window.ngffView.idle(),
                                          null, { timeout: 20000, polling: 100 });
  await page.goto(base);
  await idle();
  await page.screenshot({ path: `${outDir}/home.png` });
  result.steps.push("drawn");

  // Move z to 20, then switch channel 1 off.
  await page.$eval("#z", (el) => { el.value = 20; el.dispatchEvent(new Event("input")); });
  await page.waitForTimeout(200);
  await idle();
  await page.click('input.on[data-channel="1"]');
  await page.waitForTimeout(200);
  await idle();
  result.steps.push("z and channel");

  // Zoom in to one screen pixel per voxel with voxel (x0, y0) at the top-left corner.
  const view = await page.evaluate(() => {
    const v = window.ngffView.viewer, vp = v.viewport;
    const w = v.container.clientWidth, h = v.container.clientHeight;
    const x0 = 400, y0 = 300;
    vp.zoomTo(vp.imageToViewportZoom(1), null, true);
    vp.panTo(vp.imageToViewportCoordinates(new OpenSeadragon.Point(x0 + w / 2, y0 + h / 2)), true);
    const topLeft = vp.viewerElementToImageCoordinates(new OpenSeadragon.Point(0, 0));
    return { w, h, x0: topLeft.x, y0: topLeft.y, zoom: vp.viewportToImageZoom(vp.getZoom(true)) };
  });
  await page.waitForTimeout(300);
  await idle();
  // The picture alone: the scale bar and cursor read-out are drawn over it.
  await page.$eval("#stage", (el) => el.classList.add("bare"));
  await page.addStyleTag({ content: ".bare #scalebar, .bare #cursor { visibility: hidden; }" });
  await page.locator("#osd").screenshot({ path: `${outDir}/view.png` });
  await page.$eval("#stage", (el) => el.classList.remove("bare"));
  result.view = view;
  result.scalebar = await page.$eval("#scalebar span", (el) => el.textContent);
  await page.mouse.move(280 + 10, 20);  // voxel (410, 320)
  result.cursor = await page.$eval("#cursor", (el) => el.textContent);
  result.state = await page.evaluate(() => ({ z: window.ngffView.state.z,
    on: window.ngffView.state.channels.map((c) => c.on) }));
  result.steps.push("zoomed");
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
