#include "app/config.hpp"

#include <toml++/toml.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace caredesk::app {
namespace {

using core::Error;
using core::ErrorCode;

struct Spec {
  const char* key;   // TOML path: "server.port"
  const char* flag;  // "--port"
  const char* env;   // "CAREDESK_PORT"
  const char* help;
  // Applies a textual value; returns an error message or empty.
  std::function<std::string(Config&, const std::string&)> set;
};

std::string ParseInt(const std::string& v, long long min, long long max, long long& out) {
  const auto* end = v.data() + v.size();
  auto [p, ec] = std::from_chars(v.data(), end, out);
  if (ec != std::errc() || p != end) {
    return "expected an integer, got '" + v + "'";
  }
  if (out < min || out > max) {
    return "must be between " + std::to_string(min) + " and " + std::to_string(max);
  }
  return {};
}

template <typename T>
std::function<std::string(Config&, const std::string&)> IntInto(T Config::*group, auto member,
                                                                long long min, long long max) {
  return [=](Config& c, const std::string& v) {
    long long n = 0;
    auto err = ParseInt(v, min, max, n);
    if (err.empty()) {
      using M = std::remove_reference_t<decltype((c.*group).*member)>;
      (c.*group).*member = static_cast<M>(n);
    }
    return err;
  };
}

template <typename T>
std::function<std::string(Config&, const std::string&)> MillisInto(T Config::*group, auto member,
                                                                   long long min, long long max) {
  return [=](Config& c, const std::string& v) {
    long long n = 0;
    auto err = ParseInt(v, min, max, n);
    if (err.empty()) {
      (c.*group).*member = std::chrono::milliseconds(n);
    }
    return err;
  };
}

template <typename T>
std::function<std::string(Config&, const std::string&)> StringInto(T Config::*group, auto member) {
  return [=](Config& c, const std::string& v) {
    (c.*group).*member = v;
    return std::string();
  };
}

std::string ReadSecretFile(const std::string& path, std::string& out) {
  std::ifstream in(path);
  if (!in) {
    return "cannot read " + path;
  }
  std::getline(in, out);
  return {};
}

const std::vector<Spec>& Specs() {
  constexpr long long kMaxMillis = 24LL * 3600 * 1000;
  static const std::vector<Spec> specs = {
      {"server.address", "--address", "CAREDESK_ADDRESS", "Listen address",
       StringInto(&Config::server, &http::ServerConfig::address)},
      {"server.port", "--port", "CAREDESK_PORT", "Listen port (0 = any free port)",
       IntInto(&Config::server, &http::ServerConfig::port, 0, 65535)},
      {"server.io_threads", "--io-threads", "CAREDESK_IO_THREADS",
       "Threads that parse and write HTTP (0 = one per core)",
       IntInto(&Config::server, &http::ServerConfig::io_threads, 0, 256)},
      {"server.worker_threads", "--worker-threads", "CAREDESK_WORKER_THREADS",
       "Threads that run handlers and database work (0 = max(4, 2 x cores))",
       IntInto(&Config::server, &http::ServerConfig::worker_threads, 0, 1024)},
      {"server.max_body_bytes", "--max-body-bytes", "CAREDESK_MAX_BODY_BYTES",
       "Largest accepted request body; larger gets 413",
       IntInto(&Config::server, &http::ServerConfig::max_body_bytes, 1024, 1LL << 30)},
      {"server.header_timeout_ms", "--header-timeout-ms", "CAREDESK_HEADER_TIMEOUT_MS",
       "Time a client has to send complete request headers (also the keep-alive idle limit)",
       MillisInto(&Config::server, &http::ServerConfig::header_timeout, 100, kMaxMillis)},
      {"server.body_timeout_ms", "--body-timeout-ms", "CAREDESK_BODY_TIMEOUT_MS",
       "Time a client has to send the request body",
       MillisInto(&Config::server, &http::ServerConfig::body_timeout, 100, kMaxMillis)},
      {"server.rate_limit_per_second", "--rate-limit-per-second", "CAREDESK_RATE_LIMIT_PER_SECOND",
       "Requests per second per client address before 429 (0 = no limit)",
       IntInto(&Config::server, &http::ServerConfig::rate_limit_per_second, 0, 1000000)},
      {"server.rate_limit_burst", "--rate-limit-burst", "CAREDESK_RATE_LIMIT_BURST",
       "Requests a client may send at once above the per-second rate",
       IntInto(&Config::server, &http::ServerConfig::rate_limit_burst, 1, 1000000)},
      {"server.shutdown_timeout_ms", "--shutdown-timeout-ms", "CAREDESK_SHUTDOWN_TIMEOUT_MS",
       "On SIGTERM, how long in-flight requests may take to finish",
       MillisInto(&Config::server, &http::ServerConfig::shutdown_timeout, 0, kMaxMillis)},
      {"database.url", "--database-url", "CAREDESK_DATABASE_URL",
       "sqlite:///abs/path.db, sqlite://relative/path.db or postgresql://user@host:port/db",
       StringInto(&Config::storage, &storage::StorageConfig::url)},
      {"database.password_file", "--database-password-file", "CAREDESK_DATABASE_PASSWORD_FILE",
       "File whose first line is the PostgreSQL password (kept out of the URL and the logs)",
       [](Config& c, const std::string& v) { return ReadSecretFile(v, c.storage.password); }},
      {"database.pool_size", "--database-pool-size", "CAREDESK_DATABASE_POOL_SIZE",
       "Database connections per server process",
       IntInto(&Config::storage, &storage::StorageConfig::pool_size, 1, 1000)},
      {"database.sqlite_sync", "--database-sqlite-sync", "CAREDESK_DATABASE_SQLITE_SYNC",
       "SQLite durability: group (commits share one WAL fsync) or full (one fsync per commit)",
       [](Config& c, const std::string& v) {
         if (v == "group") {
           c.storage.sqlite_sync = storage::SqliteSync::kGroup;
         } else if (v == "full") {
           c.storage.sqlite_sync = storage::SqliteSync::kFull;
         } else {
           return std::string("must be group or full");
         }
         return std::string();
       }},
      {"security.key_file", "--key-file", "CAREDESK_KEY_FILE",
       "Master key file made by 'caredesk keygen' (mode 0600; never in the database or logs)",
       StringInto(&Config::security, &SecurityConfig::key_file)},
      {"security.cookie_secure", "--cookie-secure", "CAREDESK_COOKIE_SECURE",
       "Send the session cookie with the Secure flag (1/true or 0/false)",
       [](Config& c, const std::string& v) {
         if (v == "1" || v == "true") {
           c.security.cookie_secure = true;
         } else if (v == "0" || v == "false") {
           c.security.cookie_secure = false;
         } else {
           return std::string("must be true or false");
         }
         return std::string();
       }},
      {"security.session_idle_minutes", "--session-idle-minutes", "CAREDESK_SESSION_IDLE_MINUTES",
       "Sign out after this many minutes without activity",
       IntInto(&Config::security, &SecurityConfig::session_idle_minutes, 1, 24 * 60)},
      {"security.session_absolute_hours", "--session-absolute-hours",
       "CAREDESK_SESSION_ABSOLUTE_HOURS", "Longest a session lasts, active or not",
       IntInto(&Config::security, &SecurityConfig::session_absolute_hours, 1, 24 * 7)},
      {"security.max_failed_logins", "--max-failed-logins", "CAREDESK_MAX_FAILED_LOGINS",
       "Failed sign-ins before the account locks",
       IntInto(&Config::security, &SecurityConfig::max_failed_logins, 1, 100)},
      {"security.lockout_minutes", "--lockout-minutes", "CAREDESK_LOCKOUT_MINUTES",
       "How long a locked account stays locked (an admin can unlock earlier)",
       IntInto(&Config::security, &SecurityConfig::lockout_minutes, 1, 24 * 60)},
      {"security.retention_years", "--retention-years", "CAREDESK_RETENTION_YEARS",
       "Anonymise closed cases this many years after closing (daily job)",
       IntInto(&Config::security, &SecurityConfig::retention_years, 1, 100)},
      {"log.level", "--log-level", "CAREDESK_LOG_LEVEL", "trace, debug, info, warn or error",
       [](Config& c, const std::string& v) {
         static const std::vector<std::string> kLevels = {"trace", "debug", "info", "warn",
                                                          "error"};
         if (std::find(kLevels.begin(), kLevels.end(), v) == kLevels.end()) {
           return std::string("must be one of trace, debug, info, warn, error");
         }
         c.log.level = v;
         return std::string();
       }},
      {"log.format", "--log-format", "CAREDESK_LOG_FORMAT", "text (key=value) or json",
       [](Config& c, const std::string& v) {
         if (v != "text" && v != "json") {
           return std::string("must be text or json");
         }
         c.log.format = v;
         return std::string();
       }},
      {"web.root", "--web-root", "CAREDESK_WEB_ROOT",
       "Directory of the built staff web app (index.html, assets/)",
       StringInto(&Config::web, &WebConfig::root)},
      {"triage.model_file", "--triage-model-file", "CAREDESK_TRIAGE_MODEL_FILE",
       "Trained triage model ('caredesk triage train'); missing or empty: keyword rules",
       StringInto(&Config::triage, &TriageConfig::model_file)},
      {"triage.data_dir", "--triage-data-dir", "CAREDESK_TRIAGE_DATA_DIR",
       "Training files for retraining from the admin screen (train.tsv, crisis_train.tsv; "
       "test.tsv, crisis_test.tsv to compare on)",
       StringInto(&Config::triage, &TriageConfig::data_dir)},
      {"notifications.gateway", "--notifications-gateway", "CAREDESK_NOTIFICATIONS_GATEWAY",
       "Where text messages and e-mails go: none (they wait in the outbox), file or webhook",
       [](Config& c, const std::string& v) {
         if (v != "none" && v != "file" && v != "webhook") {
           return std::string("must be none, file or webhook");
         }
         c.notifications.gateway = v;
         return std::string();
       }},
      {"notifications.file", "--notifications-file", "CAREDESK_NOTIFICATIONS_FILE",
       "The file gateway's JSON-lines file (mode 0600)",
       StringInto(&Config::notifications, &NotificationsConfig::file)},
      {"notifications.webhook_url", "--notifications-webhook-url",
       "CAREDESK_NOTIFICATIONS_WEBHOOK_URL",
       "The webhook gateway's URL (http:// or https://; JSON POST per message)",
       StringInto(&Config::notifications, &NotificationsConfig::webhook_url)},
      {"notifications.webhook_secret_file", "--notifications-webhook-secret-file",
       "CAREDESK_NOTIFICATIONS_WEBHOOK_SECRET_FILE",
       "File whose first line signs each webhook POST (X-CareDesk-Signature)",
       [](Config& c, const std::string& v) {
         return ReadSecretFile(v, c.notifications.webhook_secret);
       }},
      {"notifications.webhook_timeout_ms", "--notifications-webhook-timeout-ms",
       "CAREDESK_NOTIFICATIONS_WEBHOOK_TIMEOUT_MS", "Longest one webhook POST may take",
       IntInto(&Config::notifications, &NotificationsConfig::webhook_timeout_ms, 100, 120000)},
      {"notifications.max_attempts", "--notifications-max-attempts",
       "CAREDESK_NOTIFICATIONS_MAX_ATTEMPTS",
       "Attempts per message before it is given up (dead letter)",
       IntInto(&Config::notifications, &NotificationsConfig::max_attempts, 1, 100)},
      {"notifications.interval_seconds", "--notifications-interval-seconds",
       "CAREDESK_NOTIFICATIONS_INTERVAL_SECONDS", "How often the outbox is looked at",
       IntInto(&Config::notifications, &NotificationsConfig::interval_seconds, 1, 3600)},
      {"portal.submissions_per_hour", "--portal-submissions-per-hour",
       "CAREDESK_PORTAL_SUBMISSIONS_PER_HOUR",
       "Resident portal submissions per client address and hour before 429",
       IntInto(&Config::portal, &PortalConfig::submissions_per_hour, 1, 100000)},
      {"portal.lookups_per_hour", "--portal-lookups-per-hour", "CAREDESK_PORTAL_LOOKUPS_PER_HOUR",
       "Resident portal progress lookups per client address and hour before 429",
       IntInto(&Config::portal, &PortalConfig::lookups_per_hour, 1, 100000)},
      {"open311.dong_boundaries_file", "--open311-dong-boundaries-file",
       "CAREDESK_OPEN311_DONG_BOUNDARIES_FILE",
       "GeoJSON of the dongs' boundaries, for Open311 requests located by coordinates",
       StringInto(&Config::open311, &Open311Config::dong_boundaries_file)},
      {"district.code", "--district-code", "CAREDESK_DISTRICT_CODE",
       "The district this server serves (stable slug)",
       StringInto(&Config::district, &DistrictConfig::code)},
      {"district.name", "--district-name", "CAREDESK_DISTRICT_NAME",
       "The district's name, used when the district is first created",
       StringInto(&Config::district, &DistrictConfig::name)},
  };
  return specs;
}

Error ConfigError(const std::string& source, const std::string& what,
                  const std::string& what_ko = {}) {
  return Error::Make(ErrorCode::kBadRequest, "configuration: " + source + ": " + what,
                     "설정 오류: " + source + ": " + (what_ko.empty() ? what : what_ko));
}

// The textual value of a TOML leaf, or an error for tables and arrays.
std::optional<std::string> TomlLeaf(const toml::node& node) {
  if (const auto* s = node.as_string()) {
    return s->get();
  }
  if (const auto* i = node.as_integer()) {
    return std::to_string(i->get());
  }
  if (const auto* b = node.as_boolean()) {
    return b->get() ? "true" : "false";
  }
  return std::nullopt;
}

}  // namespace

