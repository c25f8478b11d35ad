#include "image/write_behind.hpp"

#include <algorithm>

namespace ngff::image {

WriteBehind::WriteBehind(size_t slots) : slots_(std::max<size_t>(slots, 1)) {
  threads_.reserve(slots_.size());
  for (size_t i = 0; i < slots_.size(); ++i) threads_.emplace_back([this, i] { serve(i); });
}

WriteBehind::~WriteBehind() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& t : threads_) t.join();
}

void WriteBehind::serve(size_t index) {
  Slot& slot = slots_[index];
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || slot.state == State::queued; });
    if (stopping_) return;
    slot.state = State::running;
    lock.unlock();
    std::exception_ptr error;
    try {
      slot.write(slot.block);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (error && !error_) error_ = error;
    slot.write = nullptr;
    slot.state = State::idle;
    changed_.notify_all();
  }
}

void WriteBehind::submit(Bytes& block, Write write) {
  std::unique_lock lock(mutex_);
  auto free_slot = [&] {
    return std::find_if(slots_.begin(), slots_.end(),
                        [](const Slot& s) { return s.state == State::idle; });
  };
  changed_.wait(lock, [&] { return error_ || free_slot() != slots_.end(); });
  if (error_) std::rethrow_exception(error_);
  Slot& slot = *free_slot();
  std::swap(slot.block, block);
  slot.write = std::move(write);
  slot.state = State::queued;
  changed_.notify_all();
}

void WriteBehind::finish() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] {
    return std::all_of(slots_.begin(), slots_.end(),
                       [](const Slot& s) { return s.state == State::idle; });
  });
  if (error_) std::rethrow_exception(error_);
}

}  // namespace ngff::image
