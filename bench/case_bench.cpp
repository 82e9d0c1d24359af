// Cases on both backends, through the real code:
//
//  * create_http/<backend>/c<N>: durable case creation over HTTP. The real App (App::Open +
//    StartServer on 127.0.0.1, port 0, default I/O and worker threads and pool) on SQLite (WAL, a
//    file on disk) with group commit (the default: `sqlite`) and with one fsync per commit
//    (`sqlite_full`, synchronous=FULL), and on PostgreSQL (the durable throw-away cluster of the
//    storage benchmark: fsync=on, synchronous_commit=on). N keep-alive client connections, each
//    signed in as its own counselor, POST /api/v1/cases for a fixed time: a walk-in with a new
//    resident, a consultation note and a follow-up, the text varied by the case generator. Each
//    such request is four write transactions (resident, its access record, case, its access
//    record) plus reads; compare with the bare single-row commit rate of caredesk_storage_bench.
//
//  * read/<backend>/<sealer>: CaseRepository::GetCase of random ids out of 10,000 cases, with the
//    real libsodium sealer and with a pass-through sealer that stores plaintext (PlaintextSealer),
//    both in the same database (two districts of the same size), one reader.
//
// Everything lives under $CAREDESK_BENCH_DIR (bench.sh sets it) or a new directory in /var/tmp;
// memory file systems are refused.
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/app.hpp"
#include "bench/case_data.hpp"
#include "bench/durable_pg_cluster.hpp"
#include "bench/timed_run.hpp"
#include "crypto/crypto.hpp"
#include "storage/postgres/pg_connection.hpp"
#include "storage/sql/sql_case_repository.hpp"

namespace {

namespace fs = std::filesystem;
namespace sql = caredesk::storage::sql;
namespace core = caredesk::core;
using caredesk::bench::DurablePgCluster;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kExitSetupFailed = 2;
constexpr mode_t kTraversableByOthers = 0711;  // the 'postgres' user must reach its data dir
constexpr auto kClientTimeout = std::chrono::seconds(10);
constexpr std::size_t kReadChunk = 16384;
constexpr int kMaxConnections = 64;
constexpr auto kCreateRun = std::chrono::seconds(5);
constexpr auto kCreateWarmUp = std::chrono::milliseconds(500);
constexpr std::int64_t kReadCases = 10000;
constexpr caredesk::bench::RunLimits kReadLimits{std::chrono::milliseconds(2000), 1'000'000};
constexpr char kInitialPassword[] = "Initial-Pass-2026";
constexpr char kPassword[] = "Changed-Pass-2026";
// Generator indexes of the HTTP bodies: far from the read sets' (0..kReadCases).
constexpr std::uint64_t kHttpFirstIndex = 50'000'000;

[[noreturn]] void Fail(const std::string& why) { throw std::runtime_error(why); }

template <typename T>
T Must(core::Result<T> r, const std::string& what) {
  if (!r.ok()) {
    Fail(what + ": " + r.error().message + " " + r.error().internal_detail);
  }
  return std::move(*r);
}

void Must(const core::Status& s, const std::string& what) {
  if (!s.ok()) {
    Fail(what + ": " + s.error().message + " " + s.error().internal_detail);
  }
}

// --- A blocking keep-alive HTTP/1.1 client; every read and write bounded by kClientTimeout ------

struct HttpResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;

  // The value of header `name` (lower case), or empty.
  std::string Header(std::string_view name) const {
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos && pos + 2 < head.size()) {
      const std::size_t start = pos + 2;
      const std::size_t end = head.find("\r\n", start);
      const std::string_view line(head.data() + start,
                                  (end == std::string::npos ? head.size() : end) - start);
      const std::size_t colon = line.find(':');
      if (colon == name.size() &&
          std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
            return a == std::tolower(static_cast<unsigned char>(b));
          })) {
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') {
          value.remove_prefix(1);
        }
        return std::string(value);
      }
      pos = end;
    }
    return {};
  }
};

class HttpConnection {
 public:
  explicit HttpConnection(std::uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) {
      return;
    }
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    timeval tv{};
    tv.tv_sec = std::chrono::duration_cast<std::chrono::seconds>(kClientTimeout).count();
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~HttpConnection() {
    if (fd_ >= 0) {
      close(fd_);
    }
  }
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  bool connected() const { return connected_; }

