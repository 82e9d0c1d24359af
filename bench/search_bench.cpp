// Case search over a large district, on SQLite (WAL, synchronous=FULL, a file on disk) and on
// PostgreSQL (the durable cluster of the storage benchmark), for 2-syllable queries (소음, 월세,
// 치매) and a 4-syllable one (층간소음). Per backend and query:
//
//   search/<backend>/<query>/service     CaseService::Search as GET /api/v1/cases/search calls it
//                                        (limit 50) for a counselor of 서교동 (one of 16 dongs):
//                                        SearchCases for 100 candidates, GetCase + MatchesQuery
//                                        of each until 50 match, and the access record (one
//                                        durable commit).
//   search/<backend>/<query>/candidates  the repository's SearchCases alone (limit 100, the same
//                                        scope): the postings join, no decryption.
//   search/<backend>/<query>/like         baseline without the index: the newest 50 of the dong
//                                        by LIKE '%<query>%' over bench_plain, a plaintext copy of
//                                        the same texts (summary, notes, outcome) in the same
//                                        database.
//   search/<backend>/<query>/like_count  the same LIKE counting every match of the dong: a full
//                                        scan, the worst case of a search without the index.
//
// The cases are generated (bench/case_data.hpp) and stored through the real repository
// (CaseRepository::CreateCase). Loading is slow, so each loaded database is cached in
// $CAREDESK_SEARCH_CACHE/<backend>-n<cases>-s<schema version>-g<generator version>/ and reused
// by later runs; delete that directory (or `make clean`) to reload.
//
// Environment:
//   BENCH_SEARCH_CASES         cases to load and search (default kDefaultCases)
//   CAREDESK_SEARCH_CACHE      cache directory (default build-bench/search-cache); on disk
//   BENCH_SEARCH_BACKENDS      sqlite,postgresql (default both)
//   BENCH_SEARCH_LOAD_THREADS  PostgreSQL writers while loading (default 3)
//   BENCH_SEARCH_EXPLAIN       a file to write the query plans to (EXPLAIN QUERY PLAN on SQLite,
//                              EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL) of the candidate query
//                              and the LIKE queries, for every query (bench.sh sets it)
#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "bench/case_data.hpp"
#include "bench/durable_pg_cluster.hpp"
#include "bench/timed_run.hpp"
#include "core/search_terms.hpp"
#include "crypto/crypto.hpp"
#include "storage/postgres/pg_connection.hpp"
#include "storage/sql/migrations.hpp"
#include "storage/sql/sql_case_repository.hpp"

namespace {

namespace fs = std::filesystem;
namespace sql = caredesk::storage::sql;
namespace core = caredesk::core;
using caredesk::bench::DurablePgCluster;
using caredesk::storage::Backend;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// The largest count whose first load (both backends, one after the other) takes about 15 minutes
// on the 2-core development VM: SQLite loads ~420 cases/s and PostgreSQL ~310 cases/s there,
// both CPU-bound in CreateCase; 1,000,000 cases would take over an hour and a half.
constexpr std::int64_t kDefaultCases = 150'000;
constexpr int kDefaultPgLoadThreads = 3;
constexpr int kExitSetupFailed = 2;
constexpr int kSearchLimit = 50;      // GET /api/v1/cases/search's default page
constexpr int kCandidateLimit = 100;  // what CaseService::Search asks the repository for
constexpr int kWarmUpRuns = 2;
constexpr int kCounselorDong = 8;  // 서교동 in MapoDongs()
constexpr caredesk::bench::RunLimits kIndexedLimits{std::chrono::milliseconds(3000), 5000, 20};
constexpr caredesk::bench::RunLimits kScanLimits{std::chrono::milliseconds(3000), 1000, 5};
const std::vector<std::string> kQueries = {"소음", "월세", "치매", "층간소음"};

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

std::string Env(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

std::int64_t DirBytes(const fs::path& dir) {
  std::int64_t n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) {
      n += static_cast<std::int64_t>(it->file_size(ec));
    }
  }
  return n;
}

std::string Now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

