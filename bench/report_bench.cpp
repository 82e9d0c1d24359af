// The monthly report set at district scale: BENCH_REPORT_CASES cases (default 1,000,000) over
// two years with five timeline events each, one follow-up each and a referral for every fifth,
// bulk-loaded by SQL; then the baseline (one full scan of the timeline and of the cases, the
// least any report over all of it must read) and the nine reports of the monthly set for last
// month, district-wide, through ReportService — on SQLite and on a durable PostgreSQL. Each step
// runs in its own process, so its peak memory (ru_maxrss) is its own. Prints a table.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <spdlog/spdlog.h>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "app/demo_data.hpp"
#include "bench/child_step.hpp"
#include "bench/durable_pg_cluster.hpp"
#include "crypto/crypto.hpp"
#include "storage/sql/connection.hpp"

namespace {

namespace fs = std::filesystem;
using caredesk::bench::ChildResult;
using caredesk::bench::InChild;
using caredesk::bench::Note;
using caredesk::bench::Since;
using caredesk::bench::Step;
using caredesk::storage::sql::Connection;
using caredesk::storage::sql::Params;
using caredesk::storage::sql::TxMode;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kDayUs = std::int64_t{86400} * 1000000;
constexpr int kEventsPerCase = 5;
constexpr int kBatch = 400;

caredesk::app::Config ConfigFor(const std::string& url, const fs::path& key) {
  caredesk::app::Config c;
  c.storage.url = url;
  c.storage.pool_size = 2;
  c.security.key_file = key.string();
  c.triage.model_file.clear();
  c.notifications.gateway = "none";
  return c;
}

std::string Placeholders(int rows, int columns, int first = 1) {
  std::string out;
  int n = first;
  for (int r = 0; r < rows; ++r) {
    out += r == 0 ? "(" : ",(";
    for (int c = 0; c < columns; ++c) {
      out += "$" + std::to_string(n++) + (c + 1 < columns ? "," : ")");
    }
  }
  return out;
}

constexpr const char* kCategories[] = {"welfare", "housing", "health", "finance", "jobs",
                                       "mental_health", "neighbour_dispute", "legal", "other"};
constexpr const char* kChannels[] = {"visit", "phone", "online", "third_party", "outreach"};

// Loads `cases` cases opened evenly over the 730 days before `end_us`, with their events,
// follow-ups and referrals, in batches. Returns the rows written.
std::int64_t Load(caredesk::app::App& app, std::int64_t cases, std::int64_t end_us) {
  auto& db = app.storage().database();
  const auto district = app.district().id;
  // The results are kept: a range-for over *Temporary() would read a destroyed vector.
  const auto dong_list = app.storage().directory().ListDongs(district);
  const auto agency_list = app.storage().directory().ListAgencies(district);
  if (!dong_list.ok() || !agency_list.ok() || dong_list->empty()) {
    throw std::runtime_error("no dongs or agencies");
  }
  std::vector<std::int64_t> dongs;
  for (const auto& d : *dong_list) {
    dongs.push_back(d.id);
  }
  std::vector<std::int64_t> agencies;
  for (const auto& a : *agency_list) {
    agencies.push_back(a.id);
  }
  std::int64_t key_id = 0;
  (void)db.Transact(TxMode::kWrite, [&](Connection& c) -> caredesk::core::Status {
    key_id = c.Execute("INSERT INTO data_keys (sealed_key, key_id, created_at) VALUES (NULL, 1, 0) "
                       "RETURNING id",
                       {})
                 .Int(0, 0);
    return {};
  });
  std::mt19937_64 rng(42);
  const std::int64_t span_us = 730 * kDayUs;
  std::int64_t rows = 0;
  for (std::int64_t start = 0; start < cases; start += kBatch) {
    const int n = static_cast<int>(std::min<std::int64_t>(kBatch, cases - start));
    auto s = db.Transact(TxMode::kWrite, [&](Connection& c) -> caredesk::core::Status {
      Params p;
      std::vector<std::int64_t> opened(n);
      std::vector<std::int64_t> resolved(n, -1);
      for (int i = 0; i < n; ++i) {
        const std::int64_t k = start + i;
        opened[i] = end_us - span_us + (span_us / cases) * k;
        const bool is_resolved = rng() % 10 < 7;
        if (is_resolved) {
          resolved[i] = opened[i] + static_cast<std::int64_t>(rng() % 60) * kDayUs + 3600000000;
        }
        const auto dong = dongs[static_cast<std::size_t>(k) % dongs.size()];
        p.insert(p.end(), {district, "B-" + std::to_string(k), std::int64_t{2000},
                           std::int64_t{k + 1}, dong, std::string(kChannels[rng() % 5]),
                           std::string("self"), key_id, std::string(kCategories[rng() % 9]),
                           std::string("normal"),
                           std::string(is_resolved ? "resolved" : "ongoing"),
                           std::int64_t{1 + static_cast<std::int64_t>(rng() % 40)}, opened[i],
                           is_resolved ? caredesk::storage::sql::Value{resolved[i]}
                                       : caredesk::storage::sql::Value{caredesk::storage::sql::Null{}}});
      }
      const auto ids = c.Execute(
          "INSERT INTO cases (district_id, number, year, seq, dong_id, channel, reporter_kind, "
          "data_key_id, primary_category, urgency, status, counselor_id, opened_at, resolved_at) "
          "VALUES " + Placeholders(n, 14) + " RETURNING id",
          p);
      Params ev;
      Params fu;
      Params rf;
      int referrals = 0;
      for (int i = 0; i < n; ++i) {
        const auto id = ids.Int(static_cast<std::size_t>(i), 0);
        const char* kinds[kEventsPerCase] = {"received", "consultation_added",
                                             "follow_up_scheduled", "follow_up_done",
                                             resolved[i] >= 0 ? "resolved" : "escalated"};
        for (int e = 0; e < kEventsPerCase; ++e) {
          ev.insert(ev.end(), {id, opened[i] + e * 3600000000LL, std::int64_t{1},
                               std::string(kinds[e]), std::string("{}")});
        }
        const std::int64_t due = opened[i] + 7 * kDayUs;
        const bool done = rng() % 10 < 8;
        fu.insert(fu.end(), {id, std::string(rng() % 3 == 0 ? "welfare_check" : "counseling"), due,
                             std::int64_t{1}, std::string(done ? "done" : "open"),
                             done ? caredesk::storage::sql::Value{std::string("reached")}
                                  : caredesk::storage::sql::Value{caredesk::storage::sql::Null{}},
                             done ? caredesk::storage::sql::Value{
                                        due + (static_cast<std::int64_t>(rng() % 5) - 3) * kDayUs}
                                  : caredesk::storage::sql::Value{caredesk::storage::sql::Null{}},
                             opened[i]});
        if ((start + i) % 5 == 0 && !agencies.empty()) {
          const std::int64_t responded = opened[i] + static_cast<std::int64_t>(rng() % 96) * 3600000000LL;
          rf.insert(rf.end(), {id, agencies[rng() % agencies.size()],
                               std::string(rng() % 4 == 0 ? "declined" : "accepted"),
                               std::int64_t{1}, opened[i], opened[i], opened[i] + 72 * 3600000000LL,
                               responded});
          ++referrals;
        }
      }
      c.Execute("INSERT INTO case_events (case_id, at, actor_id, kind, data) VALUES " +
                    Placeholders(n * kEventsPerCase, 5),
                ev);
      c.Execute("INSERT INTO follow_ups (case_id, kind, due_at, owner_id, status, result, done_at, "
                "created_at) VALUES " + Placeholders(n, 8),
                fu);
      if (referrals > 0) {
        c.Execute("INSERT INTO referrals (case_id, agency_id, status, referred_by, consent_at, "
                  "sent_at, accept_due_at, responded_at) VALUES " + Placeholders(referrals, 8),
                  rf);
      }
      rows += n * (2 + kEventsPerCase) + referrals;
      return {};
    });
    if (!s.ok()) {
      throw std::runtime_error(s.error().message + " " + s.error().internal_detail);
    }
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"CareDesk monthly report set benchmark"};
  std::string work;
  std::int64_t cases = 1'000'000;
  bool skip_postgres = false;
  cli.add_option("--work", work, "Scratch directory on disk")->required();
  cli.add_option("--cases", cases, "Cases to load (five timeline events each)");
  cli.add_flag("--skip-postgres", skip_postgres);
  CLI11_PARSE(cli, argc, argv);
  spdlog::set_level(spdlog::level::warn);

  const fs::path dir(work);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto key = dir / "bench.key";
  if (!caredesk::crypto::GenerateKeyFile(key.string()).ok()) {
    std::cerr << "cannot write the key file\n";
    return 1;
  }
  // Last month is the report period; the data ends with it.
  const auto today = caredesk::core::KstDate(std::chrono::system_clock::now());
  const auto period = caredesk::core::PreviousMonth(today);
  const std::int64_t end_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                  caredesk::core::PeriodEnd(period).time_since_epoch())
                                  .count();