  // Sends one request and reads the whole response (framed by Content-Length); nullopt when the
  // connection failed or timed out.
  std::optional<HttpResponse> Send(std::string_view method, std::string_view target,
                                   std::string_view body, const std::string& cookie,
                                   const std::string& csrf) {
    std::string request;
    request.reserve(body.size() + 256);
    request.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (!body.empty()) {
      request.append("Content-Type: application/json\r\nContent-Length: ")
          .append(std::to_string(body.size()))
          .append("\r\n");
    }
    if (!cookie.empty()) {
      request.append("Cookie: ").append(cookie).append("\r\n");
    }
    if (!csrf.empty()) {
      request.append("X-CSRF-Token: ").append(csrf).append("\r\n");
    }
    request.append("\r\n").append(body);
    std::size_t sent = 0;
    while (sent < request.size()) {
      const ssize_t n = send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        return std::nullopt;
      }
      sent += static_cast<std::size_t>(n);
    }
    std::size_t header_end = std::string::npos;
    std::size_t total = 0;
    while (true) {
      if (header_end == std::string::npos) {
        header_end = buffer_.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          HttpResponse probe;
          probe.head = buffer_.substr(0, header_end);
          total =
              header_end + 4 + std::strtoull(probe.Header("content-length").c_str(), nullptr, 10);
        }
      }
      if (header_end != std::string::npos && buffer_.size() >= total) {
        break;
      }
      char chunk[kReadChunk];
      const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        return std::nullopt;
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
    HttpResponse r;
    r.head = buffer_.substr(0, header_end);
    r.body = buffer_.substr(header_end + 4, total - header_end - 4);
    buffer_.erase(0, total);
    constexpr std::size_t kStatusAt = 9;  // "HTTP/1.1 201"
    r.status = r.head.size() > kStatusAt ? std::atoi(r.head.c_str() + kStatusAt) : 0;
    return r;
  }

 private:
  int fd_;
  bool connected_ = false;
  std::string buffer_;
};

struct Session {
  std::string cookie;
  std::string csrf;
};

// Signs in over HTTP and replaces the initial password, as a counselor does on the first day.
Session SignIn(std::uint16_t port, const std::string& login) {
  HttpConnection conn(port);
  if (!conn.connected()) {
    Fail("cannot connect to the app");
  }
  const auto r = conn.Send("POST", "/api/v1/auth/login",
                           Json{{"login", login}, {"password", kInitialPassword}}.dump(), "", "");
  if (!r || r->status != 200) {
    Fail("sign-in of " + login + " failed: " + (r ? r->body : "no response"));
  }
  Session s;
  const std::string set_cookie = r->Header("set-cookie");
  s.cookie = set_cookie.substr(0, set_cookie.find(';'));
  const auto body = Json::parse(r->body);
  s.csrf = body.at("csrf_token").get<std::string>();
  if (body.at("must_change_password").get<bool>()) {
    const auto changed =
        conn.Send("POST", "/api/v1/auth/password",
                  Json{{"current_password", kInitialPassword}, {"new_password", kPassword}}.dump(),
                  s.cookie, s.csrf);
    if (!changed || changed->status != 204) {
      Fail("password change of " + login + " failed: " + (changed ? changed->body : "none"));
    }
  }
  return s;
}

// A walk-in: a new resident, a consultation note and a follow-up, text from the generator.
std::string WalkInBody(std::uint64_t index) {
  static const caredesk::bench::CaseTextGenerator kGenerator;
  const auto g = kGenerator.Make(index);
  Json consultation{{"kind", "visit"}, {"notes", g.notes}};
  if (!g.outcome.empty()) {
    consultation["outcome"] = g.outcome;
  }
  return Json{{"channel", "visit"},
              {"resident",
               {{"name", g.name},
                {"birth_date", g.birth_date},
                {"phone", g.phone},
                {"address", g.address},
                {"household", {{"living_alone", g.living_alone}, {"members", g.members}}}}},
              {"confirm_new_resident", true},
              {"primary_category", g.primary_category},
              {"secondary_categories", g.secondary_categories},
              {"urgency", std::string(core::Code(g.urgency))},
              {"summary", g.summary},
              {"consultation", consultation},
              {"follow_up", {{"kind", "counseling"}, {"note", g.follow_up_note}}}}
      .dump();
}

