#include "http/metrics.hpp"

#include <sstream>

namespace caredesk::http {
namespace {

// Escapes a label value for the exposition format.
std::string Escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

void Metrics::Record(const std::string& method, const std::string& route, int status,
                     std::chrono::nanoseconds duration) {
  const double seconds = std::chrono::duration<double>(duration).count();
  std::lock_guard lock(mutex_);
  ++counts_[{method, route, status}];
  auto& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
    }
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::AddGauge(Gauge gauge) {
  std::lock_guard lock(mutex_);
  gauges_.push_back(std::move(gauge));
}

std::string Metrics::RenderPrometheus() const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP caredesk_http_requests_total HTTP requests by method, route template and status.\n"
      << "# TYPE caredesk_http_requests_total counter\n";
  for (const auto& [key, n] : counts_) {
    const auto& [method, route, status] = key;
    out << "caredesk_http_requests_total{method=\"" << Escape(method) << "\",route=\""
        << Escape(route) << "\",status=\"" << status << "\"} " << n << "\n";
  }
  out << "# HELP caredesk_http_request_duration_seconds Time from request read to response ready.\n"
      << "# TYPE caredesk_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    const std::string label = "route=\"" + Escape(route) + "\"";
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out << "caredesk_http_request_duration_seconds_bucket{" << label << ",le=\"" << kBuckets[i]
          << "\"} " << h.buckets[i] << "\n";
    }
    out << "caredesk_http_request_duration_seconds_bucket{" << label << ",le=\"+Inf\"} " << h.count
        << "\n"
        << "caredesk_http_request_duration_seconds_sum{" << label << "} " << h.sum << "\n"
        << "caredesk_http_request_duration_seconds_count{" << label << "} " << h.count << "\n";
  }
  out << "# HELP caredesk_http_open_connections Client connections open now.\n"
      << "# TYPE caredesk_http_open_connections gauge\n"
      << "caredesk_http_open_connections " << open_connections.load() << "\n"
      << "# HELP caredesk_http_in_flight_requests Requests being handled now.\n"
      << "# TYPE caredesk_http_in_flight_requests gauge\n"
      << "caredesk_http_in_flight_requests " << in_flight.load() << "\n";
  std::string last_name;
  for (const auto& g : gauges_) {
    if (g.name != last_name) {
      out << "# HELP " << g.name << " " << g.help << "\n# TYPE " << g.name << " gauge\n";
      last_name = g.name;
    }
    out << g.name;
    if (!g.labels.empty()) {
      out << "{" << g.labels << "}";
    }
    out << " " << g.sample() << "\n";
  }
  return out.str();
}

}  // namespace caredesk::http
