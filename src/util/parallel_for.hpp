// parallel_for(n, body): body(i) for every i in [0, n) on all cores — oneTBB's parallel_for, in
// one place so that the ThreadSanitizer build can swap the scheduler.
//
// Under ThreadSanitizer (`make tsan`) the loop runs on plain std::threads instead: Debian's oneTBB
// is not instrumented, so TSan cannot see how it hands work and memory between its workers (and
// reports every hand-off), while std::thread is understood. The loop bodies — the chunk-parallel
// reads and writes, the sharding encoder, the pyramid kernels, the TIFF reader — then run truly
// concurrently under TSan, which checks them for races.
#pragma once

#include <cstddef>

#if defined(__SANITIZE_THREAD__)
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>
#else
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#endif

namespace ngff::detail {

template <typename Index, typename Body>
void parallel_for(Index n, Body&& body) {
#if defined(__SANITIZE_THREAD__)
  if (n == 0) return;
  const size_t workers = std::min<size_t>(static_cast<size_t>(n), 4);
  std::atomic<Index> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (Index i = next++; i < n; i = next++) {
      try {
        body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
#else
  tbb::parallel_for(Index{0}, n, [&](Index i) { body(i); });
#endif
}

// The same, isolated: a thread waiting here does not pick up an enclosing loop's task (whose
// thread-local scratch it may be holding). Plain threads never steal, so under TSan it is the same.
template <typename Index, typename Body>
void isolated_parallel_for(Index n, Body&& body) {
#if defined(__SANITIZE_THREAD__)
  parallel_for(n, body);
#else
  tbb::this_task_arena::isolate([&] { parallel_for(n, body); });
#endif
}

}  // namespace ngff::detail