// --- Fixture -------------------------------------------------------------------------------------

struct BackendFixture {
  std::string name;  // "sqlite" / "sqlite_full" / "postgresql"
  caredesk::storage::Backend backend = caredesk::storage::Backend::kSqlite;
  caredesk::storage::SqliteSync sqlite_sync = caredesk::storage::SqliteSync::kGroup;

  // HTTP creation.
  std::unique_ptr<caredesk::app::App> app;
  std::uint16_t port = 0;
  std::vector<Session> sessions;  // one counselor per client connection
  std::atomic<std::uint64_t> next_index{kHttpFirstIndex};

  // Reads.
  std::unique_ptr<caredesk::storage::Storage> reads;
  std::unique_ptr<core::CaseRepository> sealed_repo;
  std::unique_ptr<core::CaseRepository> plain_repo;
  core::DistrictId sealed_district = 0;
  core::DistrictId plain_district = 0;
  std::vector<core::CaseId> sealed_ids;
  std::vector<core::CaseId> plain_ids;
  double load_seconds = 0;
};

struct Fixture {
  Fixture() = default;
  ~Fixture() {
    for (auto* b : {&sqlite, &sqlite_full, &postgres}) {
      b->app.reset();  // stops the server, closes the database
      b->sealed_repo.reset();
      b->plain_repo.reset();
      b->reads.reset();
    }
    pg.reset();  // stops the cluster and removes its directory
    std::error_code ec;
    if (owned_dir) {
      fs::remove_all(dir, ec);
    } else if (!dir.empty()) {
      for (const char* name : {"case_http.db", "case_http_full.db", "case_reads.db", "bench.key"}) {
        for (const char* suffix : {"", "-wal", "-shm"}) {
          fs::remove(dir / (std::string(name) + suffix), ec);
        }
      }
    }
  }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;

  fs::path dir;
  bool owned_dir = false;
  std::unique_ptr<DurablePgCluster> pg;
  caredesk::crypto::CryptoSuite crypto;
  caredesk::bench::PlaintextSealer plaintext;
  BackendFixture sqlite;
  BackendFixture sqlite_full;  // HTTP creation only
  BackendFixture postgres;
};

// postgresql://.../postgres -> postgresql://.../<database>, created.
std::string NewPgDatabase(const std::string& cluster_url, const std::string& database) {
  auto c = caredesk::storage::postgres::OpenPgConnection(cluster_url);
  c->ExecuteScript("CREATE DATABASE " + database);
  return cluster_url.substr(0, cluster_url.rfind('/') + 1) + database;
}

void SetUpHttp(Fixture* f, BackendFixture* b, const std::string& url) {
  caredesk::app::Config config;
  config.storage.url = url;
  config.storage.sqlite_sync = b->sqlite_sync;
  config.server.address = "127.0.0.1";
  config.server.port = 0;
  config.security.key_file = (f->dir / "bench.key").string();
  b->app =
      Must(caredesk::app::App::Open(config, {nullptr, caredesk::crypto::PasswordCost::Minimum()}),
           "cannot open the app on " + b->name);
  auto& app = *b->app;
  const auto district = app.district().id;
  const auto dongs = Must(caredesk::bench::EnsureMapoDongs(app.storage().directory(), district),
                          "cannot create the dongs");
  for (int i = 0; i < kMaxConnections; ++i) {
    const std::string login = "counselor" + std::to_string(i);
    if (!app.storage().users().FindByLogin(district, login).ok()) {
      core::NewUser input{login,        "상담사 " + std::to_string(i),
                          "counselor",  dongs[static_cast<std::size_t>(i) % dongs.size()],
                          std::nullopt, kInitialPassword};
      Must(app.auth().Bootstrap(input), "cannot create " + login);
    }
  }
  b->port = Must(app.StartServer(), "cannot start the server on " + b->name);
  for (int i = 0; i < kMaxConnections; ++i) {
    b->sessions.push_back(SignIn(b->port, "counselor" + std::to_string(i)));
  }
  // One request end to end before measuring anything.
  HttpConnection conn(b->port);
  const auto r = conn.Send("POST", "/api/v1/cases", WalkInBody(b->next_index++),
                           b->sessions[0].cookie, b->sessions[0].csrf);
  if (!r || r->status != 201) {
    Fail("POST /api/v1/cases on " + b->name + " failed: " + (r ? r->body : "no response"));
  }
}