struct SearchBackend {
  std::string name;  // "sqlite" / "postgresql"
  Backend backend = Backend::kSqlite;
  fs::path cache;  // the loaded database's directory
  Json meta;       // its READY file: count, load time, ...
  bool loaded_now = false;
  std::unique_ptr<DurablePgCluster> pg;  // PostgreSQL: the cached cluster, started
  std::unique_ptr<caredesk::app::App> app;
  core::Actor actor;
  core::CaseScope scope;
  core::DongId dong = 0;

  std::string Url() const {
    return backend == Backend::kSqlite ? "sqlite://" + (cache / "search.db").string() : pg->url();
  }
};

caredesk::app::Config AppConfig(const SearchBackend& b) {
  caredesk::app::Config config;
  config.storage.url = b.Url();
  config.security.key_file = (b.cache / "bench.key").string();
  return config;
}

// Loads `count` cases into `b.cache` (a new directory), then writes READY. Throws on failure.
void Load(SearchBackend& b, std::int64_t count, int pg_threads) {
  fs::create_directories(b.cache);
  chmod(b.cache.c_str(), 0711);  // the 'postgres' user must reach its data dir
  Must(caredesk::crypto::GenerateKeyFile((b.cache / "bench.key").string()), "key file");
  if (b.backend == Backend::kPostgres) {
    b.pg = DurablePgCluster::Start((b.cache / "pg").string(), {.keep = true});
  }
  const auto begin = Clock::now();
  core::DistrictId district = 0;
  std::vector<core::DongId> dongs;
  {
    // The app's own setup: schema, district, holidays; then the dongs.
    auto app = Must(caredesk::app::App::Open(AppConfig(b),
                                             {nullptr, caredesk::crypto::PasswordCost::Minimum()}),
                    "cannot open the app on " + b.name);
    district = app->district().id;
    dongs = Must(caredesk::bench::EnsureMapoDongs(app->storage().directory(), district), "dongs");
  }
  auto crypto = Must(caredesk::crypto::OpenCrypto((b.cache / "bench.key").string(),
                                                  caredesk::crypto::PasswordCost::Minimum()),
                     "key file");
  const int threads = b.backend == Backend::kSqlite ? 1 : pg_threads;
  const std::string target =
      b.backend == Backend::kSqlite ? (b.cache / "search.db").string() : b.pg->url();
  auto loader =
      caredesk::bench::OpenLoaderDatabase(b.backend, target, static_cast<std::size_t>(threads));
  Must(caredesk::bench::CreatePlaintextTable(*loader), "bench_plain");
  sql::SqlCaseRepository repo(*loader, *crypto.sealer, *crypto.indexer);
  caredesk::bench::LoadPlan plan;
  plan.count = count;
  plan.threads = threads;
  plan.plaintext_copy = true;
  const auto start = Clock::now();
  plan.progress = [&](std::int64_t done) {
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    std::cerr << "  " << b.name << ": " << done << "/" << count << " cases, "
              << static_cast<std::int64_t>(static_cast<double>(done) / s) << " cases/s, "
              << static_cast<int>(s) << " s\n";
  };
  std::cerr << "loading " << count << " cases into " << b.name << " (" << b.cache.string()
            << "); cached for later runs\n";
  caredesk::bench::LoadTarget load{repo, *loader, district, dongs, nullptr};
  Must(caredesk::bench::LoadCases(load, plan), "load into " + b.name);
  const double cases_s = std::chrono::duration<double>(Clock::now() - start).count();
  loader.reset();
  if (b.backend == Backend::kPostgres) {
    // What autovacuum does on its own after a load like this: statistics and the visibility map.
    caredesk::storage::postgres::OpenPgConnection(target)->ExecuteScript("VACUUM ANALYZE");
  }
  const double total_s = std::chrono::duration<double>(Clock::now() - begin).count();
  b.meta = Json{{"cases", count},
                {"schema_version", sql::Migrations().back().version},
                {"generator_version", caredesk::bench::CaseTextGenerator::kVersion},
                {"vocabulary_words", caredesk::bench::CaseTextGenerator::VocabularySize()},
                {"load_threads", threads},
                {"load_cases_s", cases_s},
                {"load_total_s", total_s},
                {"loaded_at", Now()}};
  std::cerr << "  " << b.name << ": loaded in " << static_cast<int>(total_s) << " s\n";
}