  std::unique_ptr<caredesk::bench::DurablePgCluster> pg;
  std::vector<std::pair<std::string, std::string>> backends = {
      {"SQLite", "sqlite://" + (dir / "reports.db").string()}};
  if (!skip_postgres) {
    caredesk::bench::DurablePgCluster::StopStale((dir / "pg").string());
    pg = caredesk::bench::DurablePgCluster::Start((dir / "pg").string());
    backends.emplace_back("PostgreSQL", pg->url());
  }
  std::vector<Step> steps;
  for (const auto& [backend, url] : backends) {
    const auto config = ConfigFor(url, key);
    steps.push_back(InChild("load (bulk SQL, not measured against)", backend, [&](ChildResult& r) {
      auto app = caredesk::app::App::Open(config);
      if (!app.ok()) {
        Note(r, app.error().message + " " + app.error().internal_detail);
        return false;
      }
      auto& a = **app;
      for (const auto& name : caredesk::app::DemoDongNames()) {
        (void)a.storage().directory().EnsureDong(a.district().id, name, name);
      }
      for (const char* name : {"서민금융통합지원센터", "정신건강복지센터", "고용복지플러스센터"}) {
        caredesk::core::Agency ag;
        ag.district_id = a.district().id;
        ag.name = name;
        ag.categories = {"welfare"};
        ag.response_hours = 72;
        (void)a.storage().directory().CreateAgency(ag);
      }
      const auto t = Clock::now();
      r.rows = static_cast<double>(Load(a, cases, end_us));
      if (backend == "PostgreSQL") {
        (void)a.storage().database().Transact(TxMode::kWrite, [](Connection& c) -> caredesk::core::Status {
          c.ExecuteScript("ANALYZE");
          return {};
        });
      }
      r.seconds = Since(t);
      Note(r, std::to_string(cases) + " cases, " + std::to_string(cases * kEventsPerCase) +
                  " events");
      return true;
    }));
    steps.push_back(InChild("baseline: scan every event and case once", backend,
                            [&](ChildResult& r) {
      auto app = caredesk::app::App::Open(config);
      if (!app.ok()) {
        Note(r, app.error().message);
        return false;
      }
      const auto t = Clock::now();
      auto n = (*app)->storage().database().Transact(
          TxMode::kRead, [](Connection& c) -> caredesk::core::Result<std::int64_t> {
            const auto e = c.Execute("SELECT COUNT(*), SUM(LENGTH(kind)) FROM case_events", {});
            const auto k = c.Execute("SELECT COUNT(*), SUM(LENGTH(channel)) FROM cases", {});
            return e.Int(0, 0) + k.Int(0, 0);
          });
      r.seconds = Since(t);
      r.rows = n.ok() ? static_cast<double>(*n) : 0;
      return n.ok();
    }));
    steps.push_back(InChild("the monthly set: 9 reports, district, last month", backend,
                            [&](ChildResult& r) {
      auto app = caredesk::app::App::Open(config);
      if (!app.ok()) {
        Note(r, app.error().message);
        return false;
      }
      caredesk::core::Actor auditor;
      auditor.district_id = (*app)->district().id;
      auditor.role = caredesk::core::Role::kAuditor;
      std::string slowest;
      double slowest_s = 0;
      const auto t = Clock::now();
      int tables = 0;
      for (const auto kind : caredesk::core::AllReportKinds()) {
        const auto k0 = Clock::now();
        auto report = (*app)->reports().Run(auditor, {kind, period, {}});
        if (!report.ok()) {
          Note(r, report.error().message + " " + report.error().internal_detail);
          return false;
        }
        tables += static_cast<int>(report->tables.size());
        if (Since(k0) > slowest_s) {
          slowest_s = Since(k0);
          slowest = std::string(caredesk::core::Code(kind));
        }
      }
      r.seconds = Since(t);
      r.rows = tables;
      char buf[128];
      std::snprintf(buf, sizeof buf, "%d tables; slowest %s %.2f s", tables, slowest.c_str(),
                    slowest_s);
      Note(r, buf);
      return true;
    }));
  }

  std::printf("\nMonthly report set over %lld cases and %lld timeline events (%s ~ %s)\n",
              static_cast<long long>(cases), static_cast<long long>(cases * kEventsPerCase),
              caredesk::core::FormatDate(period.from).c_str(),
              caredesk::core::FormatDate(period.to).c_str());
  std::printf("%-50s %-11s %10s %12s %10s  %s\n", "step", "backend", "seconds", "rows", "peak MiB",
              "note");
  bool ok = true;
  for (const auto& s : steps) {
    std::printf("%-50s %-11s %10.2f %12.0f %10.1f  %s%s\n", s.name.c_str(), s.backend.c_str(),
                s.seconds, s.rows, s.peak_mib, s.ok ? "" : "FAILED ", s.note.c_str());
    ok = ok && s.ok;
  }
  std::printf("Rows: rows written (load), rows scanned (baseline), tables (the set). Peak MiB: "
              "the step's own process (ru_maxrss); PostgreSQL's server memory is not in it.\n");
  return ok ? 0 : 1;
}