void SetUpReads(Fixture* f, BackendFixture* b, const std::string& url, const std::string& target) {
  caredesk::storage::StorageConfig config;
  config.url = url;
  config.pool_size = 1;  // one reader
  std::vector<core::DongId> sealed_dongs;
  std::vector<core::DongId> plain_dongs;
  {
    auto setup = Must(caredesk::storage::Storage::Open(config), "cannot open " + url);
    Must(setup->Migrate(), "cannot migrate the read database");
    auto& directory = setup->directory();
    b->sealed_district = Must(directory.EnsureDistrict("sealed", "암호화구"), "district").id;
    b->plain_district = Must(directory.EnsureDistrict("plain", "평문구"), "district").id;
    sealed_dongs = Must(caredesk::bench::EnsureMapoDongs(directory, b->sealed_district), "dongs");
    plain_dongs = Must(caredesk::bench::EnsureMapoDongs(directory, b->plain_district), "dongs");
  }  // closed: the SQLite loader needs the file to itself

  // Both sets: the same generated cases (indexes 0..kReadCases-1), loaded through the real
  // repository, one with each sealer.
  const int threads = b->backend == caredesk::storage::Backend::kSqlite ? 1 : 3;
  auto loader =
      caredesk::bench::OpenLoaderDatabase(b->backend, target, static_cast<std::size_t>(threads));
  const auto begin = Clock::now();
  for (const bool sealed : {true, false}) {
    const core::Sealer& sealer =
        sealed ? *f->crypto.sealer : static_cast<const core::Sealer&>(f->plaintext);
    sql::SqlCaseRepository repo(*loader, sealer, *f->crypto.indexer);
    caredesk::bench::LoadPlan plan;
    plan.count = kReadCases;
    plan.threads = threads;
    caredesk::bench::LoadTarget load{repo, *loader, sealed ? b->sealed_district : b->plain_district,
                                     sealed ? sealed_dongs : plain_dongs,
                                     sealed ? &b->sealed_ids : &b->plain_ids};
    Must(caredesk::bench::LoadCases(load, plan), "cannot load the read set on " + b->name);
  }
  b->load_seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  loader.reset();
  if (b->backend == caredesk::storage::Backend::kPostgres) {
    // What autovacuum would do soon after such a load; done now, so that it does not run in the
    // middle of a measurement.
    caredesk::storage::postgres::OpenPgConnection(target)->ExecuteScript("VACUUM ANALYZE");
  }
  b->reads = Must(caredesk::storage::Storage::Open(config), "cannot open " + url);
  b->sealed_repo = b->reads->NewCaseRepository(*f->crypto.sealer, *f->crypto.indexer);
  b->plain_repo = b->reads->NewCaseRepository(f->plaintext, *f->crypto.indexer);

  // The two sides really differ in what is stored: ciphertext on one, the plaintext on the other.
  auto stored = b->reads->database().Transact(
      sql::TxMode::kRead, [&](sql::Connection& c) -> core::Result<std::vector<std::string>> {
        std::vector<std::string> out;
        for (const auto id : {b->sealed_ids.front(), b->plain_ids.front()}) {
          const auto r = c.Execute("SELECT summary_sealed FROM cases WHERE id = $1", {id});
          const auto* blob = std::get_if<sql::Blob>(&r.rows.at(0).at(0));
          out.emplace_back(blob == nullptr ? ""
                                           : std::string(blob->bytes.begin(), blob->bytes.end()));
        }
        return out;
      });
  // Every case read once before measuring, so both sides start from the same (warm) caches.
  for (const auto id : b->sealed_ids) {
    Must(b->sealed_repo->GetCase(b->sealed_district, id), "warm-up read");
  }
  for (const auto id : b->plain_ids) {
    Must(b->plain_repo->GetCase(b->plain_district, id), "warm-up read");
  }
  const auto sealed_case =
      Must(b->sealed_repo->GetCase(b->sealed_district, b->sealed_ids.front()), "read");
  const auto plain_case =
      Must(b->plain_repo->GetCase(b->plain_district, b->plain_ids.front()), "read");
  if (!stored.ok() || (*stored)[0] == sealed_case.c.summary ||
      (*stored)[1] != plain_case.c.summary || plain_case.c.summary.empty() ||
      sealed_case.c.summary.empty()) {
    Fail("the read sets on " + b->name + " are not stored as expected");
  }
}