// Opens the cached database of `b` (loading it first when missing).
void Prepare(SearchBackend& b, const fs::path& root, std::int64_t count, int pg_threads) {
  const std::string key = b.name + "-n" + std::to_string(count) + "-s" +
                          std::to_string(sql::Migrations().back().version) + "-g" +
                          std::to_string(caredesk::bench::CaseTextGenerator::kVersion);
  const fs::path ready = root / key;
  if (!fs::exists(ready / "READY")) {
    const fs::path partial = root / (key + ".partial");
    DurablePgCluster::StopStale((partial / "pg").string());
    std::error_code ec;
    fs::remove_all(partial, ec);
    b.cache = partial;
    Load(b, count, pg_threads);
    if (b.pg) {
      b.pg->Stop();
      b.pg.reset();
    }
    std::ofstream(partial / "READY") << b.meta.dump(2) << "\n";
    fs::remove_all(ready, ec);
    fs::rename(partial, ready);
    b.loaded_now = true;
  }
  b.cache = ready;
  std::ifstream in(ready / "READY");
  b.meta = Json::parse(in);
  if (b.backend == Backend::kPostgres) {
    DurablePgCluster::StopStale((ready / "pg").string());
    b.pg = DurablePgCluster::Start((ready / "pg").string(), {.keep = true});
  }
  b.app = Must(
      caredesk::app::App::Open(AppConfig(b), {nullptr, caredesk::crypto::PasswordCost::Minimum()}),
      "cannot open the app on " + b.name);
  const auto dongs = Must(b.app->storage().directory().ListDongs(b.app->district().id), "dongs");
  const auto& wanted = caredesk::bench::MapoDongs()[kCounselorDong].name;
  for (const auto& d : dongs) {
    if (d.name == wanted) {
      b.dong = d.id;
    }
  }
  if (b.dong == 0) {
    Fail("no " + std::string(wanted) + " in the cached database of " + b.name);
  }
  // A counselor of 서교동 (the generator's counselor ids; Search needs no user row).
  b.actor.user_id = caredesk::bench::CounselorOf(kCounselorDong, 0);
  b.actor.district_id = b.app->district().id;
  b.actor.role = core::Role::kCounselor;
  b.actor.dong_id = b.dong;
  b.actor.ip = "127.0.0.1";
  b.scope.dong_id = b.dong;
  b.scope.involved_user = b.actor.user_id;

  // Facts for the table: postings, size on disk.
  auto postings = b.app->storage().database().Transact(
      sql::TxMode::kRead, [](sql::Connection& c) -> core::Result<std::int64_t> {
        return c.Execute("SELECT COUNT(*) FROM case_terms", {}).Int(0, 0);
      });
  const std::string p = b.name + "_";
  benchmark::AddCustomContext(p + "cases", std::to_string(b.meta.at("cases").get<std::int64_t>()));
  benchmark::AddCustomContext(p + "postings", postings.ok() ? std::to_string(*postings) : "?");
  benchmark::AddCustomContext(p + "load_s",
                              std::to_string(b.meta.at("load_total_s").get<double>()));
  benchmark::AddCustomContext(p + "load_cases_s",
                              std::to_string(b.meta.at("load_cases_s").get<double>()));
  benchmark::AddCustomContext(p + "load_threads",
                              std::to_string(b.meta.at("load_threads").get<int>()));
  benchmark::AddCustomContext(p + "loaded_now", b.loaded_now ? "yes" : "no");
  benchmark::AddCustomContext(p + "loaded_at", b.meta.at("loaded_at").get<std::string>());
  benchmark::AddCustomContext(p + "bytes", std::to_string(DirBytes(ready)));
  benchmark::AddCustomContext(p + "cache", ready.string());
  benchmark::AddCustomContext("vocabulary_words",
                              std::to_string(caredesk::bench::CaseTextGenerator::VocabularySize()));
  std::cerr << b.name << ": " << b.meta.at("cases") << " cases, "
            << (postings.ok() ? std::to_string(*postings) : "?") << " postings, "
            << DirBytes(ready) / (1 << 20) << " MiB in " << ready.string()
            << (b.loaded_now ? " (loaded now)" : " (cached)") << "\n";
}

// --- Query plans ---------------------------------------------------------------------------------

