// Request metrics in Prometheus text format: counts per route and status,
// latency histograms per route, plus gauges that other parts register.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace caredesk::http {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

  // `route` must be a path template (bounded cardinality), never a raw path.
  void Record(const std::string& method, const std::string& route, int status,
              std::chrono::nanoseconds duration);

  // A value sampled when /metrics is read, e.g. database pool use.
  struct Gauge {
    std::string name;
    std::string help;
    std::string labels;  // e.g. state="in_use" (without braces), may be empty
    std::function<double()> sample;
  };
  void AddGauge(Gauge gauge);

  std::atomic<std::int64_t> open_connections{0};
  std::atomic<std::int64_t> in_flight{0};

  std::string RenderPrometheus() const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> counts_;  // guarded by mutex_
  std::map<std::string, Histogram> latency_;                                   // guarded by mutex_
  std::vector<Gauge> gauges_;                                                  // guarded by mutex_
};

}  // namespace caredesk::http
