// Two app servers on one PostgreSQL database behave as one system: a session made on one works
// on the other, concurrent intakes through both never share a case number, a stale edit made
// through one is refused by the other (412), and a daily job runs on one of them only. And when
// PostgreSQL goes away mid-run, requests get 503 with a clear error, nothing is half-written, and
// the servers recover by themselves once it is back.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "tests/integration/test_app.hpp"
#include "tests/support/pg_cluster.hpp"

namespace caredesk::testing {
namespace {

using http::Json;

Json Body(const HttpResult& r) { return Json::parse(r.body, nullptr, false); }

class SeveralServersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = TestConfig(storage::Backend::kPostgres, dir_);
    // A job of the test's own on both servers: each runs its runner's first tick at start.
    const auto probe = [this](app::App& app) {
      app.jobs().Add({"two_server_probe", std::chrono::hours(1), [this]() -> core::Status {
                        ++probe_runs_;
                        return {};
                      }});
    };
    a_ = StartApp(config_, &port_a_, probe);
    b_ = StartApp(config_, &port_b_, probe);
    ASSERT_NE(a_, nullptr);
    ASSERT_NE(b_, nullptr);
    dong_ = a_->storage().directory().EnsureDong(a_->district().id, "서교동", "서교")->id;
    EnsureUser(*a_, "kim", "counselor", dong_);
    EnsureUser(*a_, "park", "counselor", dong_);
  }

  static Json Intake(core::DongId dong, const std::string& summary) {
    return Json{{"channel", "visit"},
                {"dong_id", dong},
                {"primary_category", "housing"},
                {"summary", summary},
                {"follow_up", {{"kind", "counseling"}}}};
  }

  TempDir dir_;
  app::Config config_;
  std::unique_ptr<app::App> a_;
  std::unique_ptr<app::App> b_;
  std::uint16_t port_a_ = 0;
  std::uint16_t port_b_ = 0;
  core::DongId dong_ = 0;
  std::atomic<int> probe_runs_{0};
};

TEST_F(SeveralServersTest, TwoServersAreOneSystem) {
  // Signed in on A, working on B with the same cookie.
  Client kim_a = SignIn(port_a_, "kim");
  Client kim_b = kim_a;
  kim_b.port = port_b_;
  ASSERT_EQ(kim_b.Get("/api/v1/auth/me").status, 200);
  Client park_b = SignIn(port_b_, "park");
  Client park_a = park_b;
  park_a.port = port_a_;

  // Four clients, two per server, intake at once: every case number is unique.
  std::mutex mutex;
  std::vector<std::string> numbers;
  std::vector<std::thread> clients;
  for (const Client* c : {&kim_a, &kim_b, &park_a, &park_b}) {
    clients.emplace_back([&, c] {
      for (int i = 0; i < 15; ++i) {
        const auto r =
            c->Post("/api/v1/cases", Intake(dong_, "동시 접수 " + std::to_string(i)).dump());
        ASSERT_EQ(r.status, 201) << r.body;
        std::lock_guard lock(mutex);
        numbers.push_back(Body(r)["number"].get<std::string>());
      }
    });
  }
  for (auto& t : clients) {
    t.join();
  }
  ASSERT_EQ(numbers.size(), 60U);
  EXPECT_EQ(std::set<std::string>(numbers.begin(), numbers.end()).size(), 60U);

  // Optimistic concurrency across servers: both read version v; A saves first; B's save is stale.
  const auto created = Body(kim_a.Post("/api/v1/cases", Intake(dong_, "버전 충돌").dump()));
  const std::string path = "/api/v1/cases/" + std::to_string(created["id"].get<std::int64_t>());
  const auto version = Body(kim_b.Get(path))["version"].get<std::int64_t>();
  const auto patch = [&](const Client& c, const std::string& urgency) {
    auto headers = c.Headers();
    headers["If-Match"] = "\"" + std::to_string(version) + "\"";
    return Request(c.port, "PATCH", path, Json{{"urgency", urgency}}.dump(), "application/json",
                   headers);
  };
  EXPECT_EQ(patch(kim_a, "urgent").status, 200);
  const auto stale = patch(kim_b, "normal");
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(Body(kim_b.Get(path))["urgency"], "urgent");

  // A job runs once per interval across both servers: both ticked at start, and tick again.
  a_->jobs().Tick();
  b_->jobs().Tick();
  EXPECT_EQ(probe_runs_.load(), 1);
}

TEST_F(SeveralServersTest, ADatabaseOutageIsA503AndTheServersRecoverByThemselves) {
  Client kim = SignIn(port_a_, "kim");
  ASSERT_EQ(kim.Post("/api/v1/cases", Intake(dong_, "정전 전 접수").dump()).status, 201);
  auto& cluster = PgCluster::Shared();
  if (!cluster.Pause()) {
    GTEST_SKIP() << "CAREDESK_TEST_PG_URL: not our cluster to stop";
  }
  struct ResumeOnExit {
    PgCluster& c;
    ~ResumeOnExit() { c.Resume(); }
  };
  {
    ResumeOnExit resume{cluster};
    const auto r = kim.Post("/api/v1/cases", Intake(dong_, "정전 중 접수").dump());
    EXPECT_EQ(r.status, 503) << r.body;
    const Json e = Body(r)["error"];
    EXPECT_EQ(e["code"], "unavailable");
    EXPECT_FALSE(e["message_ko"].get<std::string>().empty());
    EXPECT_EQ(Request(port_b_, "GET", "/readyz").status, 503);
    EXPECT_EQ(Request(port_b_, "GET", "/healthz").status, 200);  // the process itself is fine
  }
  // Back: the next requests succeed without restarting anything.
  HttpResult after;
  for (int i = 0; i < 50; ++i) {
    after = kim.Post("/api/v1/cases", Intake(dong_, "복구 후 접수").dump());
    if (after.status == 201) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(after.status, 201) << after.body;
  EXPECT_EQ(Request(port_b_, "GET", "/readyz").status, 200);
  // Nothing of the refused intake was stored.
  const auto list = Body(kim.Get("/api/v1/cases?q="));
  int during = 0;
  for (const auto& c : list["items"]) {
    during += c["summary_excerpt"].get<std::string>().find("정전 중") != std::string::npos ? 1 : 0;
  }
  EXPECT_EQ(during, 0);
  EXPECT_EQ(list["items"].size(), 2U);
}

}  // namespace
}  // namespace caredesk::testing