// The candidate query exactly as SqlCaseRepository::SearchCases builds it for `scope` (first page,
// at most kMaxSearchTokens tokens: the queries here have fewer), with its parameters.
std::pair<std::string, sql::Params> CandidateQuery(SearchBackend& b, const std::string& q) {
  std::vector<std::string> terms;
  for (const auto& t : core::QueryTerms(q)) {
    if (std::find(terms.begin(), terms.end(), t) == terms.end()) {
      terms.push_back(t);
    }
  }
  const auto& indexer = *b.app->crypto().indexer;
  sql::Params params{indexer.Token("ngram", terms[0])};
  std::string text = "SELECT t0.case_id FROM case_terms t0";
  for (std::size_t i = 1; i < terms.size(); ++i) {
    params.emplace_back(indexer.Token("ngram", terms[i]));
    const std::string t = "t" + std::to_string(i);
    text += " JOIN case_terms " + t + " ON " + t + ".case_id = t0.case_id AND " + t + ".token = $" +
            std::to_string(params.size());
  }
  params.emplace_back(b.app->district().id);
  const std::string district = "$" + std::to_string(params.size());
  params.emplace_back(b.dong);
  const std::string dong = "$" + std::to_string(params.size());
  params.emplace_back(b.actor.user_id);
  const std::string user = "$" + std::to_string(params.size());
  params.emplace_back(std::int64_t{kCandidateLimit});
  const std::string limit = "$" + std::to_string(params.size());
  text += " JOIN cases c ON c.id = t0.case_id WHERE t0.token = $1 AND c.district_id = " + district +
          " AND (c.dong_id = " + dong + " OR c.counselor_id = " + user +
          " OR c.case_manager_id = " + user +
          " OR EXISTS (SELECT 1 FROM case_shares s WHERE s.case_id = c.id AND s.user_id = " + user +
          ")) ORDER BY t0.case_id DESC LIMIT " + limit;
  return {text, params};
}

void WritePlans(SearchBackend& b, std::ostream& out) {
  const bool pg = b.backend == Backend::kPostgres;
  const std::string explain = pg ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN QUERY PLAN ";
  for (const auto& q : kQueries) {
    auto [candidates, params] = CandidateQuery(b, q);
    const std::string pattern = "%" + q + "%";
    const std::vector<std::pair<std::string, std::pair<std::string, sql::Params>>> queries = {
        {"candidates (SearchCases)", {candidates, params}},
        {"like",
         {"SELECT id FROM bench_plain WHERE dong_id = $1 AND body LIKE $2 ORDER BY id DESC LIMIT " +
              std::to_string(kSearchLimit),
          {b.dong, pattern}}},
        {"like_count",
         {"SELECT COUNT(*) FROM bench_plain WHERE dong_id = $1 AND body LIKE $2",
          {b.dong, pattern}}},
    };
    for (const auto& [what, query] : queries) {
      out << "=== " << b.name << " " << q << " " << what << "\n" << query.first << "\n";
      auto plan = b.app->storage().database().Transact(
          sql::TxMode::kRead, [&](sql::Connection& c) -> core::Result<std::vector<std::string>> {
            const auto rows = c.Execute(explain + query.first, query.second);
            std::vector<std::string> lines;
            for (std::size_t i = 0; i < rows.size(); ++i) {
              constexpr std::size_t kSqliteDetail = 3;
              lines.push_back(pg ? rows.Text(i, 0) : rows.Text(i, kSqliteDetail));
            }
            return lines;
          });
      if (!plan.ok()) {
        out << "  (EXPLAIN failed: " << plan.error().internal_detail << ")\n";
        continue;
      }
      for (const auto& l : *plan) {
        out << "  " << l << "\n";
      }
    }
  }
}

// --- Benchmarks ----------------------------------------------------------------------------------

template <typename Op>
void Measure(benchmark::State& state, const caredesk::bench::RunLimits& limits,
             const std::string& what, Op op) {
  for (int i = 0; i < kWarmUpRuns; ++i) {
    if (op() < 0) {
      state.SkipWithError(what.c_str());
      for (auto _ : state) {
      }
      return;
    }
  }
  std::int64_t hits = 0;
  caredesk::bench::TimedRun(state, limits, what, [&] {
    hits = op();
    return hits >= 0;
  });
  state.counters["hits"] = static_cast<double>(hits);
}

