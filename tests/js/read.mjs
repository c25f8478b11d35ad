// Reads Zarr nodes (v2 or v3, arrays or groups) on disk with zarrita, for
// tests/python/test_zarrita_interop.py.
// Usage: node read.mjs OUT.json NODE [--region REGION ...] [NODE [--region REGION ...] ...]
//
// NODE is a node's folder; REGION is "start:stop,start:stop,...". OUT.json gets one result per
// NODE, in order: {"kind", "attrs"} and, for an array, its "shape", "dtype", "chunks",
// "fill_value" and "dimension_names" as zarrita sees them, and "reads": the whole array first,
// then each REGION, each as {"region", "shape", "file"}, the file (OUT.json's name + ".N.M.bin")
// holding the voxels as raw little-endian C-order bytes. Any error: one line on stderr, exit 1.
import { writeFileSync } from "node:fs";
import { endianness } from "node:os";
import FileSystemStore from "@zarrita/storage/fs";
import * as zarr from "zarrita";

// JSON with NaN and the infinities as the strings Zarr uses and big integers written exactly.
function toJson(value) {
  const text = JSON.stringify(value, (_key, v) => {
    if (typeof v === "bigint") return `__bigint:${v}`;
    if (typeof v === "number" && !Number.isFinite(v)) {
      return Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    }
    return v;
  });
  return text.replace(/"__bigint:(-?\d+)"/g, "$1");
}

const parseRegion = (text) => text.split(",").map((part) => part.split(":").map(Number));

// The bytes of a chunk ({data, shape, stride}) in C order. zarrita returns arrays in their
// stored order (F for a v2 order "F" or a v3 transpose), so the strides are followed here.
function cOrderBytes({ data, shape, stride }) {
  const size = data.BYTES_PER_ELEMENT;
  const src = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const count = shape.reduce((a, b) => a * b, 1);
  const cStride = zarr._zarrita_internal_getStrides(shape, "C");
  if (stride.every((s, i) => s === cStride[i] || shape[i] === 1)) {
    return src.subarray(0, count * size);
  }
  const out = new Uint8Array(count * size);
  const index = new Array(shape.length).fill(0);
  for (let n = 0; n < count; n++) {
    const from = index.reduce((acc, k, d) => acc + k * stride[d], 0) * size;
    out.set(src.subarray(from, from + size), n * size);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

async function readNode(node, regions, out) {
  const opened = await zarr.open(new FileSystemStore(node));
  const result = { kind: opened.kind, attrs: opened.attrs };
  if (opened.kind !== "array") return result;
  Object.assign(result, {
    shape: opened.shape, dtype: opened.dtype, chunks: opened.chunks,
    fill_value: opened.fillValue, dimension_names: opened.dimensionNames ?? null, reads: [],
  });
  for (const [i, region] of [null, ...regions.map(parseRegion)].entries()) {
    const selection = region && region.map(([start, stop]) => zarr.slice(start, stop));
    // zarr.get gives a 0-d array's value as a scalar; its one chunk keeps the bytes.
    const chunk = opened.shape.length === 0 ? await opened.getChunk([])
                                            : await zarr.get(opened, selection);
    const file = `${out}.${i}.bin`;
    writeFileSync(file, cOrderBytes(chunk));
    result.reads.push({ region, shape: chunk.shape, file });
  }
  return result;
}

async function main([out, ...args]) {
  if (!out || args.length === 0 || args[0] === "--region") {
    throw new Error("usage: node read.mjs OUT.json NODE [--region REGION ...] [NODE ...]");
  }
  if (endianness() !== "LE") throw new Error("raw bytes are host order: needs little endian");
  const nodes = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--region") nodes.at(-1).regions.push(args[++i]);
    else nodes.push({ node: args[i], regions: [] });
  }
  const results = [];
  for (const [n, { node, regions }] of nodes.entries()) {
    results.push(await readNode(node, regions, `${out}.${n}`));
  }
  writeFileSync(out, toJson(results));
}

main(process.argv.slice(2)).catch((err) => {
  const cause = err?.cause ? ` (cause: ${err.cause.message ?? err.cause})` : "";
  process.stderr.write(`read.mjs: ${err?.name ?? "Error"}: ${err?.message ?? err}${cause}\n`);
  process.exit(1);
});