void SetUp(Fixture* f) {
  if (const char* dir = std::getenv("CAREDESK_BENCH_DIR"); dir != nullptr && *dir != '\0') {
    f->dir = fs::absolute(dir);
    std::error_code ec;
    fs::create_directories(f->dir, ec);
  } else {
    char tmpl[] = "/var/tmp/caredesk-case-bench-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      Fail("mkdtemp in /var/tmp failed");
    }
    f->dir = tmpl;
    f->owned_dir = true;
  }
  chmod(f->dir.c_str(), kTraversableByOthers);
  benchmark::AddCustomContext("case_work_dir", f->dir.string());
  benchmark::AddCustomContext("case_filesystem",
                              caredesk::bench::RequireDiskFileSystem(f->dir.string()));
  const std::string key_file = (f->dir / "bench.key").string();
  Must(caredesk::crypto::GenerateKeyFile(key_file), "cannot make a key file");
  f->crypto =
      Must(caredesk::crypto::OpenCrypto(key_file, caredesk::crypto::PasswordCost::Minimum()),
           "cannot open the key file");

  f->sqlite.name = "sqlite";
  f->sqlite.backend = caredesk::storage::Backend::kSqlite;
  f->sqlite_full.name = "sqlite_full";
  f->sqlite_full.sqlite_sync = caredesk::storage::SqliteSync::kFull;
  f->postgres.name = "postgresql";
  f->postgres.backend = caredesk::storage::Backend::kPostgres;
  f->pg = DurablePgCluster::Start((f->dir / "case-pg").string());

  SetUpHttp(f, &f->sqlite, "sqlite://" + (f->dir / "case_http.db").string());
  SetUpHttp(f, &f->sqlite_full, "sqlite://" + (f->dir / "case_http_full.db").string());
  SetUpHttp(f, &f->postgres, NewPgDatabase(f->pg->url(), "case_http"));
  const std::string reads_db = (f->dir / "case_reads.db").string();
  SetUpReads(f, &f->sqlite, "sqlite://" + reads_db, reads_db);
  const std::string reads_url = NewPgDatabase(f->pg->url(), "case_reads");
  SetUpReads(f, &f->postgres, reads_url, reads_url);
  benchmark::AddCustomContext("read_set_load_s_sqlite", std::to_string(f->sqlite.load_seconds));
  benchmark::AddCustomContext("read_set_load_s_postgresql",
                              std::to_string(f->postgres.load_seconds));
  benchmark::AddCustomContext("read_set_cases", std::to_string(kReadCases));
}

// --- Benchmarks ----------------------------------------------------------------------------------