void BM_Service(benchmark::State& state, SearchBackend* b, const std::string* q) {
  Measure(state, kIndexedLimits, "CaseService::Search failed", [&]() -> std::int64_t {
    auto r = b->app->cases().Search(b->actor, *q, 0, kSearchLimit);
    return r.ok() ? static_cast<std::int64_t>(r->items.size()) : -1;
  });
}

void BM_Candidates(benchmark::State& state, SearchBackend* b, const std::string* q) {
  const auto terms = core::QueryTerms(*q);
  Measure(state, kIndexedLimits, "SearchCases failed", [&]() -> std::int64_t {
    auto r = b->app->case_repository().SearchCases(b->app->district().id, b->scope, terms, 0,
                                                   kCandidateLimit);
    return r.ok() ? static_cast<std::int64_t>(r->size()) : -1;
  });
}

void BM_Like(benchmark::State& state, SearchBackend* b, const std::string* q, bool count) {
  const std::string pattern = "%" + *q + "%";
  const std::string query =
      count ? "SELECT COUNT(*) FROM bench_plain WHERE dong_id = $1 AND body LIKE $2"
            : "SELECT id FROM bench_plain WHERE dong_id = $1 AND body LIKE $2 ORDER BY id DESC "
              "LIMIT " +
                  std::to_string(kSearchLimit);
  Measure(state, kScanLimits, "LIKE query failed", [&]() -> std::int64_t {
    auto r = b->app->storage().database().Transact(
        sql::TxMode::kRead, [&](sql::Connection& c) -> core::Result<std::int64_t> {
          const auto rows = c.Execute(query, {b->dong, pattern});
          return count ? rows.Int(0, 0) : static_cast<std::int64_t>(rows.size());
        });
    return r.ok() ? *r : -1;
  });
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  std::vector<std::unique_ptr<SearchBackend>> backends;
  try {
    const std::int64_t count = std::stoll(Env("BENCH_SEARCH_CASES", std::to_string(kDefaultCases)));
    const int pg_threads =
        std::stoi(Env("BENCH_SEARCH_LOAD_THREADS", std::to_string(kDefaultPgLoadThreads)));
    const std::string wanted = Env("BENCH_SEARCH_BACKENDS", "sqlite,postgresql");
    const fs::path root = fs::absolute(Env("CAREDESK_SEARCH_CACHE", "build-bench/search-cache"));
    if (count <= 0) {
      Fail("BENCH_SEARCH_CASES must be positive");
    }
    fs::create_directories(root);
    chmod(root.c_str(), 0711);
    benchmark::AddCustomContext("search_cache", root.string());
    benchmark::AddCustomContext("search_filesystem",
                                caredesk::bench::RequireDiskFileSystem(root.string()));
    for (const auto& [name, backend] : {std::pair{std::string("sqlite"), Backend::kSqlite},
                                        std::pair{std::string("postgresql"), Backend::kPostgres}}) {
      if (wanted.find(name) == std::string::npos) {
        continue;
      }
      auto b = std::make_unique<SearchBackend>();
      b->name = name;
      b->backend = backend;
      Prepare(*b, root, count, pg_threads);
      backends.push_back(std::move(b));
    }
    if (const std::string plans = Env("BENCH_SEARCH_EXPLAIN", ""); !plans.empty()) {
      std::ofstream out(plans);
      for (const auto& b : backends) {
        WritePlans(*b, out);
      }
    }
    for (const auto& b : backends) {
      for (const auto& q : kQueries) {
        const std::string prefix = "search/" + b->name + "/" + q + "/";
        const auto timed = [](benchmark::internal::Benchmark* r) {
          r->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
        };
        timed(benchmark::RegisterBenchmark((prefix + "service").c_str(), BM_Service, b.get(), &q));
        timed(benchmark::RegisterBenchmark((prefix + "candidates").c_str(), BM_Candidates, b.get(),
                                           &q));
        timed(benchmark::RegisterBenchmark((prefix + "like").c_str(), BM_Like, b.get(), &q, false));
        timed(benchmark::RegisterBenchmark((prefix + "like_count").c_str(), BM_Like, b.get(), &q,
                                           true));
      }
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
  } catch (const std::exception& e) {
    std::cerr << "caredesk_search_bench: " << e.what() << "\n";
    return kExitSetupFailed;
  }
  return 0;
}
