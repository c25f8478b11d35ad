// The pyramid in one pass: level 0 and every level above it are written while the source is read
// once. Writing level by level reads each level back (decompressing it) to make the next; here
// the blocks of all levels share one block shape B (whole write units of level 0, a multiple of
// the factors), and a block of level k is the downsampling of its children, the at most
// prod(factors) blocks of level k-1 under it, made just before it (a depth-first walk from the
// coarsest level). One block per level is held, so memory is (levels + 2) blocks whatever the
// image's size: a piece of one, and the level-0 block being read ahead.
#include <algorithm>
#include <memory>
#include <numeric>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "image/pyramid_levels.hpp"
#include "image/read_ahead.hpp"
#include "image/write_behind.hpp"
#include "zarr/blocks.hpp"
#include "zarr/streaming_writer.hpp"

namespace ngff::image {
namespace {

// Blocks are made on one thread and freed on another, and chunks are encoded on every thread:
// glibc keeps the freed memory in its arenas, so the resident memory crept up over a run (peak
// 72 MiB for a 1 GiB stack, 82 MiB for 4 GiB, the live heap flat at 48 MiB). Handing the free
// pages back every few blocks keeps the peak at what is in use (65 and 68 MiB), at no
// measurable cost in time (paired runs: 0.96x and 1.06-1.12x, within this VM's noise).
void release_free_memory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

// Blocks written at once behind the walk: one compressing while the next is handed over, so
// that blocks of one chunk (a small budget) compress on two cores. Fixed, not one per core: on
// more cores the blocks hold more chunks (zarr::useful_block_budget), and each block's write
// compresses them on all cores.
constexpr size_t kWriteSlots = 2;

class OnePass {
 public:
  OnePass(const VoxelSource& source, const std::vector<zarr::Array>& levels, zarr::Shape factors,
          DownsampleMethod method, zarr::Shape block, bool write_level0, const BytesDone& report)
      : source_(source),
        levels_(levels),
        factors_(std::move(factors)),
        method_(method),
        block_(std::move(block)),
        write_level0_(write_level0),
        report_(report),
        blocks_(levels.size()),
        pieces_(levels.size()) {
    for (const auto& level : levels)
      writers_.push_back(std::make_unique<zarr::StreamingWriter>(level));
  }

  void run() {
    const size_t top = levels_.size() - 1;
    // The level-0 blocks in the order the walk needs them, read one ahead.
    std::vector<zarr::Region> order;
    for_each_top_block([&](const zarr::Shape& index) { list_level0(top, index, order); });
    ReadAhead reader(source_, std::move(order));
    WriteBehind writer(kWriteSlots);
    for_each_top_block([&](const zarr::Shape& index) {
      produce(top, index, reader, writer);
      write(top, index, writer);
    });
    writer.finish();
    for (auto& w : writers_) w->finish();
  }

 private:
  size_t rank() const { return block_.size(); }
  size_t element_size() const { return zarr::dtype_size(levels_[0].dtype()); }

  // The number of blocks of level k along each dimension.
  zarr::Shape grid(size_t k) const {
    zarr::Shape g(rank());
    const zarr::Shape& shape = levels_[k].shape();
    for (size_t d = 0; d < rank(); ++d) g[d] = (shape[d] + block_[d] - 1) / block_[d];
    return g;
  }

  template <typename F>
  void for_each_top_block(F&& f) const {
    zarr::for_each_block(grid(levels_.size() - 1), zarr::Shape(rank(), 1),
                         [&](const zarr::Region& index) { f(index.start); });
  }

  // Calls f(child) for the blocks of level k-1 under block `index` of level k, those that exist:
  // blocks index*f .. index*f + f - 1.
  template <typename F>
  void for_each_child(size_t k, const zarr::Shape& index, F&& f) const {
    const size_t n = rank();
    const zarr::Shape below = grid(k - 1);
    zarr::Shape first(n), count(n);
    for (size_t d = 0; d < n; ++d) {
      first[d] = index[d] * factors_[d];
      count[d] = std::min(factors_[d], below[d] - first[d]);
    }
    zarr::for_each_block(count, zarr::Shape(n, 1), [&](const zarr::Region& offset) {
      zarr::Shape child(n);
      for (size_t d = 0; d < n; ++d) child[d] = first[d] + offset.start[d];
      f(child);
    });
  }

  // Appends the level-0 blocks under block `index` of level k, in the order produce() reads them.
  void list_level0(size_t k, const zarr::Shape& index, std::vector<zarr::Region>& order) const {
    if (k == 0) {
      order.push_back(region(0, index));
      return;
    }
    for_each_child(k, index, [&](const zarr::Shape& child) { list_level0(k - 1, child, order); });
  }

  zarr::Region region(size_t k, const zarr::Shape& index) const {
    const zarr::Shape& shape = levels_[k].shape();
    zarr::Region r{zarr::Shape(rank()), zarr::Shape(rank())};
    for (size_t d = 0; d < rank(); ++d) {
      r.start[d] = index[d] * block_[d];
      r.shape[d] = std::min(block_[d], shape[d] - r.start[d]);
    }
    return r;
  }

  // Hands block `index` of level k, made in blocks_[k], to `writer` (blocks_[k] gets a stale
  // buffer back).
  void write(size_t k, const zarr::Shape& index, WriteBehind& writer) {
    if (k == 0 && !write_level0_) return;
    const size_t bytes = blocks_[k].size();
    writer.submit(blocks_[k], [this, k, r = region(k, index)](const Bytes& block) {
      writers_[k]->write(r, block.data());
    });
    if (report_) report_(bytes);
  }

