#pragma once
// A reader, N workers and an ordered writer over a fixed ring of reusable items: the shape of every bulk
// scan (`sluice scan` over text chunks or JSONL lines, `sluice replay` over corpus records). The caller's
// thread produces items in order, `jobs` worker threads process them in any order (each with its own
// per-thread state, e.g. one scanner each over a shared ruleset), and one writer thread consumes them
// strictly in production order. At most `depth` items are alive at once and each is reused once the
// writer is done with it, so memory is bounded by depth times an item's size whatever the input's size,
// and buffers inside items stop allocating once they have grown.
//
// The engine owns this (and not the CLI or replay) because both of those use it and neither may see the
// other: replay depends on the engine only. Items are handed over under one mutex at item granularity
// (a chunk of about a MiB, a batch of lines), so the lock is taken a few thousand times per GB.
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace sluice::engine {

// The default worker count: the machine's hardware threads (at least one).
[[nodiscard]] inline std::size_t default_jobs() noexcept {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

// Runs the pipeline to the end of the input and returns when the writer has consumed every item.
//   produce(Item&) -> bool   on the calling thread: fill the item; false when the input has ended (the
//                            item is then unused).
//   work(std::size_t worker, Item&)   on worker `worker` in [0, jobs).
//   consume(Item&)           on the writer thread, in production order.
// The first exception any of them throws stops the pipeline (no further item is started) and is
// rethrown here once every thread has stopped.
template <class Item, class Produce, class Work, class Consume>
void run_ordered_pipeline(std::size_t jobs, std::size_t depth, Produce&& produce, Work&& work,
                          Consume&& consume) {
  jobs = jobs == 0 ? 1 : jobs;
  depth = depth < jobs + 1 ? jobs + 1 : depth;
  std::vector<Item> items(depth);
  std::vector<char> done(depth, 0);
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t produced = 0;  // items handed to the workers
  std::size_t claimed = 0;   // items a worker has taken
  std::size_t consumed = 0;  // items the writer has finished
  bool input_ended = false;
  bool failed = false;
  std::exception_ptr error;

  const auto fail = [&](std::exception_ptr e) {
    std::lock_guard lock(mutex);
    if (!error) {
      error = e;
    }
    failed = true;
    input_ended = true;
    changed.notify_all();
  };

  std::vector<std::thread> workers;
  workers.reserve(jobs);
  for (std::size_t w = 0; w < jobs; ++w) {
    workers.emplace_back([&, w] {
      for (;;) {
        std::size_t seq = 0;
        {
          std::unique_lock lock(mutex);
          changed.wait(lock, [&] { return failed || claimed < produced || input_ended; });
          if (failed || claimed == produced) {
            return;
          }
          seq = claimed++;
        }
        try {
          work(w, items[seq % depth]);
        } catch (...) {
          fail(std::current_exception());
          return;
        }
        std::lock_guard lock(mutex);
        done[seq % depth] = 1;
        changed.notify_all();
      }
    });
  }
  std::thread writer([&] {
    for (;;) {
      std::size_t seq = 0;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] {
          return failed || (consumed < produced && done[consumed % depth] != 0) ||
                 (input_ended && consumed == produced);
        });
        if (failed || consumed == produced) {
          return;
        }
        seq = consumed;
      }
      try {
        consume(items[seq % depth]);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      std::lock_guard lock(mutex);
      done[seq % depth] = 0;
      ++consumed;
      changed.notify_all();
    }
  });

  for (;;) {
    std::size_t slot = 0;
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return failed || produced - consumed < depth; });
      if (failed) {
        break;
      }
      slot = produced % depth;
    }
    bool more = false;
    try {
      more = produce(items[slot]);
    } catch (...) {
      fail(std::current_exception());
      break;
    }
    std::lock_guard lock(mutex);
    if (!more) {
      input_ended = true;
      changed.notify_all();
      break;
    }
    ++produced;
    changed.notify_all();
  }
  for (std::thread& t : workers) {
    t.join();
  }
  writer.join();
  if (error) {
    std::rethrow_exception(error);
  }
}

}  // namespace sluice::engine
