// Undo on failure for operations that create a node: if the node did not exist before, an
// exception that escapes the operation erases whatever it wrote, so a failed conversion or
// write leaves nothing behind.
#pragma once

#include <string>

#include "ngff/store/store.hpp"

namespace ngff {

class RollbackGuard {
 public:
  // `existed`: whether a node was at `prefix` before (then nothing is erased on failure).
  RollbackGuard(Store& store, std::string prefix, bool existed)
      : store_(store), prefix_(std::move(prefix)), armed_(!existed) {}
  RollbackGuard(const RollbackGuard&) = delete;
  RollbackGuard& operator=(const RollbackGuard&) = delete;
  ~RollbackGuard() {
    if (!armed_ || committed_) return;
    try {
      store_.erase_prefix(prefix_);
    } catch (...) {
      // Best effort: the original error is what the caller must see.
    }
  }
  void commit() { committed_ = true; }

 private:
  Store& store_;
  std::string prefix_;
  bool armed_;
  bool committed_ = false;
};

}  // namespace ngff
