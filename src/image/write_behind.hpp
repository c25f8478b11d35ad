// Writing blocks behind the walk that makes them: the caller hands a finished block over and
// goes on making the next one while the block is compressed and stored on another thread. Blocks
// of a small budget hold one chunk or a few, so writing them one at a time compressed on one core
// (zstd took 1.6x as long at --memory 32 as at 256); several slots compress on several cores.
// Memory: one block per slot.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "ngff/store/bytes.hpp"

namespace ngff::image {

class WriteBehind {
 public:
  using Write = std::function<void(const Bytes&)>;

  explicit WriteBehind(size_t slots);
  // Waits for the writes under way and drops those not started, with their errors: the caller
  // is unwinding, or finish() has returned.
  ~WriteBehind();
  WriteBehind(const WriteBehind&) = delete;
  WriteBehind& operator=(const WriteBehind&) = delete;

  // Takes `block` for `write` on the next free slot, waiting for one, and leaves in `block` the
  // storage of a block written earlier (to be reused: its contents are stale). Rethrows the
  // error of an earlier write.
  void submit(Bytes& block, Write write);
  // Waits until every block handed over is written; rethrows the first error.
  void finish();

 private:
  enum class State { idle, queued, running };
  struct Slot {
    Bytes block;
    Write write;
    State state = State::idle;
  };
  void serve(size_t index);

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Slot> slots_;  // a slot's block and write are the caller's while idle, under the
                             // lock; its thread's while running
  bool stopping_ = false;
  std::exception_ptr error_;          // the first write's error
  std::vector<std::thread> threads_;  // one per slot, for the whole walk
};

}  // namespace ngff::image
