// Never lose a case: the real `caredesk serve` process takes intakes from four clients at once
// and is killed with SIGKILL at a random moment, twenty times over, on SQLite and on
// PostgreSQL. Every case it acknowledged (201) must be there afterwards, whole (its summary, its
// consultation's notes, its follow-up), and SQLite's file must pass PRAGMA integrity_check.
// Then PostgreSQL itself is killed (SIGKILL to all its processes, a durable cluster of the
// test's own) under the same load while the app server stays up: requests in the outage get 503,
// the server writes again by itself after crash recovery, and nothing acknowledged is lost.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "tests/integration/test_app.hpp"
#include "tests/support/pg_cluster.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, for posix_spawn

namespace caredesk::testing {
namespace {

using http::Json;

using Clock = std::chrono::steady_clock;

constexpr int kKills = 20;
constexpr int kClients = 4;

// `caredesk serve` as a child process; its port read from what it prints.
class ServerProcess {
 public:
  ServerProcess(const std::string& db_url, const std::string& key_file, const std::string& log) {
    std::vector<std::string> args = {CAREDESK_BIN,          "serve",  "--database-url", db_url,
                                     "--key-file",          key_file, "--port",         "0",
                                     "--log-level",         "warn",   "--address",      "127.0.0.1",
                                     "--triage-model-file", ""};
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::array<int, 2> out{};
    EXPECT_EQ(pipe(out.data()), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    EXPECT_EQ(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    std::string printed;
    std::array<char, 256> buf{};
    while (printed.find("/ (Ctrl+C") == std::string::npos) {
      const auto n = read(out[0], buf.data(), buf.size());
      if (n <= 0) {
        break;
      }
      printed.append(buf.data(), static_cast<std::size_t>(n));
    }
    close(out[0]);
    const auto at = printed.find("127.0.0.1:");
    if (at != std::string::npos) {
      port_ = static_cast<std::uint16_t>(std::stoi(printed.substr(at + 10)));
    }
  }
  ~ServerProcess() { Kill(); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::uint16_t port() const { return port_; }
  void Kill() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

struct Acknowledged {
  std::int64_t id = 0;
  std::string summary;
  std::string notes;
};

class CrashTest : public ::testing::TestWithParam<storage::Backend> {};

TEST_P(CrashTest, EveryAcknowledgedCaseSurvivesTwentyKillNines) {
  TempDir dir;
  const app::Config config = TestConfig(GetParam(), dir);
  core::DongId dong = 0;
  {
    std::uint16_t port = 0;
    auto app = StartApp(config, &port);
    ASSERT_NE(app, nullptr);
    dong = app->storage().directory().EnsureDong(app->district().id, "서교동", "서교")->id;
    EnsureUser(*app, "kim", "counselor", dong);
    SignIn(port, "kim");  // the first password change, out of the way
    app->Stop();
  }

  std::mt19937 rng(20261201);
  std::uniform_int_distribution<int> wait_ms(150, 900);
  std::mutex mutex;
  std::vector<Acknowledged> acknowledged;
  int serial = 0;
  int killed_mid_request = 0;
  for (int round = 0; round < kKills; ++round) {
    ServerProcess server(config.storage.url, config.security.key_file, dir.File("server.log"));
    ASSERT_NE(server.port(), 0) << "round " << round << ": the server did not start";
    const Client kim = SignIn(server.port(), "kim", kChangedPassword, false);
    ASSERT_FALSE(kim.cookie.empty());
    std::atomic<bool> stop{false};
    std::atomic<int> in_flight_lost{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        while (!stop) {
          int n = 0;
          {
            std::lock_guard lock(mutex);
            n = ++serial;
          }
          const std::string summary = "층간소음 상담 " + std::to_string(n) + " (" +
                                      std::to_string(round) + "/" + std::to_string(c) + ")";
          const std::string notes = "밤마다 쿵쿵 소리 " + std::to_string(n);
          const auto r =
              kim.Post("/api/v1/cases", Json{{"channel", "phone"},
                                             {"dong_id", dong},
                                             {"primary_category", "neighbour_dispute"},
                                             {"summary", summary},
                                             {"consultation", {{"kind", "call"}, {"notes", notes}}},
                                             {"follow_up", {{"kind", "counseling"}}}}
                                            .dump());
          if (r.status == 201) {
            const auto id = Json::parse(r.body)["id"].get<std::int64_t>();
            std::lock_guard lock(mutex);
            acknowledged.push_back({id, summary, notes});
          } else if (r.status == 0) {
            ++in_flight_lost;  // killed before it answered: may or may not be stored
            return;            // the server is gone
          } else {
            ADD_FAILURE() << "unexpected answer " << r.status << " " << r.body;
            return;
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms(rng)));
    server.Kill();
    stop = true;
    for (auto& t : clients) {
      t.join();
    }
    killed_mid_request += in_flight_lost;
  }
  ASSERT_GT(acknowledged.size(), static_cast<std::size_t>(kKills)) << "too few writes to tell";

  auto app = app::App::Open(config, TestOpenOptions());
  ASSERT_TRUE(app.ok()) << app.error().message;
  auto& repo = (*app)->case_repository();
  for (const auto& a : acknowledged) {
    auto file = repo.GetCase((*app)->district().id, a.id);
    ASSERT_TRUE(file.ok()) << "acknowledged case " << a.id << " is lost";
    EXPECT_EQ(file->c.summary, a.summary);
    ASSERT_EQ(file->consultations.size(), 1U) << a.id;
    EXPECT_EQ(file->consultations[0].notes, a.notes);
    EXPECT_EQ(file->follow_ups.size(), 1U) << a.id;
  }
  // A request cut off by the kill left nothing half-written: every stored case is whole.
  auto stored = (*app)->storage().database().Transact(
      storage::sql::TxMode::kRead, [](storage::sql::Connection& c) {
        const auto r = c.Execute("SELECT id FROM cases", {});
        std::vector<std::int64_t> ids;
        for (std::size_t i = 0; i < r.size(); ++i) {
          ids.push_back(r.Int(i, 0));
        }
        return core::Result<std::vector<std::int64_t>>(ids);
      });
  ASSERT_TRUE(stored.ok());
  EXPECT_GE(stored->size(), acknowledged.size());
  EXPECT_LE(stored->size(), acknowledged.size() + static_cast<std::size_t>(killed_mid_request));
  for (const auto id : *stored) {
    auto file = repo.GetCase((*app)->district().id, id);
    ASSERT_TRUE(file.ok()) << id;
    EXPECT_EQ(file->consultations.size(), 1U) << id;
    EXPECT_EQ(file->follow_ups.size(), 1U) << id;
  }
  if (GetParam() == storage::Backend::kSqlite) {
    auto check = (*app)->storage().database().Transact(
        storage::sql::TxMode::kRead, [](storage::sql::Connection& c) {
          return core::Result<std::string>(c.Execute("PRAGMA integrity_check", {}).Text(0, 0));
        });
    ASSERT_TRUE(check.ok());
    EXPECT_EQ(*check, "ok");
  }
  // The access-record chain survived too.
  core::ChainVerifier verifier(*(*app)->crypto().digester);
  auto records = (*app)->access_log().ReadAfter(0, 1000000);
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(verifier.Feed(*records)) << verifier.report().problem;
  std::cout << "[ crash    ] " << BackendName(GetParam()) << ": " << kKills << " kills, "
            << acknowledged.size() << " acknowledged cases all present, " << killed_mid_request
            << " requests cut off unanswered (" << stored->size() - acknowledged.size()
            << " of them stored, whole)\n";
  (*app)->Stop();
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

constexpr int kPostgresCrashes = 5;
constexpr auto kRecoveryLimit = std::chrono::seconds(60);

TEST(PostgresCrashTest, EveryAcknowledgedCaseSurvivesPostgreSqlBeingKilledFiveTimes) {
  auto cluster = PgCluster::StartDurable();
  TempDir dir;
  app::Config config = TestConfig(storage::Backend::kPostgres, dir);
  config.storage.url = cluster->CreateDatabase();
  std::uint16_t port = 0;
  auto app = StartApp(config, &port);
  ASSERT_NE(app, nullptr);
  const auto dong = app->storage().directory().EnsureDong(app->district().id, "서교동", "서교");
  ASSERT_TRUE(dong.ok());
  EnsureUser(*app, "kim", "counselor", dong->id);
  const Client kim = SignIn(port, "kim");

  std::mt19937 rng(20261202);
  std::uniform_int_distribution<int> wait_ms(200, 800);
  std::mutex mutex;
  std::vector<Acknowledged> acknowledged;
  std::atomic<int> serial{0};
  std::atomic<int> refused{0};
  std::atomic<Clock::time_point::rep> last_ack{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      while (!stop) {
        const int n = ++serial;
        const std::string summary = "전기요금 체납 상담 " + std::to_string(n);
        const std::string notes = "단전 예고장 받음 " + std::to_string(n);
        const auto r =
            kim.Post("/api/v1/cases", Json{{"channel", "visit"},
                                           {"dong_id", dong->id},
                                           {"primary_category", "finance"},
                                           {"summary", summary},
                                           {"consultation", {{"kind", "visit"}, {"notes", notes}}},
                                           {"follow_up", {{"kind", "counseling"}}}}
                                          .dump());
        if (r.status == 201) {
          const auto id = Json::parse(r.body)["id"].get<std::int64_t>();
          std::lock_guard lock(mutex);
          acknowledged.push_back({id, summary, notes});
          last_ack = Clock::now().time_since_epoch().count();
        } else if (r.status == 503 && Json::parse(r.body)["error"]["code"] == "unavailable") {
          ++refused;  // the database is down: a clear error, the client may try again
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        } else {
          ADD_FAILURE() << "unexpected answer " << r.status << " " << r.body;
          return;
        }
      }
    });
  }
  int recovered = 0;
  for (int crash = 0; crash < kPostgresCrashes; ++crash) {
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms(rng)));
    ASSERT_TRUE(cluster->Crash()) << "PostgreSQL did not die";
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // requests meet the outage
    const auto restarted = Clock::now();
    cluster->Resume();  // crash recovery from the WAL
    while (Clock::now() - restarted < kRecoveryLimit &&
           Clock::time_point(Clock::duration(last_ack.load())) < restarted) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (Clock::time_point(Clock::duration(last_ack.load())) >= restarted) {
      ++recovered;
    }
  }
  stop = true;
  for (auto& t : clients) {
    t.join();
  }
  EXPECT_EQ(recovered, kPostgresCrashes) << "the server did not write again after a crash";
  EXPECT_GT(refused.load(), 0) << "no request met an outage";
  ASSERT_GT(acknowledged.size(), static_cast<std::size_t>(kPostgresCrashes));

  auto& repo = app->case_repository();
  for (const auto& a : acknowledged) {
    auto file = repo.GetCase(app->district().id, a.id);
    ASSERT_TRUE(file.ok()) << "acknowledged case " << a.id << " is lost";
    EXPECT_EQ(file->c.summary, a.summary);
    ASSERT_EQ(file->consultations.size(), 1U) << a.id;
    EXPECT_EQ(file->consultations[0].notes, a.notes);
    EXPECT_EQ(file->follow_ups.size(), 1U) << a.id;
  }
  core::ChainVerifier verifier(*app->crypto().digester);
  auto records = app->access_log().ReadAfter(0, 1000000);
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(verifier.Feed(*records)) << verifier.report().problem;
  std::cout << "[ crash    ] postgresql itself: " << kPostgresCrashes << " SIGKILLs, "
            << acknowledged.size() << " acknowledged cases all present, " << refused.load()
            << " requests refused with 503 during the outages\n";
  app->Stop();
}

}  // namespace
}  // namespace caredesk::testing
