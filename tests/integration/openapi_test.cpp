// docs/openapi.json must describe every route the server registers.
#include <gtest/gtest.h>

#include <algorithm>

#include "http/json_io.hpp"
#include "tests/integration/test_app.hpp"

namespace caredesk::testing {
namespace {

using http::Json;

TEST(OpenApi, EveryRouteIsDocumentedAndTheDocumentIsServed) {
  TempDir dir;
  std::uint16_t port = 0;
  auto app = StartApp(TestConfig(storage::Backend::kSqlite, dir), &port);
  ASSERT_NE(app, nullptr);
  const auto served = Request(port, "GET", "/api/v1/openapi.json");
  ASSERT_EQ(served.status, 200);
  const Json doc = Json::parse(served.body, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << "docs/openapi.json is not valid JSON";
  EXPECT_EQ(doc["openapi"], "3.1.0");
  const auto& paths = doc["paths"];
  int checked = 0;
  for (const auto& route : app->router().Routes()) {
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    EXPECT_TRUE(paths.contains(route.path_template) && paths[route.path_template].contains(method))
        << route.method << " " << route.path_template << " is missing from docs/openapi.json";
    ++checked;
  }
  EXPECT_GE(checked, 10);
  // And nothing documented that the server does not serve.
  for (const auto& [path, ops] : paths.items()) {
    for (const auto& [method, _] : ops.items()) {
      std::string upper = method;
      std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
      const auto routes = app->router().Routes();
      const bool served_route = std::any_of(routes.begin(), routes.end(), [&](const auto& r) {
        return r.method == upper && r.path_template == path;
      });
      EXPECT_TRUE(served_route) << upper << " " << path << " is documented but not served";
    }
  }
}

}  // namespace
}  // namespace caredesk::testing