double Percentile(std::vector<double>& v, double p) {
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

void BM_CreateOverHttp(benchmark::State& state, BackendFixture* b, int connections) {
  std::vector<double> latencies_us;
  std::int64_t errors = 0;
  std::string first_error;
  double elapsed_s = 0;
  const auto group_before = b->app->storage().GroupCommitStats();
  for (auto _ : state) {
    std::mutex mutex;
    const auto warm_until = Clock::now() + kCreateWarmUp;
    const auto stop_at = warm_until + kCreateRun;
    std::vector<std::thread> clients;
    clients.reserve(static_cast<std::size_t>(connections));
    for (int i = 0; i < connections; ++i) {
      clients.emplace_back([&, i] {
        const Session& s = b->sessions[static_cast<std::size_t>(i)];
        HttpConnection conn(b->port);
        std::vector<double> mine;
        std::int64_t my_errors = 0;
        std::string my_error = conn.connected() ? "" : "cannot connect";
        while (conn.connected() && my_error.empty()) {
          const std::string body = WalkInBody(b->next_index++);
          const auto start = Clock::now();
          if (start >= stop_at) {
            break;
          }
          const auto r = conn.Send("POST", "/api/v1/cases", body, s.cookie, s.csrf);
          const auto end = Clock::now();
          if (!r) {
            ++my_errors;
            my_error = "connection failed or timed out";
            break;
          }
          if (start < warm_until) {
            continue;  // warm-up: not recorded
          }
          if (r->status != 201) {
            ++my_errors;
            if (my_error.empty() && my_errors == 1) {
              std::lock_guard lock(mutex);
              if (first_error.empty()) {
                first_error = std::to_string(r->status) + " " + r->body.substr(0, 200);
              }
            }
            continue;
          }
          mine.push_back(std::chrono::duration<double, std::micro>(end - start).count());
        }
        std::lock_guard lock(mutex);
        latencies_us.insert(latencies_us.end(), mine.begin(), mine.end());
        errors += my_errors;
        if (!my_error.empty() && first_error.empty()) {
          first_error = my_error;
        }
      });
    }
    for (auto& c : clients) {
      c.join();  // each client stops by stop_at plus at most one bounded request
    }
    elapsed_s = std::chrono::duration<double>(Clock::now() - warm_until).count();
    state.SetIterationTime(elapsed_s);
  }
  if (latencies_us.empty()) {
    state.SkipWithError(("no case was created: " + first_error).c_str());
    return;
  }
  const auto n = static_cast<double>(latencies_us.size());
  state.counters["connections"] = connections;
  state.counters["ops"] = n;
  state.counters["ops_per_s"] = n / elapsed_s;
  state.counters["errors"] = static_cast<double>(errors);
  state.counters["p50_us"] = Percentile(latencies_us, 0.50);
  state.counters["p99_us"] = Percentile(latencies_us, 0.99);
  state.counters["max_us"] = *std::max_element(latencies_us.begin(), latencies_us.end());
  if (const auto group_after = b->app->storage().GroupCommitStats(); group_after && group_before) {
    const auto syncs = group_after->syncs - group_before->syncs;
    state.counters["commits_per_sync"] =
        syncs == 0 ? 0.0
                   : static_cast<double>(group_after->commits - group_before->commits) /
                         static_cast<double>(syncs);
  }
  if (!first_error.empty()) {
    std::cerr << "create_http/" << b->name << "/c" << connections << ": " << errors
              << " failed requests, first: " << first_error << "\n";
  }
}

void BM_ReadCase(benchmark::State& state, BackendFixture* b, bool sealed) {
  core::CaseRepository& repo = sealed ? *b->sealed_repo : *b->plain_repo;
  const core::DistrictId district = sealed ? b->sealed_district : b->plain_district;
  const std::vector<core::CaseId>& ids = sealed ? b->sealed_ids : b->plain_ids;
  std::uint64_t x = 0x5EED;
  caredesk::bench::TimedRun(state, kReadLimits, "GetCase failed", [&] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    constexpr unsigned kHighBits = 33;
    const auto file = repo.GetCase(district, ids[(x >> kHighBits) % ids.size()]);
    return file.ok() && !file->c.summary.empty() && !file->consultations.empty();
  });
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  try {
    Fixture fixture;
    SetUp(&fixture);
    for (auto* b : {&fixture.sqlite, &fixture.sqlite_full, &fixture.postgres}) {
      for (const int connections : {1, 8, kMaxConnections}) {
        benchmark::RegisterBenchmark(
            ("create_http/" + b->name + "/c" + std::to_string(connections)).c_str(),
            BM_CreateOverHttp, b, connections)
            ->Iterations(1)
            ->UseManualTime()
            ->Unit(benchmark::kMillisecond);
      }
    }
    for (auto* b : {&fixture.sqlite, &fixture.postgres}) {
      for (const bool sealed : {true, false}) {
        benchmark::RegisterBenchmark(
            ("read/" + b->name + (sealed ? "/sodium" : "/plaintext")).c_str(), BM_ReadCase, b,
            sealed)
            ->Iterations(1)
            ->UseManualTime()
            ->Unit(benchmark::kMillisecond);
      }
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
  } catch (const std::exception& e) {
    std::cerr << "caredesk_case_bench: " << e.what() << "\n";
    return kExitSetupFailed;
  }
  return 0;
}
