// libFuzzer: JSON request decoding and validation through the real routes. Once per process the
// real app::App opens on a fresh SQLite database (under /dev/shm when there is one), with a fixed
// clock, signed-in staff of every role and a few records (a case with a referral and a
// follow-up, a resident's check-in device, a saved filter, a calendar feed). Each input is one
// request, answered in process by Router::Dispatch, the function the server calls for every
// request it has read (no sockets). The input reads like a small HTTP request:
//
//   POST /api/v1/cases/{case}/referrals?x=1      method and target
//   as: counselor                                who sends it (see kActors; default counselor)
//   if-match: 1                                  more headers; content-type defaults to JSON
//                                                an empty line, then the body
//   {"agency_id": {agency}, "consent": {"given_by": "본인"}}
//
// {case}, {resident}, {referral}, {follow_up}, {agency}, {dong}, {desk}, {user}, {device},
// {device_uid}, {saved_filter}, {session}, {feed}, {outbox}, {missing} stand for ids and names
// of the records above anywhere in the input; {now} and {nonce} for the clock's Unix time and a
// fresh nonce; a header value {sign} for the check-in signature of the body by {device}.
//
// Invariants: no crash or sanitizer report; never a 5xx; a status that docs/openapi.json lists
// for the operation (or one any request may get: 400, 401, 403, 405, 415, 422); every error
// answer in the one error shape (Open311's own list under /open311/, whose app has the key
// fuzz-open311-key); every JSON answer parses; the web app's files never serve what lies
// outside their root; a saved filter is one the case list accepts; a case or resident
// just created reads back as created.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "app/auth_guard.hpp"
#include "app/openapi_document.hpp"
#include "core/checkin.hpp"
#include "crypto/crypto.hpp"
#include "http/json_io.hpp"
#include "tests/fuzz/fuzz_checks.hpp"
#include "tests/support/fake_clock.hpp"

