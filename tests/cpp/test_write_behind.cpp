// Blocks handed to WriteBehind are all written, each once with its own contents; the caller
// gets earlier blocks' storage back; a write's error reaches the caller; nothing hangs when the
// caller gives up half way.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>

#include "image/write_behind.hpp"

using namespace ngff;
using namespace ngff::image;

namespace {

Bytes block_of(int i, size_t size) {
  return Bytes(size, static_cast<std::byte>(i));
}
size_t size_of(int i) {
  return 1000 + 37 * static_cast<size_t>(i);
}

}  // namespace

TEST(WriteBehind, WritesEveryBlockWithItsOwnContents) {
  for (size_t slots : {size_t{1}, size_t{2}, size_t{4}}) {
    SCOPED_TRACE(std::to_string(slots) + " slots");
    std::mutex mutex;
    std::map<int, Bytes> written;
    WriteBehind writer(slots);
    for (int i = 0; i < 50; ++i) {
      Bytes block = block_of(i, size_of(i));
      const std::byte* handed = block.data();
      writer.submit(block, [&, i](const Bytes& b) {
        std::lock_guard lock(mutex);
        EXPECT_TRUE(written.emplace(i, b).second) << "block " << i << " written twice";
      });
      // What comes back is an earlier block's storage (or none), never the one handed over.
      EXPECT_TRUE(block.empty() || block.data() != handed);
    }
    writer.finish();
    ASSERT_EQ(written.size(), 50u);
    for (const auto& [i, b] : written) EXPECT_EQ(b, block_of(i, size_of(i))) << i;
  }
}

TEST(WriteBehind, AWriteErrorReachesTheCallerAtTheNextSubmitOrAtFinish) {
  for (int fail_at : {0, 3, 49}) {
    SCOPED_TRACE("write " + std::to_string(fail_at) + " fails");
    std::atomic<int> writes{0};
    auto run = [&] {
      WriteBehind writer(2);
      for (int i = 0; i < 50; ++i) {
        Bytes block = block_of(i, 100);
        writer.submit(block, [&, i](const Bytes&) {
          ++writes;
          if (i == fail_at) throw std::runtime_error("disk full at block " + std::to_string(i));
        });
      }
      writer.finish();
    };
    try {
      run();
      ADD_FAILURE() << "no error";
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), "disk full at block " + std::to_string(fail_at));
    }
    // The failing write ran (its message came back); blocks after it may have run or not: two
    // slots write out of order, and those still queued when the error came back are dropped.
    EXPECT_GE(writes.load(), 1);
  }
}

TEST(WriteBehind, ACallerThatGivesUpDoesNotWaitForBlocksNotStarted) {
  std::atomic<int> writes{0};
  try {
    WriteBehind writer(1);
    for (int i = 0; i < 3; ++i) {
      Bytes block = block_of(i, 10);
      writer.submit(block, [&](const Bytes&) { ++writes; });
    }
    throw std::runtime_error("the source failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_LE(writes.load(), 3);
}
