// caredesk: one binary, several subcommands. Only wiring lives here (the triage
// subcommands are in triage_commands.cpp).
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "app/app.hpp"
#include "app/config.hpp"
#include "app/demo_data.hpp"
#include "app/triage_files.hpp"
#include "cli/cli_output.hpp"
#include "cli/report_commands.hpp"
#include "cli/screen_commands.hpp"
#include "cli/triage_commands.hpp"
#include "crypto/crypto.hpp"
#include "crypto/sodium_sealer.hpp"
#include "storage/backup.hpp"

namespace {

using caredesk::app::App;
using caredesk::app::Config;
using caredesk::app::ConfigLoader;

using caredesk::cli::kExitConfig;
using caredesk::cli::kExitRuntime;

const char* GetEnv(const char* name) { return std::getenv(name); }

using caredesk::cli::PrintError;

// Many keep-alive clients need many descriptors: raise the soft limit to the hard one.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

std::unique_ptr<App> OpenApp(const ConfigLoader& loader, Config* out_config, int* exit_code) {
  auto config = loader.Load(GetEnv);
  if (!config.ok()) {
    PrintError(config.error());
    *exit_code = kExitConfig;
    return nullptr;
  }
  caredesk::app::ConfigureLogging(config->log);
  spdlog::info("config {}", caredesk::app::Describe(*config));
  auto app = App::Open(*config);
  if (!app.ok()) {
    PrintError(app.error());
    *exit_code = kExitRuntime;
    return nullptr;
  }
  *out_config = *config;
  return std::move(*app);
}

int Serve(const ConfigLoader& loader) {
  RaiseFileLimit();
  Config config;
  int code = 0;
  auto app = OpenApp(loader, &config, &code);
  if (!app) {
    return code;
  }
  caredesk::app::LogTriage(*app->triage().Current(), config.triage.model_file);
  auto port = app->StartServer();
  if (!port.ok()) {
    PrintError(port.error());
    return kExitRuntime;
  }
  app->server()->StopOnSignals();
  spdlog::info("listening on http://{}:{}", config.server.address, *port);
  std::cout << "CareDesk: http://" << config.server.address << ":" << *port << "/ (Ctrl+C to stop)"
            << std::endl;
  app->server()->Wait();
  app->Stop();
  spdlog::info("stopped cleanly");
  return 0;
}

int Migrate(const ConfigLoader& loader) {
  auto config = loader.Load(GetEnv);
  if (!config.ok()) {
    PrintError(config.error());
    return kExitConfig;
  }
  caredesk::app::ConfigureLogging(config->log);
  auto storage = caredesk::storage::Storage::Open(config->storage);
  if (!storage.ok()) {
    PrintError(storage.error());
    return kExitRuntime;
  }
  auto report = (*storage)->Migrate();
  if (!report.ok()) {
    PrintError(report.error());
    return kExitRuntime;
  }
  std::cout << "schema version " << report->from_version << " -> " << report->to_version << " ("
            << report->applied.size() << " migrations applied)\n";
  return 0;
}

int SeedDemo(const ConfigLoader& loader, int history_weeks, int history_scale) {
  Config config;
  int code = 0;
  auto app = OpenApp(loader, &config, &code);
  if (!app) {
    return code;
  }
  auto summary = caredesk::app::SeedDemo(app->storage(), app->auth(), app->district());
  if (!summary.ok()) {
    PrintError(summary.error());
    return kExitRuntime;
  }
  const caredesk::app::DemoHistoryOptions history{history_weeks, &app->access_log(),
                                                  std::chrono::system_clock::now(), history_scale};
  auto demo_cases = caredesk::app::SeedDemoCases(app->storage(), app->case_repository(),
                                                 app->cases(), app->district(), history);
  if (!demo_cases.ok()) {
    PrintError(demo_cases.error());
    return kExitRuntime;
  }
  // The demo's Open311 app (demo only: real keys are made by an admin and shown once).
  auto client = app->open311().EnsureClientWithKey("데모 Open311 앱", "demo-open311-key");
  if (!client.ok()) {
    PrintError(client.error());
    return kExitRuntime;
  }
  std::cout << "demo data: " << app->district().name << ", " << summary->dongs << " dongs, "
            << summary->desks << " desks, " << summary->agencies_total << " agencies ("
            << summary->agencies_created << " new), " << summary->users_created
            << " new demo accounts, " << *demo_cases << " new demo cases\n";
  std::cout << "demo logins (initial password '" << caredesk::app::kDemoPassword
            << "', to be changed at first sign-in):\n";
  for (const auto& login : caredesk::app::DemoLogins()) {
    std::cout << "  " << login.login << "  [" << login.role << "]  " << login.description << "\n";
  }
  std::cout << "Open311 (GeoReport v2): /open311/v2/, demo api_key 'demo-open311-key'\n";
  return 0;
}

// Creates the master key file; refuses to overwrite an existing one.
int Keygen(const ConfigLoader& loader) {
  auto config = loader.Load(GetEnv);
  if (!config.ok()) {
    PrintError(config.error());
    return kExitConfig;
  }
  if (auto s = caredesk::crypto::GenerateKeyFile(config->security.key_file); !s.ok()) {
    PrintError(s.error());
    return kExitRuntime;
  }
  std::cout << "key file written: " << config->security.key_file
            << " (mode 0600; back it up separately from the database)\n";
  return 0;
}

// Adds a new master key to the key file (unless `reseal_only`) and re-seals
// every master-sealed value under it, while servers keep running: they load
// the new key by themselves within seconds (SodiumSealer reloads the file).
int RotateKey(const ConfigLoader& loader, bool reseal_only) {
  auto loaded = loader.Load(GetEnv);
  if (!loaded.ok()) {
    PrintError(loaded.error());
    return kExitConfig;
  }
  if (!reseal_only) {
    auto id = caredesk::crypto::AddSealKey(loaded->security.key_file);
    if (!id.ok()) {
      PrintError(id.error());
      return kExitRuntime;
    }
    std::cout << "key file: added seal key " << *id << "\n";
    // Let running servers notice the new key before values sealed with it appear.
    std::this_thread::sleep_for(2 * caredesk::crypto::SodiumSealer::kReloadCheckInterval);
  }
  Config config;
  int code = 0;
  auto app = OpenApp(loader, &config, &code);
  if (!app) {
    return code;
  }
  auto report = app->storage().ResealUnderCurrentKey(*app->crypto().sealer);
  if (!report.ok()) {
    PrintError(report.error());
    return kExitRuntime;
  }
  std::cout << "re-sealed under key " << report->current_key_id << ": "
            << report->data_keys_resealed << " data keys, " << report->totp_secrets_resealed
            << " TOTP secrets, " << report->device_secrets_resealed << " check-in device secrets, "
            << report->comments_resealed << " work report comments; "
            << report->remaining << " still under older keys"
            << (report->remaining > 0 ? " (run 'caredesk rotate-key --reseal-only' again)" : "")
            << "\n";
  if (report->remaining == 0) {
    std::cout << "older seal keys may be removed from the key file once no backup made before "
                 "now is needed any more\n";
  }
  return 0;
}

// Walks the whole access-record chain; exit 1 when any record was tampered with.
int AuditVerify(const ConfigLoader& loader) {
  Config config;
  int code = 0;
  auto app = OpenApp(loader, &config, &code);
  if (!app) {
    return code;
  }
  constexpr int kPage = 1000;
  caredesk::core::ChainVerifier verifier(*app->crypto().digester);
  std::int64_t after = 0;
  while (true) {
    auto page = app->access_log().ReadAfter(after, kPage);
    if (!page.ok()) {
      PrintError(page.error());
      return kExitRuntime;
    }
    if (page->empty() || !verifier.Feed(*page)) {
      break;
    }
    after = page->back().id;
  }
  const auto& report = verifier.report();
  if (!report.intact) {
    std::cout << "access records: TAMPERED at record " << report.first_bad_id.value_or(0) << ": "
              << report.problem << " (" << report.checked << " records verified before it)\n";
    return kExitRuntime;
  }
  std::cout << "access records: intact (" << report.checked << " records verified)\n";
  return 0;
}

void PrintBackupReport(const caredesk::storage::BackupReport& r) {
  std::int64_t rows = 0;
  for (const auto& [table, n] : r.rows) {
    rows += n;
  }
  std::cout << "  schema version " << r.schema_version << ", " << r.rows.size() << " tables, "
            << rows << " rows";
  for (const char* t : {"cases", "residents", "access_records", "outbox"}) {
    if (const auto it = r.rows.find(t); it != r.rows.end()) {
      std::cout << ", " << t << " " << it->second;
    }
  }
  std::cout << "\n";
}

// An online, consistent copy of the whole database (not the key file).
int Backup(const ConfigLoader& loader, const std::string& output) {
  auto config = loader.Load(GetEnv);
  if (!config.ok()) {
    PrintError(config.error());
    return kExitConfig;
  }
  caredesk::app::ConfigureLogging(config->log);
  auto report = caredesk::storage::Backup(config->storage, output);
  if (!report.ok()) {
    PrintError(report.error());
    return kExitRuntime;
  }
  std::cout << "backup written: " << report->file << " (" << report->bytes << " bytes)\n";
  PrintBackupReport(*report);
  std::cout << "  the key file is not in it: keep " << config->security.key_file
            << " backed up separately\n";
  return 0;
}

int Restore(const ConfigLoader& loader, const std::string& input, bool replace) {
  auto config = loader.Load(GetEnv);
  if (!config.ok()) {
    PrintError(config.error());
    return kExitConfig;
  }
  caredesk::app::ConfigureLogging(config->log);
  auto report = caredesk::storage::Restore(config->storage, input, replace);
  if (!report.ok()) {
    PrintError(report.error());
    return kExitRuntime;
  }
  std::cout << "restored " << input << " into " << caredesk::storage::RedactUrl(config->storage.url)
            << "\n";
  PrintBackupReport(*report);
  std::cout
      << "  run 'caredesk migrate' (or start the server) to bring an older schema up to date; "
         "'caredesk audit verify' checks the access records\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"CareDesk — 무엇이든 상담창구 / public total-care system"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string("caredesk ") + CAREDESK_VERSION);

  auto* serve = cli.add_subcommand("serve", "Run the HTTP server (migrates first)");
  ConfigLoader serve_config(*serve);
  auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations and exit");
  ConfigLoader migrate_config(*migrate);
  auto* seed = cli.add_subcommand("seed-demo", "Create the demo district 마포구 (idempotent)");
  ConfigLoader seed_config(*seed);
  int history_weeks = 0;
  seed->add_option("--history-weeks", history_weeks,
                   "Also make this many weeks of past cases (make demo: 12; tests: 0)")
      ->check(CLI::Range(0, 52));
  int history_scale = 1;
  seed->add_option("--history-scale", history_scale,
                   "Make the history this many times busier than the demo's 3-8 cases a week "
                   "(make bench: 10)")
      ->check(CLI::Range(1, 20));
  auto* keygen = cli.add_subcommand("keygen", "Create the master key file (security.key_file)");
  ConfigLoader keygen_config(*keygen);
  auto* rotate = cli.add_subcommand(
      "rotate-key", "Add a new master key and re-seal data keys under it (servers keep running)");
  ConfigLoader rotate_config(*rotate);
  bool reseal_only = false;
  rotate->add_flag("--reseal-only", reseal_only,
                   "Do not add a key; re-seal what is still under older keys");
  auto* audit = cli.add_subcommand("audit", "Access-record tools");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Check the hash chain of every access record");
  ConfigLoader verify_config(*verify);
  auto* backup = cli.add_subcommand(
      "backup", "Write an online, consistent backup of the database (not the key file)");
  ConfigLoader backup_config(*backup);
  std::string backup_output;
  backup->add_option("--output,-o", backup_output, "The backup file to write (must not exist)")
      ->required();
  auto* restore =
      cli.add_subcommand("restore", "Restore a backup into an empty database (servers stopped)");
  ConfigLoader restore_config(*restore);
  std::string restore_input;
  bool restore_replace = false;
  restore->add_option("--input,-i", restore_input, "The backup file")->required();
  restore->add_flag("--replace", restore_replace,
                    "Overwrite a database that is not empty (every server on it stopped)");
  const caredesk::cli::TriageCommands triage(cli);
  const caredesk::cli::ScreenCommands screen(cli);
  const caredesk::cli::ReportCommands report(cli);

  CLI11_PARSE(cli, argc, argv);

  if (serve->parsed()) {
    return Serve(serve_config);
  }
  if (migrate->parsed()) {
    return Migrate(migrate_config);
  }
  if (seed->parsed()) {
    return SeedDemo(seed_config, history_weeks, history_scale);
  }
  if (keygen->parsed()) {
    return Keygen(keygen_config);
  }
  if (rotate->parsed()) {
    return RotateKey(rotate_config, reseal_only);
  }
  if (verify->parsed()) {
    return AuditVerify(verify_config);
  }
  if (backup->parsed()) {
    return Backup(backup_config, backup_output);
  }
  if (restore->parsed()) {
    return Restore(restore_config, restore_input, restore_replace);
  }
  if (triage.parsed()) {
    return triage.Run(GetEnv);
  }
  if (screen.parsed()) {
    return screen.Run(GetEnv);
  }
  if (report.parsed()) {
    return report.Run(GetEnv);
  }
  return kExitConfig;
}
