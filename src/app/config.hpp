// Configuration: defaults < TOML file < environment (CAREDESK_*) < flags.
// One table of options drives all three sources and the --help text.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "http/server.hpp"
#include "storage/storage.hpp"

namespace CLI {
class App;
}

namespace caredesk::app {

struct LogConfig {
  std::string level = "info";   // trace, debug, info, warn, error
  std::string format = "text";  // text (key=value) or json
};

struct DistrictConfig {
  std::string code = "mapo";
  std::string name = "마포구";
};

struct SecurityConfig {
  std::string key_file = "var/caredesk.key";  // master keys (caredesk keygen), outside the database
  bool cookie_secure = true;  // the session cookie's Secure flag (keep on; TLS in front)
  int session_idle_minutes = 30;
  int session_absolute_hours = 12;
  int max_failed_logins = 5;
  int lockout_minutes = 30;
  // Closed cases are anonymised this many years after closing (개인정보 보유기간).
  int retention_years = 5;
};

struct WebConfig {
  // The staff web app built by Vite (make web); relative to the working directory.
  std::string root = "web/dist";
};

struct TriageConfig {
  // The trained category and crisis classifier ('caredesk triage train'); relative to the
  // working directory. Missing: the server suggests from keyword rules (and logs a warning);
  // empty: keyword rules on purpose.
  std::string model_file = "var/triage.model";
  // Retraining from the admin screen learns from train.tsv and crisis_train.tsv here plus the
  // counselors' corrections, and compares with the model in use on test.tsv and
  // crisis_test.tsv (held out) before it replaces it; relative to the working directory.
  std::string data_dir = "data/triage";
};

struct NotificationsConfig {
  // Where the outbox sends: "none" (messages wait in the outbox), "file" (JSON lines in `file`,
  // for the demo) or "webhook" (JSON POST to `webhook_url`).
  std::string gateway = "none";
  std::string file = "var/notifications.jsonl";
  std::string webhook_url;
  std::string webhook_secret;  // from webhook_secret_file: signs each POST
  int webhook_timeout_ms = 10000;
  int max_attempts = 8;       // then the message is dead (an admin can requeue it)
  int interval_seconds = 15;  // how often the outbox is looked at
};

// The resident portal's limits per client address (on top of server.rate_limit_*): a
// submission or lookup beyond them gets 429 with Retry-After. Each receipt also locks
// after kMaxLookupFailures wrong guesses (core/portal.hpp), whatever the address.
struct PortalConfig {
  int submissions_per_hour = 10;
  int lookups_per_hour = 60;
};

// Open311 requests located by coordinates fall in the dong whose boundary holds them
// (GeoJSON, app/open311_boundaries.hpp); relative to the working directory. A missing file:
// requests are located by the dong named in their address only (a warning at start).
struct Open311Config {
  std::string dong_boundaries_file = "data/open311/dong_boundaries.geojson";
};

struct Config {
  http::ServerConfig server;
  PortalConfig portal;
  Open311Config open311;
  WebConfig web;
  TriageConfig triage;
  NotificationsConfig notifications;
  SecurityConfig security;
  storage::StorageConfig storage;
  LogConfig log;
  DistrictConfig district;
  std::string config_file;  // where the file layer came from, if any
};

// Registers every option on `command` and remembers where to store flag values.
class ConfigLoader {
 public:
  explicit ConfigLoader(CLI::App& command);
  ~ConfigLoader();
  ConfigLoader(const ConfigLoader&) = delete;
  ConfigLoader& operator=(const ConfigLoader&) = delete;

  // Call after CLI11 has parsed the command line. `env` looks up a variable
  // (injected so tests need not touch the process environment).
  core::Result<Config> Load(const std::function<const char*(const char*)>& env) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A human-readable dump of the effective configuration with secrets masked.
std::string Describe(const Config& config);

}  // namespace caredesk::app
