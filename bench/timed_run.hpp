// A time-bounded measurement inside Google Benchmark, for operations whose cost drifts while
// they run (fsync, network round trips). Google Benchmark sizes its run from the first short
// trials, and when the per-operation time grows later (an appended file's fsync slows down as
// the journal fills) it overshoots by 10x and more; here the wall-clock budget is a hard bound.
//
// Register with ->Iterations(1)->UseManualTime(): the one iteration is the whole timed run, so
// the "Time" column is the run's length; the numbers to read are the counters:
//   ops, ops_per_s, mean_us, p50_us, p99_us, max_us.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace caredesk::bench {

struct RunLimits {
  std::chrono::milliseconds budget{2000};  // stop starting new operations after this long
  std::int64_t max_ops = 1'000'000;        // and after this many (bounds memory for samples)
  std::int64_t min_ops = 0;  // but not before this many (slow operations: a few samples at least)
};

// Calls `op` until the budget or the count is used up. `op` returns false on failure, which
// ends the run and marks the benchmark as failed with `what`.
template <typename Op>
void TimedRun(benchmark::State& state, const RunLimits& limits, const std::string& what, Op op) {
  using Clock = std::chrono::steady_clock;
  constexpr std::size_t kSampleReserve = 1 << 16;
  constexpr double kP50 = 0.50;
  constexpr double kP99 = 0.99;
  std::vector<double> latencies_us;
  latencies_us.reserve(kSampleReserve);
  double elapsed_s = 0;
  bool failed = false;
  for (auto _ : state) {
    const auto begin = Clock::now();
    const auto deadline = begin + limits.budget;
    auto now = begin;
    while ((now < deadline || static_cast<std::int64_t>(latencies_us.size()) < limits.min_ops) &&
           static_cast<std::int64_t>(latencies_us.size()) < limits.max_ops) {
      if (!op()) {
        failed = true;
        break;
      }
      const auto after = Clock::now();
      latencies_us.push_back(std::chrono::duration<double, std::micro>(after - now).count());
      now = after;
    }
    if (failed) {
      state.SkipWithError(what.c_str());
      break;
    }
    elapsed_s = std::chrono::duration<double>(now - begin).count();
    state.SetIterationTime(elapsed_s);
  }
  if (failed || latencies_us.empty() || elapsed_s <= 0) {
    return;
  }
  const auto percentile = [&](double p) {
    const auto k = static_cast<std::size_t>(p * static_cast<double>(latencies_us.size() - 1));
    std::nth_element(latencies_us.begin(), latencies_us.begin() + static_cast<std::ptrdiff_t>(k),
                     latencies_us.end());
    return latencies_us[k];
  };
  const auto n = static_cast<double>(latencies_us.size());
  state.counters["ops"] = n;
  state.counters["ops_per_s"] = n / elapsed_s;
  state.counters["mean_us"] = elapsed_s * 1e6 / n;
  state.counters["max_us"] = *std::max_element(latencies_us.begin(), latencies_us.end());
  state.counters["p50_us"] = percentile(kP50);
  state.counters["p99_us"] = percentile(kP99);
}

}  // namespace caredesk::bench