struct ConfigLoader::Impl {
  std::string config_file;
  std::map<std::string, std::string> flag_values;
  std::map<std::string, CLI::Option*> flag_options;
};

ConfigLoader::ConfigLoader(CLI::App& command) : impl_(std::make_unique<Impl>()) {
  command.add_option("--config", impl_->config_file,
                     "TOML configuration file [env: CAREDESK_CONFIG]");
  for (const auto& spec : Specs()) {
    auto* opt = command.add_option(
        spec.flag, impl_->flag_values[spec.key],
        std::string(spec.help) + " [env: " + spec.env + "] [file: " + spec.key + "]");
    impl_->flag_options[spec.key] = opt;
  }
}

ConfigLoader::~ConfigLoader() = default;

core::Result<Config> ConfigLoader::Load(const std::function<const char*(const char*)>& env) const {
  Config config;
  // 1. File.
  std::string file = impl_->config_file;
  if (file.empty()) {
    if (const char* e = env("CAREDESK_CONFIG"); e != nullptr) {
      file = e;
    }
  }
  if (!file.empty()) {
    config.config_file = file;
    toml::table table;
    try {
      table = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
      std::ostringstream where;
      where << e.source().begin;
      return ConfigError(file, std::string(e.description()) + " at " + where.str());
    }
    // Unknown keys are errors: a misspelt option must not be ignored silently.
    std::vector<std::string> seen;
    for (const auto& [group, node] : table) {
      const auto* sub = node.as_table();
      if (sub == nullptr) {
        return ConfigError(file, "'" + std::string(group.str()) + "' must be a [section]");
      }
      for (const auto& [name, leaf] : *sub) {
        const std::string key = std::string(group.str()) + "." + std::string(name.str());
        const auto spec = std::find_if(Specs().begin(), Specs().end(),
                                       [&](const Spec& s) { return key == s.key; });
        if (spec == Specs().end()) {
          return ConfigError(file, "unknown option '" + key + "'");
        }
        const auto value = TomlLeaf(leaf);
        if (!value) {
          return ConfigError(file, "'" + key + "' must be a string, integer or boolean");
        }
        if (auto err = spec->set(config, *value); !err.empty()) {
          return ConfigError(file, key + " " + err);
        }
      }
    }
  }
  // 2. Environment.
  for (const auto& spec : Specs()) {
    if (const char* e = env(spec.env); e != nullptr) {
      if (auto err = spec.set(config, e); !err.empty()) {
        return ConfigError(spec.env, err);
      }
    }
  }
  // 3. Flags.
  for (const auto& spec : Specs()) {
    if (impl_->flag_options.at(spec.key)->count() > 0) {
      if (auto err = spec.set(config, impl_->flag_values.at(spec.key)); !err.empty()) {
        return ConfigError(spec.flag, err);
      }
    }
  }
  if (config.notifications.gateway == "webhook" &&
      config.notifications.webhook_url.rfind("http://", 0) != 0 &&
      config.notifications.webhook_url.rfind("https://", 0) != 0) {
    return ConfigError("notifications.webhook_url",
                       "the webhook gateway needs an http:// or https:// URL",
                       "웹훅 게이트웨이에는 http:// 또는 https:// 주소가 필요합니다");
  }
  if (auto parsed = storage::ParseStorageUrl(config.storage.url); !parsed.ok()) {
    return ConfigError("database.url", parsed.error().message, parsed.error().message_ko);
  }
  return config;
}

std::string Describe(const Config& c) {
  std::ostringstream out;
  out << "listen=" << c.server.address << ":" << c.server.port
      << " database=" << storage::RedactUrl(c.storage.url)
      << " database_password=" << (c.storage.password.empty() ? "unset" : "***")
      << " pool_size=" << c.storage.pool_size << " io_threads=" << c.server.io_threads
      << " worker_threads=" << c.server.worker_threads
      << " max_body_bytes=" << c.server.max_body_bytes
      << " key_file=" << (c.security.key_file.empty() ? "unset" : c.security.key_file)
      << " district=" << c.district.code << " web_root=" << c.web.root
      << " triage_model=" << (c.triage.model_file.empty() ? "rules" : c.triage.model_file)
      << " notifications=" << c.notifications.gateway
      << " config_file=" << (c.config_file.empty() ? "none" : c.config_file);
  return out.str();
}

}  // namespace caredesk::app