namespace caredesk::fuzz {
namespace {

namespace fs = std::filesystem;
using http::Json;

constexpr std::string_view kRequestId = "fuzz";
constexpr std::string_view kRemoteIp = "127.0.0.1";
constexpr const char* kInitialPassword = "Initial-Pass-2026";
constexpr const char* kPassword = "Changed-Pass-2026";
// Shows up in no answer unless the web app's files leak what lies beside their root.
constexpr std::string_view kSecretMarker = "caredesk-fuzz-secret-8f2c1e";
constexpr std::size_t kMaxHeaders = 32;
constexpr std::int64_t kMissingId = 999999999;

// Whoever an input may send its request as ("as: <name>"): every role, and nobody.
struct ActorSpec {
  const char* name;
  const char* role;
  bool in_seogyo;   // works for the dong of the fixtures
  bool at_finance;  // an officer of the agency the fixture case is referred to
};
constexpr ActorSpec kActors[] = {
    {"counselor", "counselor", true, false},    {"manager", "case_manager", true, false},
    {"supervisor", "supervisor", false, false}, {"officer", "agency_officer", false, true},
    {"auditor", "auditor", false, false},       {"admin", "admin", false, false},
};

// Routes an input does not reach: a retraining trains for minutes on a background thread.
bool Skipped(std::string_view path) { return path == "/api/v1/triage/retrain"; }

// Routes after which the harness checks its own sessions are still good (an input may sign
// out, revoke a session, change a password, turn on a second factor, deactivate an account or
// change a role): a broken actor gets a fresh account, so one input does not spoil the next.
bool MayChangeAccounts(const http::Request& req) {
  return req.method != "GET" && req.method != "HEAD" &&
         (req.path.starts_with("/api/v1/auth/") || req.path.starts_with("/api/v1/users"));
}

fs::path ScratchBase() {
  if (const char* dir = std::getenv("CAREDESK_FUZZ_TMPDIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  std::error_code ec;
  if (fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0) {
    return "/dev/shm";
  }
  return fs::temp_directory_path();
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty()) {
    return;
  }
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Reads one line off `rest` (without its "\n" or "\r\n").
std::string_view NextLine(std::string_view& rest) {
  const auto nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  return line;
}

struct Parsed {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string actor = "counselor";
  std::string body;
};

Parsed ParseInput(std::string_view input) {
  Parsed p;
  std::string_view rest = input;
  const auto request_line = NextLine(rest);
  const auto space = request_line.find(' ');
  p.method = std::string(request_line.substr(0, space));
  p.target = space == std::string_view::npos ? "/" : std::string(request_line.substr(space + 1));
  while (!rest.empty()) {
    const auto line = NextLine(rest);
    if (line.empty()) {
      break;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || p.headers.size() >= kMaxHeaders) {
      continue;
    }
    auto name = Lower(TrimSpaces(line.substr(0, colon)));
    auto value = std::string(TrimSpaces(line.substr(colon + 1)));
    if (name == "as") {
      p.actor = std::move(value);
    } else {
      p.headers.emplace_back(std::move(name), std::move(value));
    }
  }
  p.body = std::string(rest);
  return p;
}

// The documented statuses of every operation, from the embedded docs/openapi.json.
std::map<std::string, std::set<int>> DocumentedStatuses() {
  std::map<std::string, std::set<int>> out;
  const Json doc = Json::parse(app::OpenApiDocument());
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      if (!op.is_object() || !op.contains("responses")) {
        continue;
      }
      auto& statuses = out[Lower(method) + " " + path];
      for (const auto& [status, _] : op["responses"].items()) {
        statuses.insert(std::stoi(status));
      }
    }
  }
  return out;
}

class Harness {
 public:
  Harness() {
    spdlog::set_level(spdlog::level::off);
    std::string tmpl = (ScratchBase() / "caredesk-fuzz-XXXXXX").string();
    Require(::mkdtemp(tmpl.data()) != nullptr, "cannot make the scratch directory", tmpl);
    dir_ = tmpl;
    BeforeAbort() = [dir = dir_] {
      std::error_code ec;
      fs::remove_all(dir, ec);
    };
    // The web app's root, and a file beside it that must never be served.
    fs::create_directories(dir_ / "web" / "assets");
    std::ofstream(dir_ / "web" / "index.html") << "<!doctype html><title>CareDesk</title>";
    std::ofstream(dir_ / "web" / "assets" / "app.js") << "console.log('caredesk');";
    std::ofstream(dir_ / "secret.txt") << kSecretMarker;

    app::Config config;
    config.storage.url = "sqlite://" + (dir_ / "fuzz.db").string();
    config.storage.pool_size = 2;
    config.security.key_file = (dir_ / "fuzz.key").string();
    config.security.cookie_secure = false;
    config.web.root = (dir_ / "web").string();
    config.triage.model_file.clear();  // keyword rules
    config.triage.data_dir = (dir_ / "no-triage-data").string();
    config.notifications.gateway = "none";
    auto key = crypto::GenerateKeyFile(config.security.key_file);
    Require(key.ok(), "cannot write the key file", key.ok() ? "" : key.error().message);
    app::OpenOptions options;
    options.clock = &clock_;
    options.password_cost = crypto::PasswordCost::Minimum();
    options.outbox_thread = false;
    auto opened = app::App::Open(config, options);
    Require(opened.ok(), "cannot open the app",
            opened.ok() ? "" : opened.error().message + " " + opened.error().internal_detail);
    app_ = std::move(*opened);
    documented_ = DocumentedStatuses();
    MakeFixtures();
  }

