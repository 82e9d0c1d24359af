#include "cli/screen_commands.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "app/app.hpp"
#include "app/demo_data.hpp"
#include "app/screening_import.hpp"
#include "cli/cli_output.hpp"
#include "core/screening_simulation.hpp"

namespace caredesk::cli {
namespace {

using app::Config;
using app::ConfigLoader;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kProblemsShown = 20;
constexpr double kMiB = 1024.0 * 1024.0;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// A progress line on a terminal (stderr); nothing when stderr is a file or pipe.
class Progress {
 public:
  Progress() : tty_(isatty(STDERR_FILENO) == 1) {}
  ~Progress() { Done(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void Show(std::string_view label, std::uint64_t done, std::uint64_t total) {
    if (!tty_) {
      return;
    }
    constexpr int kWidth = 30;
    const double f = total == 0 ? 1.0 : std::min(1.0, static_cast<double>(done) / total);
    const int filled = static_cast<int>(f * kWidth);
    std::cerr << "\r" << label << " [" << std::string(filled, '#')
              << std::string(kWidth - filled, '.') << "] " << std::setw(3)
              << static_cast<int>(f * 100) << "%  " << std::fixed << std::setprecision(1)
              << static_cast<double>(done) / kMiB << " MiB   " << std::flush;
    shown_ = true;
  }
  void Done() {
    if (shown_) {
      std::cerr << "\n";
      shown_ = false;
    }
  }

 private:
  bool tty_;
  bool shown_ = false;
};

std::string Csv(const std::string& field) {
  if (field.find_first_of(",\"\n") == std::string::npos) {
    return field;
  }
  std::string out = "\"";
  for (const char c : field) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

std::string Score(double v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << v;
  return s.str();
}

core::Result<std::unique_ptr<app::App>> OpenApp(const Config& config) {
  return app::App::Open(config);
}

int Import(const Config& config, app::ScreeningImportOptions options) {
  const auto started = Clock::now();
  auto opened = OpenApp(config);
  if (!opened.ok()) {
    PrintError(opened.error());
    return kExitRuntime;
  }
  auto& a = **opened;
  auto model = a.storage().screening().LatestModel(a.district().id);
  if (!model.ok()) {
    PrintError(model.error());
    return kExitRuntime;
  }
  Progress progress;
  options.progress = [&](std::string_view stage, std::uint64_t done, std::uint64_t total) {
    progress.Show(stage == "households" ? "가구 households.csv  " : "위기 정보 indicators.csv",
                  done, total);
  };
  const char* user = std::getenv("USER");
  options.imported_by = std::string("cli:") + (user != nullptr ? user : "unknown");
  auto report = app::ImportScreeningFiles(
      a.storage().screening(), a.storage().directory(), a.district().id,
      model->value_or(core::DefaultScreeningModel()),
      core::KstDate(std::chrono::system_clock::now()), options);
  progress.Done();
  if (!report.ok()) {
    PrintError(report.error());
    std::cerr << "          nothing was imported / 아무것도 가져오지 않았습니다\n";
    return kExitRuntime;
  }
  const auto& r = report->record;
  for (std::size_t i = 0; i < report->problems.size() && i < kProblemsShown; ++i) {
    const auto& p = report->problems[i];
    std::cerr << p.file << ":" << p.line << ": " << p.reason_ko << " / " << p.reason << "\n";
  }
  if (report->problem_count > static_cast<std::int64_t>(kProblemsShown)) {
    std::cerr << "... " << report->problem_count - static_cast<std::int64_t>(kProblemsShown)
              << " more bad rows / 잘못된 줄 더 있음\n";
  }
  // The reported_on dates: listed when few, else their span.
  std::string batches;
  constexpr std::size_t kDatesListed = 5;
  if (r.batches.size() <= kDatesListed) {
    for (const auto& d : r.batches) {
      batches += (batches.empty() ? "" : ", ") + core::FormatDate(d);
    }
  } else {
    batches = std::to_string(r.batches.size()) + " dates " + core::FormatDate(r.batches.front()) +
              " .. " + core::FormatDate(r.batches.back());
  }
  const double secs = Seconds(started);
  std::cout << (options.dry_run ? "checked (dry run, nothing stored)" : "imported") << ": "
            << r.households << " households, " << r.signals << " indicator rows, "
            << report->problem_count << " bad rows skipped; reported_on " << batches << "; "
            << std::fixed << std::setprecision(1) << secs << " s ("
            << std::setprecision(0) << static_cast<double>(r.households + r.signals) / secs
            << " rows/s)\n";
  if (!options.dry_run) {
    std::cout << "import #" << r.id << "\n";
  }
  return 0;
}

int RunScreening(const Config& config, const std::string& login, int capacity,
                 const std::string& as_of_text, const std::string& out_path, bool dry_run) {
  const auto started = Clock::now();
  std::optional<core::Date> as_of;
  if (!as_of_text.empty()) {
    as_of = core::ParseDate(as_of_text);
    if (!as_of) {
      std::cerr << "caredesk: --as-of는 YYYY-MM-DD 형식이어야 합니다 / --as-of must be YYYY-MM-DD\n";
      return kExitConfig;
    }
  }
  auto opened = OpenApp(config);
  if (!opened.ok()) {
    PrintError(opened.error());
    return kExitRuntime;
  }
  auto& a = **opened;
  auto user = a.storage().users().FindByLogin(a.district().id, login);
  if (!user.ok()) {
    std::cerr << "caredesk: 사용자 '" << login << "'가 없습니다 / no user '" << login << "'\n";
    return kExitRuntime;
  }
  const core::Actor actor = core::ActorOf(*user, "cli");
  auto report = a.screening().Run(actor, {capacity, as_of, !dry_run});
  if (!report.ok()) {
    PrintError(report.error());
    return kExitRuntime;
  }
  auto dongs = a.storage().directory().ListDongs(a.district().id);
  std::map<core::DongId, std::string> names;
  if (dongs.ok()) {
    for (const auto& d : *dongs) {
      names[d.id] = d.name;
    }
  }
  struct Counts {
    int listed = 0;
    int raised_again = 0;
    int managed = 0;
  };
  std::map<std::string, Counts> per_dong;
  for (const auto& f : report->flags) {
    auto& c = per_dong[names[f.household.dong_id]];
    c.listed += f.state != core::FlagState::kUnderManagement ? 1 : 0;
    c.raised_again += f.state == core::FlagState::kRaisedAgain ? 1 : 0;
    c.managed += f.state == core::FlagState::kUnderManagement ? 1 : 0;
  }
  const auto& run = report->run;
  std::cout << (dry_run ? "screening (dry run, nothing stored)" : "screening run #" + std::to_string(run.id))
            << ": " << run.households_scored << " households scored with model v"
            << run.model_version << " as of " << core::FormatDate(run.as_of) << ", "
            << run.cases_created << " outreach cases opened; " << std::fixed
            << std::setprecision(1) << Seconds(started) << " s\n";
  std::cout << "dong\tlisted\traised_again\tunder_management\n";
  for (const auto& [dong, c] : per_dong) {
    std::cout << dong << "\t" << c.listed << "\t" << c.raised_again << "\t" << c.managed << "\n";
  }
  if (!out_path.empty()) {
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    out << "household_id,dong,rank,score,reasons\n";
    for (const auto& f : report->flags) {
      if (f.state == core::FlagState::kUnderManagement) {
        continue;
      }
      std::string reasons;
      for (const auto& r : f.reasons) {
        reasons += (reasons.empty() ? "" : " / ") + r.text_ko + " (" + Score(r.points) + ")";
      }
      out << Csv(f.household.household.household_id) << "," << Csv(names[f.household.dong_id])
          << "," << f.rank << "," << Score(f.score) << "," << Csv(reasons) << "\n";
    }
    out.close();
    if (!out) {
      std::cerr << "caredesk: " << out_path << "에 쓰지 못했습니다 / cannot write " << out_path
                << "\n";
      return kExitRuntime;
    }
    std::cout << "wrote " << out_path << "\n";
  }
  return 0;
}

int Simulate(std::int64_t households, std::uint64_t seed, const std::string& out_dir,
             const std::string& as_of_text, const std::vector<std::string>& dongs,
             double crisis_rate) {
  const auto started = Clock::now();
  core::SimulationOptions o;
  o.households = households;
  o.seed = seed;
  o.dongs = dongs.empty() ? app::DemoDongNames() : dongs;
  o.crisis_rate = crisis_rate;
  o.as_of = core::KstDate(std::chrono::system_clock::now());
  if (!as_of_text.empty()) {
    const auto d = core::ParseDate(as_of_text);
    if (!d) {
      std::cerr << "caredesk: --as-of는 YYYY-MM-DD 형식이어야 합니다 / --as-of must be YYYY-MM-DD\n";
      return kExitConfig;
    }
    o.as_of = *d;
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  const auto dir = std::filesystem::path(out_dir);
  std::ofstream h(dir / "households.csv", std::ios::binary | std::ios::trunc);
  std::ofstream s(dir / "indicators.csv", std::ios::binary | std::ios::trunc);
  std::ofstream t(dir / "truth.csv", std::ios::binary | std::ios::trunc);
  if (!h || !s || !t) {
    std::cerr << "caredesk: " << out_dir << "에 쓸 수 없습니다 / cannot write to " << out_dir << "\n";
    return kExitRuntime;
  }
  h << "household_id,dong,head_birth_year,members,living_alone,disability,housing_type\n";
  s << "household_id,indicator,months,amount_krw,reported_on\n";
  t << "household_id,in_crisis,pattern\n";
  std::int64_t rows = 0;
  std::int64_t crisis = 0;
  std::int64_t done = 0;
  Progress progress;
  core::SimulateScreening(o, [&](const core::SimulatedHousehold& x) {
    const auto& hh = x.household;
    h << hh.household_id << "," << hh.dong << "," << hh.head_birth_year << "," << hh.members
      << "," << (hh.living_alone ? 1 : 0) << "," << (hh.disability ? 1 : 0) << ","
      << core::Code(hh.housing) << "\n";
    for (const auto& sig : x.signals) {
      s << sig.household_id << "," << sig.indicator << "," << sig.months << "," << sig.amount_krw
        << "," << core::FormatDate(sig.reported_on) << "\n";
      ++rows;
    }
    t << hh.household_id << "," << (x.in_crisis ? 1 : 0) << "," << x.pattern << "\n";
    crisis += x.in_crisis ? 1 : 0;
    if (++done % 10000 == 0) {
      progress.Show("simulate", static_cast<std::uint64_t>(done),
                    static_cast<std::uint64_t>(households));
    }
  });
  progress.Done();
  h.close();
  s.close();
  t.close();
  if (!h || !s || !t) {
    std::cerr << "caredesk: " << out_dir << "에 쓰지 못했습니다 / writing to " << out_dir
              << " failed\n";
    return kExitRuntime;
  }
  std::cout << "simulated " << households << " households (" << crisis << " in crisis), " << rows
            << " indicator rows, as of " << core::FormatDate(o.as_of) << ", seed " << seed
            << " -> " << (dir / "households.csv").string() << ", "
            << (dir / "indicators.csv").string() << ", " << (dir / "truth.csv").string() << "; "
            << std::fixed << std::setprecision(1) << Seconds(started) << " s\n";
  return 0;
}

}  // namespace

struct ScreenCommands::Impl {
  CLI::App* screen = nullptr;
  CLI::App* import = nullptr;
  CLI::App* run = nullptr;
  CLI::App* simulate = nullptr;
  std::unique_ptr<ConfigLoader> import_config;
  std::unique_ptr<ConfigLoader> run_config;
  app::ScreeningImportOptions import_options;
  std::string login;
  int capacity = 0;
  std::string as_of;
  std::string out;
  bool dry_run = false;
  std::int64_t households = 0;
  std::uint64_t seed = 1;
  std::string out_dir = ".";
  std::string sim_as_of;
  std::vector<std::string> dongs;
  double crisis_rate = 0.04;
};

ScreenCommands::ScreenCommands(CLI::App& cli) : impl_(std::make_unique<Impl>()) {
  auto& i = *impl_;
  i.screen = cli.add_subcommand(
      "screen", "Welfare blind-spot screening (복지 사각지대 발굴): import, run, simulate");
  i.screen->require_subcommand(1);

  i.import = i.screen->add_subcommand(
      "import", "Import agencies' households.csv and indicators.csv (one transaction)");
  i.import_config = std::make_unique<ConfigLoader>(*i.import);
  i.import->add_option("--households", i.import_options.households_path, "households.csv")
      ->required();
  i.import->add_option("--indicators", i.import_options.indicators_path, "indicators.csv")
      ->required();
  i.import->add_option("--encoding", i.import_options.encoding,
                       "utf-8 (default) or cp949 for files from older systems")
      ->check(CLI::IsMember({"utf-8", "UTF-8", "utf8", "cp949", "CP949", "euc-kr"}));
  i.import->add_flag("--dry-run", i.import_options.dry_run,
                     "Check every row against the database, store nothing");

  i.run = i.screen->add_subcommand(
      "run", "Score every household and open each dong's outreach cases (top N by score)");
  i.run_config = std::make_unique<ConfigLoader>(*i.run);
  i.run->add_option("--capacity-per-dong", i.capacity,
                    "Households each dong can contact in this round")
      ->required()
      ->check(CLI::Range(1, 1000));
  i.run->add_option("--as", i.login, "Login of the district-wide supervisor who runs it")
      ->required();
  i.run->add_option("--as-of", i.as_of, "Screening date YYYY-MM-DD (default: today, KST)");
  i.run->add_option("--out", i.out,
                    "Also write household_id,dong,rank,score,reasons of every listed household");
  i.run->add_flag("--dry-run", i.dry_run, "Rank and print, store nothing, open no case");

  i.simulate = i.screen->add_subcommand(
      "simulate", "Write a synthetic population with a known ground truth (tests, benchmarks)");
  i.simulate->add_option("--households", i.households, "How many households")
      ->required()
      ->check(CLI::Range(static_cast<std::int64_t>(1), static_cast<std::int64_t>(100'000'000)));
  i.simulate->add_option("--seed", i.seed, "Random seed (same seed, same files)")
      ->capture_default_str();
  i.simulate->add_option("--out-dir", i.out_dir,
                         "Directory for households.csv, indicators.csv and truth.csv")
      ->capture_default_str();
  i.simulate->add_option("--as-of", i.sim_as_of, "Date the signals lead up to (default: today)");
  i.simulate->add_option("--dongs", i.dongs, "Dong names (default: the demo district's 16)")
      ->delimiter(',');
  i.simulate->add_option("--crisis-rate", i.crisis_rate, "Share of households in crisis")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
}

ScreenCommands::~ScreenCommands() = default;

bool ScreenCommands::parsed() const { return impl_->screen->parsed(); }

int ScreenCommands::Run(const std::function<const char*(const char*)>& env) const {
  auto& i = *impl_;
  if (i.simulate->parsed()) {
    return Simulate(i.households, i.seed, i.out_dir, i.sim_as_of, i.dongs, i.crisis_rate);
  }
  const ConfigLoader* loader = i.import->parsed() ? i.import_config.get() : i.run_config.get();
  auto config = loader->Load(env);
  if (!config.ok()) {
    PrintError(config.error());
    return kExitConfig;
  }
  app::ConfigureLogging(config->log);
  if (i.import->parsed()) {
    return Import(*config, i.import_options);
  }
  return RunScreening(*config, i.login, i.capacity, i.as_of, i.out, i.dry_run);
}

}  // namespace caredesk::cli