  // Makes block `index` of level k in blocks_[k] (the caller writes it when it has used it);
  // level 0's blocks come from `reader`, in the order list_level0 gave it.
  void produce(size_t k, const zarr::Shape& index, ReadAhead& reader, WriteBehind& writer) {
    const size_t n = rank(), esize = element_size();
    const zarr::Region r = region(k, index);
    Bytes& out = blocks_[k];
    if (k == 0) {
      if (++level0_blocks_ % kTrimEvery == 0) release_free_memory();
      reader.next(out);
    } else {
      resize_for_overwrite(out, r.num_elements() * esize);
      // The block shape is a multiple of the factors, so each child makes a box of this block.
      for_each_child(k, index, [&](const zarr::Shape& child) {
        produce(k - 1, child, reader, writer);
        const zarr::Region in = region(k - 1, child);
        zarr::Region part{zarr::Shape(n), zarr::Shape(n)};
        for (size_t d = 0; d < n; ++d) {
          part.start[d] = in.start[d] / factors_[d];
          part.shape[d] =
              (in.start[d] + in.shape[d] + factors_[d] - 1) / factors_[d] - part.start[d];
        }
        Bytes& piece = pieces_[k];
        resize_for_overwrite(piece, part.num_elements() * esize);
        downsample_on_all_cores(blocks_[k - 1].data(), in, levels_[k - 1].shape(),
                                levels_[k].dtype(), factors_, method_, part, piece.data());
        zarr::Shape at(n);
        for (size_t d = 0; d < n; ++d) at[d] = part.start[d] - r.start[d];
        zarr::copy_box(piece.data(), part.shape, zarr::Shape(n, 0), out.data(), r.shape, at,
                       part.shape, esize);
        write(k - 1, child, writer);
      });
    }
  }

  const VoxelSource& source_;
  const std::vector<zarr::Array>& levels_;
  const zarr::Shape factors_;
  const DownsampleMethod method_;
  const zarr::Shape block_;
  const bool write_level0_;
  const BytesDone& report_;
  std::vector<Bytes> blocks_;  // per level, the block being made (and read by its parent)
  std::vector<Bytes> pieces_;  // per level, one child's downsampled box
  // Per level: blocks smaller than a shard are written as whole inner chunks to the shard's
  // temporary file, each shard stored when its last one arrives (the walk may keep many open:
  // they cost files, not memory; see zarr/streaming_writer.hpp).
  std::vector<std::unique_ptr<zarr::StreamingWriter>> writers_;
  // Freed pages are handed back every few level-0 blocks: each time costs re-faulting them.
  static constexpr uint64_t kTrimEvery = 4;
  uint64_t level0_blocks_ = 0;
};

// Whether `source` is known to leave regions at the fill value (its own writer skips them).
bool is_sparse(const VoxelSource& source) {
  auto stored = source.stored_boxes();
  if (!stored) return false;
  uint64_t covered = 0;  // the boxes are whole chunks, disjoint
  for (const auto& box : stored->boxes) covered += box.num_elements();
  return covered < zarr::product(source.shape());
}

}  // namespace

bool write_levels_in_one_pass(const VoxelSource& source, const std::vector<zarr::Array>& levels,
                              const zarr::Shape& factors, DownsampleMethod method, uint64_t budget,
                              bool write_level0, const BytesDone& report) {
  if (levels.empty() || (levels.size() == 1 && !write_level0)) return false;
  check_same_layout(source, levels[0]);
  const zarr::Shape halo = downsample_halo(factors, method);
  if (std::any_of(halo.begin(), halo.end(), [](uint64_t h) { return h != 0; })) return false;
  const zarr::Array& level0 = levels[0];
  const size_t n = level0.rank();
  const size_t esize = zarr::dtype_size(level0.dtype());
  // One block per level and one piece (and what encoding holds: each thread's chunk scratch),
  // the blocks being written behind, and the level-0 block being read ahead.
  const uint64_t budget_per_block = budget / (2 * levels.size() + kWriteSlots + 1);
  // Blocks of whole write units: chunks, or the inner chunks of shards.
  const zarr::Shape write_unit = zarr::StreamingWriter::write_unit(level0);
  zarr::Shape unit(n);
  for (size_t d = 0; d < n; ++d) unit[d] = std::lcm(write_unit[d], factors[d]);
  if (zarr::product(unit) * esize > budget_per_block) return false;
  // Blocks of whole source units (TIFF tiles or strips with all samples of their pixels, Zarr
  // chunks) decode each unit once; a tile under two blocks is decoded twice.
  const zarr::Shape source_chunk = source.preferred_block();
  unit = zarr::aligned_unit(unit, source_chunk, level0.shape(), esize, budget_per_block);
  const zarr::Shape block = zarr::block_shape(
      level0.shape(), unit, esize,
      zarr::useful_block_budget(budget_per_block, zarr::product(unit) * esize, kWriteSlots));
  if (source_chunk.size() == n && zarr::product(source_chunk) > zarr::product(block)) return false;
  if (is_sparse(source)) return false;
  OnePass(source, levels, factors, method, block, write_level0, report).run();
  return true;
}

void write_levels(const VoxelSource& source, const std::vector<zarr::Array>& levels,
                  const zarr::Shape& factors, DownsampleMethod method, uint64_t budget,
                  bool write_level0, const BytesDone& report) {
  if (write_levels_in_one_pass(source, levels, factors, method, budget, write_level0, report))
    return;
  if (write_level0) copy_to_array(source, levels[0], budget, report);
  for (size_t k = 1; k < levels.size(); ++k)
    downsample_array(levels[k - 1], levels[k], factors, method, budget, report);
}

}  // namespace ngff::image