  ~Harness() {
    app_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  void Run(std::string_view input) {
    Parsed p = ParseInput(input);
    const auto nonce = "fuzznonce" + std::to_string(++nonces_) + "xxxxxxxx";
    Substitute(p.target, nonce);
    Substitute(p.body, nonce);
    for (auto& [_, value] : p.headers) {
      Substitute(value, nonce);
    }
    http::Request req = MakeRequest(p.method, p.target, p.body);
    bool content_type = false;
    for (auto& [name, value] : p.headers) {
      if (value == "{sign}") {
        value = Sign(req, p.headers);
      }
      content_type = content_type || name == "content-type";
      auto [it, inserted] = req.headers.emplace(name, value);
      if (!inserted) {
        it->second += ", " + value;
      }
    }
    if (!content_type) {
      req.headers["content-type"] = "application/json";
    }
    SignAs(req, p.actor);
    if (Skipped(req.path)) {
      return;
    }
    const http::Response res = app_->router().Dispatch(req);
    if (verbose_) {
      std::fprintf(stderr, "%s %s\n%s\n-> %d %s\n", req.method.c_str(), req.target.c_str(),
                   req.body.c_str(), res.status, res.body.c_str());
    }
    Check(req, res);
    if (req.route == "/api/v1/saved-filters" && req.method == "POST" && res.status == 201) {
      CheckSavedFilterApplies(res);
    }
    if (res.status == 201) {
      CheckCreatedReadsBack(res, p.actor);
    }
    if (MayChangeAccounts(req)) {
      RepairActors();
    }
  }

 private:
  struct Actor {
    core::UserId id = 0;
    std::string token;
    std::string csrf;
  };

  http::Request MakeRequest(std::string method, std::string target, std::string body) const {
    http::Request req;
    req.method = std::move(method);
    req.target = std::move(target);
    const auto q = req.target.find('?');
    req.path = req.target.substr(0, q);
    if (q != std::string::npos) {
      req.query = req.target.substr(q + 1);
    }
    req.body = std::move(body);
    req.remote_ip = std::string(kRemoteIp);
    req.request_id = std::string(kRequestId);
    req.headers["user-agent"] = "caredesk-fuzz";
    return req;
  }

  // Adds the session cookie and CSRF token of `actor` unless the input sent its own.
  void SignAs(http::Request& req, const std::string& actor) const {
    const auto it = actors_.find(actor);
    if (it == actors_.end()) {
      return;  // "anonymous" or anything else: nobody
    }
    req.headers.emplace("cookie", std::string(app::kSessionCookie) + "=" + it->second.token);
    req.headers.emplace(std::string(app::kCsrfHeader), it->second.csrf);
  }

  http::Response Send(const std::string& method, const std::string& target, const Json& body,
                      const std::string& actor) {
    http::Request req = MakeRequest(method, target, body.is_null() ? "" : body.dump());
    req.headers["content-type"] = "application/json";
    SignAs(req, actor);
    return app_->router().Dispatch(req);
  }

  Json SendOk(const std::string& method, const std::string& target, const Json& body,
              const std::string& actor) {
    const auto res = Send(method, target, body, actor);
    Require(res.status >= 200 && res.status < 300, "a fixture request failed",
            method + " " + target + " -> " + std::to_string(res.status) + " " + res.body);
    return res.body.empty() ? Json() : Json::parse(res.body);
  }

  // A new account of `spec`'s role, signed in, its initial password replaced.
  void Provision(const ActorSpec& spec) {
    const std::string login = std::string("fuzz-") + spec.name + "-" + std::to_string(++accounts_);
    core::NewUser input{login,
                        login,
                        spec.role,
                        spec.in_seogyo ? std::optional<core::DongId>(seogyo_) : std::nullopt,
                        spec.at_finance ? std::optional<core::AgencyId>(finance_) : std::nullopt,
                        kInitialPassword};
    auto user = app_->auth().Bootstrap(input);
    Require(user.ok(), "cannot create a fixture account", user.ok() ? "" : user.error().message);
    auto signed_in = SignIn(login, kInitialPassword);
    actors_[spec.name] = Actor{user->id, signed_in.first, signed_in.second};
    SendOk("POST", "/api/v1/auth/password",
           Json{{"current_password", kInitialPassword}, {"new_password", kPassword}}, spec.name);
  }

  // Signs in through the route; returns the session token and the CSRF token.
  std::pair<std::string, std::string> SignIn(const std::string& login,
                                             const std::string& password) {
    const auto res =
        Send("POST", "/api/v1/auth/login", Json{{"login", login}, {"password", password}}, "");
    Require(res.status == 200, "a fixture sign-in failed", res.body);
    std::string token;
    for (const auto& [name, value] : res.headers) {
      const std::string prefix = std::string(app::kSessionCookie) + "=";
      if (name == "Set-Cookie" && value.starts_with(prefix)) {
        token = value.substr(prefix.size(), value.find(';') - prefix.size());
      }
    }
    return {token, Json::parse(res.body)["csrf_token"].get<std::string>()};
  }

  void MakeFixtures() {
    auto& directory = app_->storage().directory();
    const auto district = app_->district().id;
    seogyo_ = directory.EnsureDong(district, "서교동", "서교")->id;
    Require(directory.EnsureDong(district, "망원1동", "망원1").ok(), "cannot make a fixture dong");
    core::Desk desk;
    desk.district_id = district;
    desk.dong_id = seogyo_;
    desk.name = "서교동 행정복지센터";
    desk_ = directory.EnsureDesk(desk)->id;
    core::Agency finance;
    finance.district_id = district;
    finance.name = "서민금융통합지원센터";
    finance.categories = {"finance"};
    finance.contact = "1397";
    finance.response_hours = 48;
    finance_ = directory.CreateAgency(finance)->id;
    for (const auto& spec : kActors) {
      Provision(spec);
    }
    user_ = actors_["counselor"].id;
    // A second session of the counselor's, for DELETE /auth/sessions/{session}.
    const auto login = app_->storage().users().FindByLogin(district, "fuzz-counselor-1");
    SignIn(login->login, kPassword);
    const auto sessions = SendOk("GET", "/api/v1/auth/sessions", nullptr, "counselor");
    for (const auto& s : sessions["items"]) {
      if (!s["current"].get<bool>()) {
        session_ = s["id"].get<std::string>();
      }
    }
    const Json walk_in = {{"channel", "visit"},
                          {"resident",
                           {{"name", "홍길동"},
                            {"birth_date", "1958-03-02"},
                            {"phone", "010-9876-5432"},
                            {"address", "서울 마포구 월드컵로 212"},
                            {"household", {{"living_alone", true}, {"members", 1}}},
                            {"contact_by", "sms"}}},
                          {"confirm_new_resident", true},
                          {"dong_id", seogyo_},
                          {"primary_category", "finance"},
                          {"summary", "카드빚 때문에 독촉 전화가 와요"},
                          {"consultation", {{"kind", "visit"}, {"notes", "채무 규모 약 3천만원"}}},
                          {"follow_up", {{"kind", "counseling"}, {"due", "2026-11-26"}}}};
    const auto created = SendOk("POST", "/api/v1/cases", walk_in, "counselor");
    case_ = created["id"].get<std::int64_t>();
    resident_ = created["resident"]["id"].get<std::int64_t>();
    follow_up_ = created["follow_ups"][0]["id"].get<std::int64_t>();
    const auto referred = SendOk(
        "POST", "/api/v1/cases/" + std::to_string(case_) + "/referrals",
        Json{{"agency_id", finance_}, {"consent", {{"given_by", "본인"}, {"scope", {"name"}}}}},
        "counselor");
    referral_ = referred["referrals"][0]["id"].get<std::int64_t>();
    const auto device =
        SendOk("POST", "/api/v1/residents/" + std::to_string(resident_) + "/devices",
               Json{{"device_uid", "HYODOL-0001"}, {"label", "효돌 (거실)"}}, "counselor");
    device_ = device["device"]["id"].get<std::int64_t>();
    device_uid_ = device["device"]["device_uid"].get<std::string>();
    device_secret_ = device["secret"].get<std::string>();
    saved_filter_ =
        SendOk("POST", "/api/v1/saved-filters",
               Json{{"name", "내 미결"}, {"query", {{"open", "true"}}}}, "counselor")["id"]
            .get<std::int64_t>();
    const auto feed = SendOk("POST", "/api/v1/auth/me/calendar-feed", nullptr, "counselor");
    const auto path = feed["path"].get<std::string>();
    feed_ = path.substr(path.rfind('/') + 1);
    const auto outbox = SendOk("GET", "/api/v1/outbox", nullptr, "admin")["items"];
    outbox_ = outbox.empty() ? kMissingId : outbox[0]["id"].get<std::int64_t>();
    // An Open311 app whose key the corpus uses (api_key=fuzz-open311-key).
    Require(app_->open311().EnsureClientWithKey("fuzz app", "fuzz-open311-key").ok(),
            "the Open311 app could not be registered");
  }

  void Substitute(std::string& s, const std::string& nonce) const {
    if (s.find('{') == std::string::npos) {
      return;
    }
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
    const std::pair<const char*, std::string> values[] = {
        {"{case}", std::to_string(case_)},
        {"{resident}", std::to_string(resident_)},
        {"{referral}", std::to_string(referral_)},
        {"{follow_up}", std::to_string(follow_up_)},
        {"{agency}", std::to_string(finance_)},
        {"{dong}", std::to_string(seogyo_)},
        {"{desk}", std::to_string(desk_)},
        {"{user}", std::to_string(user_)},
        {"{device}", std::to_string(device_)},
        {"{device_uid}", device_uid_},
        {"{saved_filter}", std::to_string(saved_filter_)},
        {"{session}", session_},
        {"{feed}", feed_},
        {"{outbox}", std::to_string(outbox_)},
        {"{missing}", std::to_string(kMissingId)},
        {"{now}", std::to_string(now)},
        {"{nonce}", nonce},
    };
    for (const auto& [from, to] : values) {
      ReplaceAll(s, from, to);
    }
  }

  // The check-in signature of `req` as the fixture device makes it, with the timestamp and
  // nonce the input's headers give.
  std::string Sign(const http::Request& req,
                   const std::vector<std::pair<std::string, std::string>>& headers) const {
    std::string timestamp;
    std::string nonce;
    for (const auto& [name, value] : headers) {
      if (name == "x-timestamp") {
        timestamp = value;
      } else if (name == "x-nonce") {
        nonce = value;
      }
    }
    const core::Bytes key(device_secret_.begin(), device_secret_.end());
    return app_->crypto().digester->HmacSha256Hex(
        key, core::CheckinSigningString(timestamp, nonce, req.body));
  }

  void Check(const http::Request& req, const http::Response& res) const {
    const auto what = req.method + " " + req.target + " -> " + std::to_string(res.status);
    Require(res.status < 500, "a 5xx answer (a bug for any input)",
            what + "\n" + res.log_detail + "\n" + res.body);
    Require(res.status >= 200, "an answer without a status", what);
    // Open311's routes answer in Open311's format, except the router's own 405 (a method no
    // route of the path has), which is the same for every path.
    if (res.status >= 400 && res.status != 405 && req.route.starts_with("/open311/")) {
      CheckOpen311ErrorShape(res);
    } else if (res.status >= 400) {
      CheckErrorShape(res, kRequestId);
    }
    if (req.route.empty() || req.route == "static") {
      Require(res.status == 200 || res.status == 400 || res.status == 404 || res.status == 405,
              "an unexpected status for a path the API does not have", what);
      Require(res.body.find(kSecretMarker) == std::string::npos,
              "the web app's files served a file outside their root", what);
    } else if (res.status != 405) {  // 405: the path is a route's, the method none of its
      const auto method = req.method == "HEAD" ? std::string("get") : Lower(req.method);
      const auto it = documented_.find(method + " " + req.route);
      static const std::set<int> kAnyRequest = {400, 401, 403, 405, 415, 422};
      Require(it != documented_.end(), "a route docs/openapi.json does not describe", what);
      Require(it->second.contains(res.status) || kAnyRequest.contains(res.status),
              "a status docs/openapi.json does not list for this operation",
              what + "\n" + res.body);
    }
    if (res.status == 204) {
      Require(res.body.empty(), "a 204 answer with a body", what);
    } else if (res.content_type.starts_with("application/json")) {
      Require(!Json::parse(res.body, nullptr, false).is_discarded(), "a JSON answer does not parse",
              what + "\n" + res.body);
    }
  }

  // A saved filter holds "values the case list accepts" (core/saved_filter.hpp): opening it
  // must not be refused.
  void CheckSavedFilterApplies(const http::Response& res) {
    const Json saved = Json::parse(res.body);
    std::string query;
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (const auto& [key, value] : saved["query"].items()) {
      query += query.empty() ? "" : "&";
      for (const auto* part : {&key, &value.get_ref<const std::string&>()}) {
        for (const char ch : *part) {
          const auto c = static_cast<unsigned char>(ch);
          query += {'%', kHex[c >> 4], kHex[c & 0x0F]};
        }
        if (part == &key) {
          query += '=';
        }
      }
    }
    const auto list = Send("GET", "/api/v1/cases?" + query, nullptr, "counselor");
    Require(list.status != 422, "the case list refuses a saved filter",
            saved.dump() + "\n" + list.body);
    Send("DELETE", "/api/v1/saved-filters/" + std::to_string(saved["id"].get<std::int64_t>()),
         nullptr, "counselor");
  }

  // A case or resident just created reads back as its creator saw it: the same text in every
  // top-level string field (what storage sealed, indexed and loaded again).
  void CheckCreatedReadsBack(const http::Response& res, const std::string& actor) {
    std::string location;
    for (const auto& [name, value] : res.headers) {
      if (name == "Location") {
        location = value;
      }
    }
    if (!location.starts_with("/api/v1/cases/") && !location.starts_with("/api/v1/residents/")) {
      return;
    }
    const auto read = Send("GET", location, nullptr, actor);
    Require(read.status == 200, "a record just created does not read back",
            location + " -> " + std::to_string(read.status) + " " + read.body);
    const Json created = Json::parse(res.body);
    const Json again = Json::parse(read.body);
    for (const auto& [key, value] : created.items()) {
      if (value.is_string()) {
        Require(
            again.contains(key) && again[key] == value, "a record reads back changed",
            key + ": " + value.dump() + " -> " + (again.contains(key) ? again[key].dump() : ""));
      }
    }
  }

  // Gives each actor whose session no longer works as it did a fresh account.
  void RepairActors() {
    for (const auto& spec : kActors) {
      const auto& actor = actors_.at(spec.name);
      auto ctx = app_->auth().Authenticate(actor.token, std::string(kRemoteIp));
      const bool good = ctx.ok() && !ctx->user.must_change_password &&
                        !ctx->session.second_factor_pending && ctx->user.active &&
                        core::RoleCode(ctx->user.role) == spec.role;
      if (!good) {
        Provision(spec);
      }
    }
  }

  // CAREDESK_FUZZ_VERBOSE=1: every request and answer on stderr (to read a crash input's story).
  const bool verbose_ = std::getenv("CAREDESK_FUZZ_VERBOSE") != nullptr;
  testing::FakeClock clock_;
  fs::path dir_;
  std::unique_ptr<app::App> app_;
  std::map<std::string, std::set<int>> documented_;
  std::map<std::string, Actor> actors_;
  int accounts_ = 0;
  std::uint64_t nonces_ = 0;
  core::DongId seogyo_ = 0;
  core::DeskId desk_ = 0;
  core::AgencyId finance_ = 0;
  core::UserId user_ = 0;
  std::string session_;
  std::int64_t case_ = 0;
  std::int64_t resident_ = 0;
  std::int64_t follow_up_ = 0;
  std::int64_t referral_ = 0;
  std::int64_t device_ = 0;
  std::string device_uid_;
  std::string device_secret_;
  std::int64_t saved_filter_ = 0;
  std::string feed_;
  std::int64_t outbox_ = 0;
};

Harness* the_harness = nullptr;

}  // namespace
}  // namespace caredesk::fuzz

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  static caredesk::fuzz::Harness harness;
  caredesk::fuzz::the_harness = &harness;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  caredesk::fuzz::the_harness->Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
