// The blind-spot screening at district scale (scripts/bench.sh runs it on the files of
// `caredesk screen simulate`): reading the two files (the baseline: the same line reader,
// nothing else), importing them (parse, check, store in one transaction), scoring and
// ranking every household (a dry run), and a real run that stores the lists and opens 10
// outreach cases per dong; on SQLite and on a durable PostgreSQL. Each step runs in a child
// process, so its peak memory (ru_maxrss) is its own. Prints a table.
//
//   caredesk_screening_bench --households H.csv --indicators I.csv --work DIR
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <spdlog/spdlog.h>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "app/demo_data.hpp"
#include "app/screening_import.hpp"
#include "bench/child_step.hpp"
#include "bench/durable_pg_cluster.hpp"
#include "crypto/crypto.hpp"

namespace {

namespace fs = std::filesystem;
using caredesk::bench::ChildResult;
using caredesk::bench::InChild;
using caredesk::bench::kKiBPerMiB;
using caredesk::bench::Note;
using caredesk::bench::Since;
using caredesk::bench::Step;
using caredesk::core::Date;
using Clock = std::chrono::steady_clock;

constexpr int kCapacity = 10;

caredesk::app::Config ConfigFor(const std::string& url, const fs::path& key) {
  caredesk::app::Config c;
  c.storage.url = url;
  c.storage.pool_size = 2;
  c.security.key_file = key.string();
  c.triage.model_file.clear();
  c.notifications.gateway = "none";
  return c;
}

// The demo district's 16 dongs (the simulated files name them).
bool EnsureDongs(caredesk::app::App& app) {
  for (const auto& name : caredesk::app::DemoDongNames()) {
    std::string short_name = name;
    if (short_name.size() > 3 && short_name.ends_with("동")) {
      short_name.resize(short_name.size() - 3);
    }
    if (!app.storage().directory().EnsureDong(app.district().id, name, short_name).ok()) {
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"CareDesk blind-spot screening benchmark"};
  std::string households;
  std::string indicators;
  std::string work;
  bool skip_postgres = false;
  cli.add_option("--households", households)->required();
  cli.add_option("--indicators", indicators)->required();
  cli.add_option("--work", work, "Scratch directory on disk")->required();
  cli.add_flag("--skip-postgres", skip_postgres);
  CLI11_PARSE(cli, argc, argv);
  spdlog::set_level(spdlog::level::warn);

  const fs::path dir(work);
  fs::create_directories(dir);
  const auto key = dir / "bench.key";
  if (!fs::exists(key) && !caredesk::crypto::GenerateKeyFile(key.string()).ok()) {
    std::cerr << "cannot write the key file\n";
    return 1;
  }
  const double mib = static_cast<double>(fs::file_size(households) + fs::file_size(indicators)) /
                     (kKiBPerMiB * kKiBPerMiB);
  std::vector<Step> steps;

  // The baseline: the same reader the import uses, and nothing else.
  steps.push_back(InChild("read the two files (line reader only)", "-", [&](ChildResult& r) {
    const auto t = Clock::now();
    std::int64_t lines = 0;
    std::uint64_t bytes = 0;
    for (const auto* path : {&households, &indicators}) {
      auto s = caredesk::app::ReadLines(*path, "utf-8",
                                        [&](std::int64_t, std::string_view text, std::uint64_t) {
                                          ++lines;
                                          bytes += text.size();
                                        });
      if (!s.ok()) {
        Note(r, s.error().message);
        return false;
      }
    }
    r.seconds = Since(t);
    r.rows = static_cast<double>(lines - 2);  // less the two header rows
    Note(r, std::to_string(bytes) + " bytes");
    return true;
  }));

  std::unique_ptr<caredesk::bench::DurablePgCluster> pg;
  std::vector<std::pair<std::string, std::string>> backends = {
      {"SQLite", "sqlite://" + (dir / "screening.db").string()}};
  if (!skip_postgres) {
    caredesk::bench::DurablePgCluster::StopStale((dir / "pg").string());
    pg = caredesk::bench::DurablePgCluster::Start((dir / "pg").string());
    backends.emplace_back("PostgreSQL", pg->url());
  }

  for (const auto& [backend, url] : backends) {
    const auto config = ConfigFor(url, key);
    steps.push_back(InChild("import: parse, check, store (one transaction)", backend,
                            [&](ChildResult& r) {
      auto app = caredesk::app::App::Open(config);
      if (!app.ok() || !EnsureDongs(**app)) {
        Note(r, app.ok() ? "dongs" : app.error().message + " " + app.error().internal_detail);
        return false;
      }
      caredesk::app::ScreeningImportOptions o;
      o.households_path = households;
      o.indicators_path = indicators;
      o.imported_by = "bench";
      const auto t = Clock::now();
      auto report = caredesk::app::ImportScreeningFiles(
          (*app)->storage().screening(), (*app)->storage().directory(), (*app)->district().id,
          caredesk::core::DefaultScreeningModel(),
          caredesk::core::KstDate(std::chrono::system_clock::now()), o);
      r.seconds = Since(t);
      if (!report.ok()) {
        Note(r, report.error().message + " " + report.error().internal_detail);
        return false;
      }
      r.rows = static_cast<double>(report->record.households + report->record.signals);
      Note(r, std::to_string(report->record.households) + " households + " +
                  std::to_string(report->record.signals) + " indicator rows, " +
                  std::to_string(report->problem_count) + " bad");
      return true;
    }));

    auto score = [&](bool open_cases) {
      return [&, open_cases](ChildResult& r) {
        // The cheapest password hash for the bench's supervisor: Argon2id's interactive
        // cost would put its 64 MiB into this step's peak memory.
        caredesk::app::OpenOptions open;
        open.password_cost = caredesk::crypto::PasswordCost::Minimum();
        auto app = caredesk::app::App::Open(config, open);
        if (!app.ok()) {
          Note(r, app.error().message);
          return false;
        }
        caredesk::core::NewUser sup{"bench.supervisor", "선별 담당", "supervisor", std::nullopt,
                                    std::nullopt, "Bench-Screening-2026!"};
        auto user = (*app)->storage().users().FindByLogin((*app)->district().id, sup.login);
        if (!user.ok()) {
          user = (*app)->auth().Bootstrap(sup);
        }
        if (!user.ok()) {
          Note(r, user.error().message);
          return false;
        }
        const auto actor = caredesk::core::ActorOf(*user, "bench");
        const auto t = Clock::now();
        auto run = (*app)->screening().Run(actor, {kCapacity, std::nullopt, open_cases});
        r.seconds = Since(t);
        if (!run.ok()) {
          Note(r, run.error().message + " " + run.error().internal_detail);
          return false;
        }
        r.rows = static_cast<double>(run->run.households_scored);
        Note(r, std::to_string(run->flags.size()) + " on the lists, " +
                    std::to_string(run->run.cases_created) + " cases opened");
        return true;
      };
    };
    steps.push_back(InChild("score and rank every household (dry run)", backend, score(false)));
    steps.push_back(InChild("run: score, store the lists, open 10 cases per dong", backend,
                            score(true)));
  }
  if (pg) {
    pg->Stop();
  }

  std::printf("\nblind-spot screening: %.0f MiB of input (%s, %s)\n", mib,
              fs::path(households).filename().c_str(), fs::path(indicators).filename().c_str());
  std::printf("| %-52s | %-10s | %9s | %12s | %9s | %s\n", "step", "backend", "seconds", "rows/s",
              "peak MiB", "");
  std::printf("|%s|%s|%s|%s|%s|\n", std::string(54, '-').c_str(), std::string(12, '-').c_str(),
              std::string(11, '-').c_str(), std::string(14, '-').c_str(),
              std::string(11, '-').c_str());
  int failed = 0;
  for (const auto& s : steps) {
    if (!s.ok) {
      ++failed;
      std::printf("| %-52s | %-10s | %9s | %12s | %9.0f | FAILED: %s\n", s.name.c_str(),
                  s.backend.c_str(), "-", "-", s.peak_mib, s.note.c_str());
      continue;
    }
    std::printf("| %-52s | %-10s | %9.1f | %12.0f | %9.0f | %s\n", s.name.c_str(),
                s.backend.c_str(), s.seconds, s.seconds > 0 ? s.rows / s.seconds : 0.0,
                s.peak_mib, s.note.c_str());
  }
  std::printf("rows/s: households + indicator rows for reading and import, households for "
              "scoring. Peak MiB: the step's own process (ru_maxrss).\n");
  return failed == 0 ? 0 : 1;
}
