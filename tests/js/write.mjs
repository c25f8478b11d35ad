// Writes Zarr nodes with zarrita, for tests/python/test_zarrita_interop.py.
// Usage: node write.mjs ROOT SPEC.json
//
// SPEC.json is {"nodes": [NODE, ...]}, written in order below the folder ROOT, each NODE one of
//   {"path": "a/b", "group": {"attributes": {...}}}                   zarr.create
//   {"path": "a/b", "array": {OPTIONS}, "writes": [WRITE, ...]}       zarr.create + zarr.set
//   {"path": "a/b", "zarray": {...}, "zattrs": {...}, "writes": [WRITE, ...]}
// OPTIONS are zarr.create's (shape, chunkShape, dtype, codecs, fillValue, chunkSeparator,
// dimensionNames, attributes), fillValue as JSON gives it ("NaN" and the infinities as strings,
// 64-bit integers as numbers: zarr.create cannot serialise a BigInt fill value). zarrita has no
// API that creates Zarr v2 metadata (zarr.create writes zarr.json only), so for a "zarray" node
// this script writes .zarray (and .zattrs) itself, opens the array with zarr.open.v2 and writes
// its chunks with zarr.set. WRITE is {"region": [[start, stop], ...] or null (the whole array),
// "data": FILE}, FILE holding the region's voxels as raw little-endian C-order bytes.
// Any error: one line on stderr, exit 1.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { endianness } from "node:os";
import * as path from "node:path";
import FileSystemStore from "@zarrita/storage/fs";
import * as zarr from "zarrita";

const TYPED_ARRAYS = {
  bool: zarr.BoolArray, int8: Int8Array, int16: Int16Array, int32: Int32Array,
  int64: BigInt64Array, uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array,
  uint64: BigUint64Array, float32: Float32Array, float64: Float64Array,
};

function chunkFromFile(dtype, file, shape) {
  const Ctr = TYPED_ARRAYS[dtype];
  if (!Ctr) throw new Error(`no typed array for ${dtype}`);
  const bytes = readFileSync(file);
  // A copy, so that the typed array starts at offset 0 of its own buffer.
  const data = new Ctr(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (data.length !== shape.reduce((a, b) => a * b, 1)) {
    throw new Error(`${file} holds ${data.length} values, not ${shape.join(" x ")}`);
  }
  return { data, shape, stride: zarr._zarrita_internal_getStrides(shape, "C") };
}

async function writeNode(root, node) {
  const folder = path.join(root, node.path);
  const store = new FileSystemStore(folder);
  if (node.group) {
    await zarr.create(store, node.group);
    return;
  }
  let arr;
  if (node.array) {
    arr = await zarr.create(store, node.array);
  } else {
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, ".zarray"), JSON.stringify(node.zarray));
    if (node.zattrs) writeFileSync(path.join(folder, ".zattrs"), JSON.stringify(node.zattrs));
    arr = await zarr.open.v2(store, { kind: "array" });
  }
  for (const write of node.writes ?? []) {
    const region = write.region ?? arr.shape.map((n) => [0, n]);
    const selection = region.map(([start, stop]) => zarr.slice(start, stop));
    const shape = region.map(([start, stop]) => stop - start);
    await zarr.set(arr, selection, chunkFromFile(arr.dtype, write.data, shape));
  }
}

async function main([root, spec]) {
  if (!root || !spec) throw new Error("usage: node write.mjs ROOT SPEC.json");
  if (endianness() !== "LE") throw new Error("raw bytes are host order: needs little endian");
  for (const node of JSON.parse(readFileSync(spec, "utf8")).nodes) {
    await writeNode(root, node);
  }
}

main(process.argv.slice(2)).catch((err) => {
  const cause = err?.cause ? ` (cause: ${err.cause.message ?? err.cause})` : "";
  process.stderr.write(`write.mjs: ${err?.name ?? "Error"}: ${err?.message ?? err}${cause}\n`);
  process.exit(1);
});
