#include "http/metrics.hpp"

#include <gtest/gtest.h>

namespace caredesk::http {
namespace {

TEST(Metrics, RendersCountersHistogramsAndGauges) {
  Metrics m;
  m.Record("GET", "/api/v1/agencies/{id}", 200, std::chrono::milliseconds(3));
  m.Record("GET", "/api/v1/agencies/{id}", 200, std::chrono::milliseconds(300));
  m.Record("GET", "/api/v1/agencies/{id}", 404, std::chrono::milliseconds(1));
  m.AddGauge({"caredesk_db_pool_connections", "Pool use.", "state=\"in_use\"", [] { return 2.0; }});
  const auto text = m.RenderPrometheus();
  EXPECT_NE(text.find("caredesk_http_requests_total{method=\"GET\",route=\"/api/v1/agencies/{id}\","
                      "status=\"200\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("status=\"404\"} 1"), std::string::npos);
  // 3 ms and 1 ms fall in the 5 ms bucket, 300 ms does not.
  EXPECT_NE(text.find("route=\"/api/v1/agencies/{id}\",le=\"0.005\"} 2"), std::string::npos);
  EXPECT_NE(text.find("le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(
      text.find("caredesk_http_request_duration_seconds_count{route=\"/api/v1/agencies/{id}\"} 3"),
      std::string::npos);
  EXPECT_NE(text.find("caredesk_db_pool_connections{state=\"in_use\"} 2"), std::string::npos);
  EXPECT_NE(text.find("# TYPE caredesk_db_pool_connections gauge"), std::string::npos);
}

}  // namespace
}  // namespace caredesk::http
