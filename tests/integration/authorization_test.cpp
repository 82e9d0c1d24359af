// The authorization matrix, generated over every route the router has: for
// each route, each role and each scope (a record of the actor's own dong or
// agency, one of another dong or agency, an id that does not exist) the answer
// must be exactly what the table below says. The table is written out by hand
// from the product rules, never computed from core::Authorize, so it can
// disagree with the implementation; and a route the table does not know fails
// the test, so every new route forces a decision here.
//
// The rules the table encodes:
//  * counselor, case manager and a supervisor with a dong see and work on the
//    cases, follow-ups and residents of their own dong; another dong's record
//    is hidden (404); intake (and registering a resident, the overdue list and
//    the follow-up calendar) for another dong is forbidden (403).
//  * a district-wide supervisor (no dong) does that for every dong.
//  * an agency officer touches only /api/v1/referrals...: referrals sent to
//    their own agency; another agency's referral is hidden (404); every case,
//    resident and work route is forbidden (403).
//  * auditors and admins get 403 on every case, resident, referral and work
//    route, even for ids that do not exist (no probing).
//  * aggregates (the dashboard) carry no personal data: case workers read their
//    own dong's, auditors and district-wide supervisors any dong's; agency
//    officers and admins none.
//  * directory reads (district, dongs, desks, categories, agencies, holidays
//    GET) are for everyone; directory writes, users, access records and
//    holiday PUT/DELETE, the triage model and its retraining are for admins only
//    (403 otherwise).
//  * the staff directory (names, roles, dongs of active colleagues) is for case
//    workers and admins, for any dong; agency officers and auditors: 403.
//  * lawful erasure of a resident: an admin or a district-wide supervisor only.
//  * saved case-list filters are their owner's: kOwn is the actor's own
//    filter, kOther another user's (hidden, 404).
//  * the blind-spot screening: a district-wide supervisor runs it (it opens
//    cases in every dong); case workers read runs and their own dong's outreach
//    list (another dong's list: 403, another dong's household: 404) and record
//    outcomes there; the funnel is an aggregate like the dashboard; the model's
//    weights and the import log are readable by all staff but agency officers,
//    and the model is the admin's to change.
// "Allowed" means past authorization: 2xx, or a 4xx other than 401/403/404
// (409 or 422 because the body is minimal or the record's state forbids it).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <iomanip>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>

#include "tests/integration/test_app.hpp"
#include "tests/support/fake_clock.hpp"

namespace caredesk::testing {
namespace {

using http::Json;

enum class Outcome { kAllowed, kForbidden, kHidden };

enum class Role {
  kCounselor,
  kCaseManager,
  kAgencyOfficer,
  kSupervisorDong,
  kSupervisorDistrict,
  kAuditor,
  kAdmin
};
constexpr std::array kRoles = {
    Role::kCounselor,          Role::kCaseManager, Role::kAgencyOfficer, Role::kSupervisorDong,
    Role::kSupervisorDistrict, Role::kAuditor,     Role::kAdmin};
constexpr std::array<const char*, 7> kRoleNames = {"counselor", "case_mgr", "officer", "sup_dong",
                                                   "sup_dist",  "auditor",  "admin"};

// kOwn: the record of the actor's dong (dong 1) or agency (agency A); kOther:
// the record of dong 2 or agency B; kMissing: an id that does not exist.
enum class Scope { kOwn, kOther, kMissing };
constexpr std::array kScopes = {Scope::kOwn, Scope::kOther, Scope::kMissing};

// --- The expectation table --------------------------------------------------------------
//
// One row per route; one cell per role (in the order of kRoles), three letters
// per cell for the scopes own / other / missing:
//   A allowed past authorization, F forbidden (403), H hidden (404),
//   - not applicable (the route has no record or dong to vary).
// Collection routes vary the scope through the dong (dong_id in the query or
// body) or the searched record; routes without any such dimension run once.
struct Row {
  const char* method;
  const char* path;
  std::array<const char*, 7> cells;
};

// clang-format off
constexpr Row kTable[] = {
  //                                                   counselor case_mgr officer sup_dong sup_dist auditor admin
  // Directory reads: everyone.
  {"GET",    "/api/v1/district",                       {"A--", "A--", "A--", "A--", "A--", "A--", "A--"}},
  {"GET",    "/api/v1/dongs",                          {"A--", "A--", "A--", "A--", "A--", "A--", "A--"}},
  {"GET",    "/api/v1/desks",                          {"A--", "A--", "A--", "A--", "A--", "A--", "A--"}},
  {"GET",    "/api/v1/categories",                     {"A--", "A--", "A--", "A--", "A--", "A--", "A--"}},
  {"GET",    "/api/v1/agencies",                       {"A--", "A--", "A--", "A--", "A--", "A--", "A--"}},
  {"GET",    "/api/v1/agencies/{id}",                  {"AAH", "AAH", "AAH", "AAH", "AAH", "AAH", "AAH"}},
  {"GET",    "/api/v1/holidays",                       {"A--", "A--", "A--", "A--", "A--", "A--", "A--"}},
  {"GET",    "/api/v1/clock-rules",                    {"A--", "A--", "A--", "A--", "A--", "A--", "A--"}},
  // Directory writes, users, access records, the calendar: admins only.
  {"POST",   "/api/v1/agencies",                       {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"PATCH",  "/api/v1/agencies/{id}",                  {"FFF", "FFF", "FFF", "FFF", "FFF", "FFF", "AAH"}},
  {"POST",   "/api/v1/categories/{code}/subcategories", {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"PUT",    "/api/v1/holidays/{date}",                {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"PUT",    "/api/v1/clock-rules/{category}",         {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"DELETE", "/api/v1/holidays/{date}",                {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"GET",    "/api/v1/users",                          {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"POST",   "/api/v1/users",                          {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"POST",   "/api/v1/users/{id}/unlock",              {"FFF", "FFF", "FFF", "FFF", "FFF", "FFF", "AAH"}},
  {"PATCH",  "/api/v1/users/{id}",                     {"FFF", "FFF", "FFF", "FFF", "FFF", "FFF", "AAH"}},
  {"GET",    "/api/v1/access-records",                 {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  // The staff directory: case workers (colleagues of any dong) and admins; no need elsewhere.
  {"GET",    "/api/v1/staff",                          {"AA-", "AA-", "FF-", "AA-", "AA-", "FF-", "AA-"}},
  {"GET",    "/api/v1/access-records/review",          {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  // Residents: own dong only; registering one in another dong is forbidden.
  {"POST",   "/api/v1/residents",                      {"AF-", "AF-", "FF-", "AF-", "AA-", "FF-", "FF-"}},
  {"GET",    "/api/v1/residents",                      {"AA-", "AA-", "FF-", "AA-", "AA-", "FF-", "FF-"}},
  {"GET",    "/api/v1/residents/{id}",                 {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"PATCH",  "/api/v1/residents/{id}",                 {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/residents/{id}/unmask",          {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/residents/{id}/erase",           {"FFF", "FFF", "FFF", "FFF", "AAH", "FFF", "AAH"}},
  // Check-in devices: whoever may open the resident's cases.
  {"POST",   "/api/v1/residents/{id}/devices",         {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"GET",    "/api/v1/residents/{id}/devices",         {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/devices/{id}/deactivate",        {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  // Cases: intake in the own dong; lists filter to what the actor may see.
  {"POST",   "/api/v1/cases",                          {"AF-", "AF-", "FF-", "AF-", "AA-", "FF-", "FF-"}},
  {"GET",    "/api/v1/cases",                          {"AA-", "AA-", "FF-", "AA-", "AA-", "FF-", "FF-"}},
  {"GET",    "/api/v1/cases/search",                   {"AA-", "AA-", "FF-", "AA-", "AA-", "FF-", "FF-"}},
  // One case: own dong; another dong's does not exist for the actor.
  {"GET",    "/api/v1/cases/{id}",                     {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"PATCH",  "/api/v1/cases/{id}",                     {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"GET",    "/api/v1/cases/{id}/timeline",            {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/cases/{id}/consultations",       {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/cases/{id}/referrals",           {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/cases/{id}/follow-ups",          {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/cases/{id}/transition",          {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/cases/{id}/escalate",            {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/cases/{id}/resolve",             {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/cases/{id}/close",               {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/cases/{id}/reopen",              {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/cases/{id}/extend-deadline",     {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/cases/{id}/progress-notice",     {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/follow-ups/{id}/result",         {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  // Referrals, the agency's side: the officer of the receiving agency only.
  {"GET",    "/api/v1/referrals",                      {"F--", "F--", "A--", "F--", "F--", "F--", "F--"}},
  {"GET",    "/api/v1/referrals/{id}",                 {"FFF", "FFF", "AHH", "FFF", "FFF", "FFF", "FFF"}},
  {"POST",   "/api/v1/referrals/{id}/accept",          {"FFF", "FFF", "AHH", "FFF", "FFF", "FFF", "FFF"}},
  {"POST",   "/api/v1/referrals/{id}/decline",         {"FFF", "FFF", "AHH", "FFF", "FFF", "FFF", "FFF"}},
  {"POST",   "/api/v1/referrals/{id}/complete",        {"FFF", "FFF", "AHH", "FFF", "FFF", "FFF", "FFF"}},
  // Today's work; the overdue list of another dong is not the actor's to see.
  {"GET",    "/api/v1/work/today",                     {"A--", "A--", "F--", "A--", "A--", "F--", "F--"}},
  {"GET",    "/api/v1/work/overdue",                   {"AF-", "AF-", "FF-", "AF-", "AA-", "FF-", "FF-"}},
  // The follow-up calendar: like the overdue list, another dong's is not the actor's to see.
  {"GET",    "/api/v1/follow-ups",                     {"AF-", "AF-", "FF-", "AF-", "AA-", "FF-", "FF-"}},
  // Aggregates: case workers of their dong, auditors and district-wide supervisors of any.
  {"GET",    "/api/v1/stats/dashboard",                {"AF-", "AF-", "FF-", "AF-", "AA-", "AA-", "FF-"}},
  // Saved case-list filters: for those who have a case list; another user's is hidden.
  {"GET",    "/api/v1/saved-filters",                  {"A--", "A--", "F--", "A--", "A--", "F--", "F--"}},
  {"POST",   "/api/v1/saved-filters",                  {"A--", "A--", "F--", "A--", "A--", "F--", "F--"}},
  {"DELETE", "/api/v1/saved-filters/{id}",             {"AHH", "AHH", "FFF", "AHH", "AHH", "FFF", "FFF"}},
  // Triage of an intake text (categories, crisis, agencies): nothing is kept, every staff role
  // may ask. The model's figures and retraining (which reads the corrections, residents' words):
  // admins only.
  {"POST",   "/api/v1/triage",                         {"A--", "A--", "A--", "A--", "A--", "A--", "A--"}},
  {"GET",    "/api/v1/triage/model",                   {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"POST",   "/api/v1/triage/retrain",                 {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  // Message templates and the outbox (no recipients in it): admins only.
  {"GET",    "/api/v1/notification-templates",         {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"PUT",    "/api/v1/notification-templates/{kind}/{channel}", {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"DELETE", "/api/v1/notification-templates/{kind}/{channel}", {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"POST",   "/api/v1/notification-templates/{kind}/{channel}/preview", {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"GET",    "/api/v1/outbox",                         {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"POST",   "/api/v1/outbox/{id}/requeue",            {"FFF", "FFF", "FFF", "FFF", "FFF", "FFF", "AAH"}},
  // The blind-spot screening.
  {"GET",    "/api/v1/screening/model",                {"A--", "A--", "F--", "A--", "A--", "A--", "A--"}},
  {"PUT",    "/api/v1/screening/model",                {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"GET",    "/api/v1/screening/imports",              {"A--", "A--", "F--", "A--", "A--", "A--", "A--"}},
  {"GET",    "/api/v1/screening/runs",                 {"A--", "A--", "F--", "A--", "A--", "F--", "F--"}},
  {"POST",   "/api/v1/screening/runs",                 {"F--", "F--", "F--", "F--", "A--", "F--", "F--"}},
  {"GET",    "/api/v1/screening/runs/{id}",            {"AAH", "AAH", "FFF", "AAH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/screening/runs/{id}/open-cases", {"FFF", "FFF", "FFF", "FFF", "AAH", "FFF", "FFF"}},
  {"GET",    "/api/v1/screening/runs/{id}/flags",      {"AFH", "AFH", "FFF", "AFH", "AAH", "FFF", "FFF"}},
  {"GET",    "/api/v1/screening/runs/{id}/flags/export", {"AFH", "AFH", "FFF", "AFH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/screening/flags/{id}/outcome",   {"AHH", "AHH", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"GET",    "/api/v1/screening/funnel",               {"AF-", "AF-", "FF-", "AF-", "AA-", "AA-", "FF-"}},
  // The Open311 apps' register (keys are shown once): admins only.
  {"GET",    "/api/v1/open311/clients",                {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"POST",   "/api/v1/open311/clients",                {"F--", "F--", "F--", "F--", "F--", "F--", "A--"}},
  {"POST",   "/api/v1/open311/clients/{id}/deactivate", {"FFF", "FFF", "FFF", "FFF", "FFF", "FFF", "AAH"}},
  // Performance reports (aggregates): case workers of their dong, auditors and district-wide
  // supervisors of any; definitions and editions are produced by supervisors for their scope.
  {"GET",    "/api/v1/reports/kinds",                  {"A--", "A--", "F--", "A--", "A--", "A--", "F--"}},
  {"GET",    "/api/v1/reports/run",                    {"AF-", "AF-", "FF-", "AF-", "AA-", "AA-", "FF-"}},
  {"GET",    "/api/v1/reports/definitions",            {"A--", "A--", "F--", "A--", "A--", "A--", "F--"}},
  {"POST",   "/api/v1/reports/definitions",            {"FF-", "FF-", "FF-", "AF-", "AA-", "FF-", "FF-"}},
  {"DELETE", "/api/v1/reports/definitions/{id}",       {"FFF", "FFF", "FFF", "AFH", "AAH", "FFF", "FFF"}},
  {"POST",   "/api/v1/reports/definitions/{id}/editions", {"FFF", "FFF", "FFF", "AHH", "AAH", "FFF", "FFF"}},
  {"GET",    "/api/v1/reports/editions",               {"A--", "A--", "F--", "A--", "A--", "A--", "F--"}},
  {"GET",    "/api/v1/reports/editions/{id}",          {"AHH", "AHH", "FFF", "AHH", "AAH", "AAH", "FFF"}},
  // Weekly work reports of a dong: its staff read it, its supervisors comment on it.
  {"GET",    "/api/v1/work-reports",                   {"AF-", "AF-", "FF-", "AF-", "AA-", "AA-", "FF-"}},
  {"PUT",    "/api/v1/work-reports/comment",           {"FF-", "FF-", "FF-", "AF-", "AA-", "FF-", "FF-"}},
};
// clang-format on

const Row* FindRow(const std::string& method, const std::string& path) {
  for (const auto& row : kTable) {
    if (row.method == method && row.path == path) {
      return &row;
    }
  }
  return nullptr;
}

std::size_t Index(Role role) { return static_cast<std::size_t>(role); }
std::size_t Index(Scope scope) { return static_cast<std::size_t>(scope); }

// What the rules say for this cell; nullopt when the scope does not apply.
// Fails the test (and returns nullopt) for a route the table does not know.
std::optional<Outcome> Expected(const std::string& path, const std::string& method, Role role,
                                Scope scope) {
  const Row* row = FindRow(method, path);
  if (row == nullptr) {
    ADD_FAILURE() << method << " " << path << " is not in the authorization table";
    return std::nullopt;
  }
  switch (row->cells[Index(role)][Index(scope)]) {
    case 'A':
      return Outcome::kAllowed;
    case 'F':
      return Outcome::kForbidden;
    case 'H':
      return Outcome::kHidden;
    default:
      return std::nullopt;
  }
}

// Routes outside the matrix: probes, the API description, sign-in and the own account, and
// the calendar feed and the devices' check-ins, which have credentials of their own, and the
// resident portal, which is public by design (portal_test.cpp).
bool Skipped(const std::string& path) {
  return path == "/healthz" || path == "/readyz" || path == "/metrics" ||
         path == "/api/v1/openapi.json" || path.rfind("/api/v1/auth/", 0) == 0 ||
         path.rfind("/api/v1/calendar-feeds/", 0) == 0 ||  // the address is the credential
         path == "/api/v1/checkins" ||  // signed by the device (checkin_test.cpp)
         path.rfind("/api/v1/portal/", 0) == 0 ||  // no account: receipt + phone digits
         path.rfind("/open311/", 0) == 0;  // the apps' api_key (open311_test.cpp)
}

char Letter(Outcome o) {
  switch (o) {
    case Outcome::kAllowed:
      return 'A';
    case Outcome::kForbidden:
      return 'F';
    case Outcome::kHidden:
      return 'H';
  }
  return '?';
}

std::string Encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0) {
      out.push_back(ch);
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 0x0F]};
    }
  }
  return out;
}

Json Body(const HttpResult& r) { return Json::parse(r.body, nullptr, false); }

std::string ErrorCodeOf(const HttpResult& r) {
  const auto j = Body(r);
  return j.is_object() && j.contains("error") && j["error"].contains("code")
             ? j["error"]["code"].get<std::string>()
             : "";
}

// The observed answer as a table letter: A/F/H as above; U 401, X a 403 or
// 404 that is not an authorization answer, E a 5xx or no answer, L allowed
// but a list leaked a record the role may not see.
char Observe(const HttpResult& r) {
  if (r.status == 401) {
    return 'U';
  }
  if (r.status == 403) {
    return ErrorCodeOf(r) == "forbidden" ? 'F' : 'X';
  }
  if (r.status == 404) {
    return ErrorCodeOf(r) == "not_found" ? 'H' : 'X';
  }
  if (r.status >= 200 && r.status < 500) {
    return 'A';
  }
  return 'E';
}

constexpr std::int64_t kMissingId = 999999;
constexpr const char* kHolidayDate = "2027-01-01";

class AuthorizationTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    config_ = TestConfig(GetParam(), dir_);
    app_ = StartApp(config_, &port_, {}, &clock_);
    ASSERT_NE(app_, nullptr);
  }

  // Two dongs, two agencies, a case in each dong (with a resident, a
  // follow-up and a referral: to agency A from dong 1, to agency B from dong
  // 2), and one signed-in user per role, all at home in dong 1 / agency A.
  void CreateFixtures() {
    auto& dir = app_->storage().directory();
    const auto district = app_->district().id;
    auto d1 = dir.EnsureDong(district, "서교동", "서교");
    auto d2 = dir.EnsureDong(district, "망원1동", "망원1");
    ASSERT_TRUE(d1.ok() && d2.ok());
    dong_ = {d1->id, d2->id};
    for (int i = 0; i < 2; ++i) {
      core::Agency a;
      a.district_id = district;
      a.name = i == 0 ? "서민금융통합지원센터" : "이웃분쟁조정센터";
      a.categories = {i == 0 ? "finance" : "neighbour_dispute"};
      a.contact = "1397";
      a.response_hours = 48;
      auto created = dir.CreateAgency(a);
      ASSERT_TRUE(created.ok()) << created.error().message;
      agency_[i] = created->id;
    }
    // Who takes the fixture cases in; none of them is a tested actor, so the
    // tested actors reach the records through their dong, never by involvement.
    const std::array<core::User, 2> intake = {EnsureUser(*app_, "intake1", "counselor", dong_[0]),
                                              EnsureUser(*app_, "intake2", "counselor", dong_[1])};
    intake_actor_ = {core::ActorOf(intake[0], "127.0.0.1"), core::ActorOf(intake[1], "127.0.0.1")};
    user_ = {intake[0].id, intake[1].id};
    case_manager_ = {EnsureUser(*app_, "az_case_manager", "case_manager", dong_[0]).id,
                     EnsureUser(*app_, "cm2", "case_manager", dong_[1]).id};

    const std::array<const char*, 2> summary = {"보일러 고장으로 난방이 안 돼요",
                                                "윗집 누수 피해가 계속돼요"};
    search_word_ = {"보일러", "누수"};
    phone_ = {"010-1111-0001", "010-2222-0002"};
    for (int i = 0; i < 2; ++i) {
      core::IntakeInput in;
      in.channel = "visit";
      core::NewResident r;
      r.dong_id = dong_[i];
      r.name = i == 0 ? "홍길동" : "김철수";
      r.birth_date = "1955-05-05";
      r.phone = phone_[i];
      in.new_resident = r;
      in.confirm_new_resident = true;
      in.primary_category = "housing";
      in.summary = summary[i];
      in.follow_up = core::FollowUpInput{};
      core::ReferralInput ref;
      ref.agency_id = agency_[i];
      ref.consent.given_by = "본인";
      ref.consent.scope = {"summary"};
      in.referral = ref;
      auto view = app_->cases().Intake(intake_actor_[i], in);
      ASSERT_TRUE(view.ok()) << view.error().message;
      ASSERT_EQ(view->file.follow_ups.size(), 1U);
      ASSERT_EQ(view->file.referrals.size(), 1U);
      ASSERT_TRUE(view->file.c.resident_id.has_value());
      case_[i] = view->file.c.id;
      follow_up_[i] = view->file.follow_ups[0].id;
      referral_[i] = view->file.referrals[0].id;
      resident_[i] = *view->file.c.resident_id;
      auto device = app_->checkins().Register(
          intake_actor_[i], resident_[i], {"AZ-DEVICE-" + std::to_string(i), "점검 기기", "robot"});
      ASSERT_TRUE(device.ok()) << device.error().message;
      device_[i] = device->device.id;
    }

    struct Account {
      Role role;
      const char* login;
      const char* code;
      std::optional<core::DongId> dong;
      std::optional<core::AgencyId> agency;
    };
    const Account accounts[] = {
        {Role::kCounselor, "az_counselor", "counselor", dong_[0], std::nullopt},
        {Role::kCaseManager, "az_case_manager", "case_manager", dong_[0], std::nullopt},
        {Role::kAgencyOfficer, "az_officer", "agency_officer", std::nullopt, agency_[0]},
        {Role::kSupervisorDong, "az_sup_dong", "supervisor", dong_[0], std::nullopt},
        {Role::kSupervisorDistrict, "az_sup_district", "supervisor", std::nullopt, std::nullopt},
        {Role::kAuditor, "az_auditor", "auditor", std::nullopt, std::nullopt},
        {Role::kAdmin, "az_admin", "admin", std::nullopt, std::nullopt},
    };
    for (const auto& a : accounts) {
      account_[Index(a.role)] = EnsureUser(*app_, a.login, a.code, a.dong, a.agency).id;
      client_[Index(a.role)] = SignIn(port_, a.login);
      ASSERT_FALSE(client_[Index(a.role)].cookie.empty()) << a.login;
    }

    // A screening run listing one household in each dong.
    std::vector<core::StoredHousehold> households;
    std::vector<core::RiskSignal> signals;
    for (int i = 0; i < 2; ++i) {
      core::StoredHousehold h;
      h.household.household_id = "AZ-H" + std::to_string(i);
      h.household.head_birth_year = 1950;
      h.household.housing = core::HousingType::kSemiBasement;
      h.dong_id = dong_[i];
      households.push_back(h);
      signals.push_back({h.household.household_id, "rent_arrears", 2, 0, core::KstDate(clock_.Now())});
    }
    StoreScreeningData(*app_, households, signals);
    const auto sup = app_->storage().users().FindByLogin(app_->district().id, "az_sup_district");
    ASSERT_TRUE(sup.ok());
    auto run = app_->screening().Run(core::ActorOf(*sup, "127.0.0.1"), {5, std::nullopt, true});
    ASSERT_TRUE(run.ok()) << run.error().message;
    screening_run_ = run->run.id;
    ASSERT_EQ(run->flags.size(), 2U);
    for (const auto& f : run->flags) {
      flag_[f.household.dong_id == dong_[0] ? 0 : 1] = f.id;
    }
  }

  // The record a path's {id} names, by the path's resource.
  std::optional<std::int64_t> IdFor(const std::string& path, Scope scope) const {
    if (scope == Scope::kMissing) {
      return kMissingId;
    }
    const auto i = Index(scope);
    auto under = [&](const char* prefix) { return path.rfind(prefix, 0) == 0; };
    if (under("/api/v1/cases/")) {
      return case_[i];
    }
    if (under("/api/v1/follow-ups/")) {
      return follow_up_[i];
    }
    if (under("/api/v1/referrals/")) {
      return referral_[i];
    }
    if (under("/api/v1/residents/")) {
      return resident_[i];
    }
    if (under("/api/v1/users/")) {
      return user_[i];
    }
    if (under("/api/v1/devices/")) {
      return device_[i];
    }
    if (under("/api/v1/agencies/")) {
      return agency_[i];
    }
    if (under("/api/v1/outbox/")) {
      return OutboxMessage();
    }
    if (under("/api/v1/open311/clients/")) {
      return Open311App();  // one register per district: own and other scope are the same
    }
    if (under("/api/v1/screening/runs/")) {
      return screening_run_;  // one run lists both dongs
    }
    if (under("/api/v1/screening/flags/")) {
      return flag_[i];
    }
    return std::nullopt;
  }

  // A message in the outbox (the district has one outbox: own and other scope are the same).
  std::int64_t OutboxMessage() const {
    core::Notification n;
    n.kind = core::NotificationKind::kOverdueDigest;
    n.user_id = user_[0];
    n.queued_at = clock_.Now();
    EXPECT_TRUE(app_->storage().outbox().Enqueue(app_->district().id, {n}).ok());
    auto list = app_->storage().outbox().ListOutbox(app_->district().id, {});
    EXPECT_TRUE(list.ok() && !list->empty());
    return list.ok() && !list->empty() ? list->front().id : kMissingId;
  }

  // A registered Open311 app.
  std::int64_t Open311App() const {
    auto created = app_->open311().EnsureClientWithKey("권한 점검 앱", "authorization-test-key");
    EXPECT_TRUE(created.ok());
    return created.ok() ? created->id : kMissingId;
  }

  // A fresh resident of the scope's dong, for erasure (each answer about a live record).
  std::int64_t FreshResident(Scope scope) {
    if (scope == Scope::kMissing) {
      return kMissingId;
    }
    const auto i = Index(scope);
    core::NewResident r;
    r.dong_id = dong_[i];
    r.name = "파기대상" + std::to_string(++serial_);
    auto created = app_->cases().RegisterResident(intake_actor_[i], r, true);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? created->id : kMissingId;
  }

  // A fresh saved filter of the actor (kOwn) or of another user (kOther), for deletion.
  std::int64_t FreshSavedFilter(Role role, Scope scope) {
    if (scope == Scope::kMissing) {
      return kMissingId;
    }
    core::SavedFilter f;
    f.district_id = app_->district().id;
    f.owner_id = scope == Scope::kOwn ? account_[Index(role)] : user_[0];
    f.name = "점검용 조건";
    f.query = {{"status", "received"}};
    f.created_at = clock_.Now();
    auto created = app_->case_repository().CreateSavedFilter(f, core::kMaxSavedFiltersPerUser);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? created->id : kMissingId;
  }

  // A report definition of the scope's dong (a fresh one: a call may delete it).
  std::int64_t FreshReportDefinition(Scope scope) {
    if (scope == Scope::kMissing) {
      return kMissingId;
    }
    core::ReportDefinition d;
    d.district_id = app_->district().id;
    d.name = "점검 보고서 " + std::to_string(++serial_);
    d.kind = core::ReportKind::kIntake;
    d.scope.dong_id = dong_[Index(scope)];
    d.created_at = clock_.Now();
    auto created = app_->storage().NewReportRepository(*app_->crypto().sealer)->CreateDefinition(d);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? created->id : kMissingId;
  }

  // A produced edition of the scope's dong.
  std::int64_t FreshReportEdition(Scope scope) {
    const auto definition = FreshReportDefinition(scope);
    if (definition == kMissingId) {
      return kMissingId;
    }
    core::Actor producer;
    producer.district_id = app_->district().id;
    producer.role = core::Role::kSupervisor;
    auto made = app_->reports().Produce(producer, definition,
                                        {core::Date{2026, 11, 1}, core::Date{2026, 11, 30}});
    EXPECT_TRUE(made.ok()) << made.error().message;
    return made.ok() ? made->edition.id : kMissingId;
  }

  struct Call {
    std::string target;
    std::string body;
  };

  // The request for one cell: the path with its parameters filled, a query
  // for collections that vary by dong, a minimal valid body. Empty target:
  // the test does not know how to fill a parameter (a failure).
  Call CallFor(const std::string& method, const std::string& path, Role role, Scope scope) {
    const auto i = Index(scope == Scope::kMissing ? Scope::kOwn : scope);
    std::string target = path;
    if (const auto p = target.find("{id}"); p != std::string::npos) {
      std::optional<std::int64_t> id;
      if (path == "/api/v1/residents/{id}/erase") {
        id = FreshResident(scope);
      } else if (path == "/api/v1/saved-filters/{id}") {
        id = FreshSavedFilter(role, scope);
      } else if (path == "/api/v1/reports/definitions/{id}" ||
                 path == "/api/v1/reports/definitions/{id}/editions") {
        id = FreshReportDefinition(scope);
      } else if (path == "/api/v1/reports/editions/{id}") {
        id = FreshReportEdition(scope);
      } else {
        id = IdFor(path, scope);
      }
      if (!id) {
        return {};
      }
      target.replace(p, 4, std::to_string(*id));
    }
    if (const auto p = target.find("{date}"); p != std::string::npos) {
      target.replace(p, 6, kHolidayDate);
    }
    if (const auto p = target.find("{code}"); p != std::string::npos) {
      target.replace(p, 6, "housing");
    }
    if (const auto p = target.find("{category}"); p != std::string::npos) {
      target.replace(p, 10, "legal");
    }
    if (const auto p = target.find("{kind}/{channel}"); p != std::string::npos) {
      target.replace(p, 16, "receipt/sms");
    }
    if (target.find('{') != std::string::npos) {
      return {};
    }
    const std::string key = method + " " + path;
    const auto dong = std::to_string(dong_[i]);
    if (key == "GET /api/v1/cases" || key == "GET /api/v1/work/overdue" ||
        key == "GET /api/v1/stats/dashboard" || key == "GET /api/v1/staff" ||
        key == "GET /api/v1/screening/runs/{id}/flags" || key == "GET /api/v1/screening/funnel") {
      target += "?dong_id=" + dong;
    } else if (key == "GET /api/v1/follow-ups") {
      target += "?from=2026-11-23&to=2026-12-31&dong_id=" + dong;
    } else if (key == "GET /api/v1/screening/runs/{id}/flags/export") {
      target += "?purpose=%EC%A0%90%EA%B2%80&dong_id=" + dong;
    } else if (key == "GET /api/v1/reports/run") {
      target += "?kind=intake&from=2026-11-01&to=2026-11-30&dong_id=" + dong;
    } else if (key == "GET /api/v1/work-reports") {
      target += "?week=2026-11-23&dong_id=" + dong;
    } else if (key == "GET /api/v1/cases/search") {
      target += "?q=" + Encode(search_word_[i]);
    } else if (key == "GET /api/v1/residents") {
      target += "?phone=" + Encode(phone_[i]);
    }
    if (method == "GET") {
      return {target, ""};
    }
    const auto follow_up = Json{{"kind", "counseling"}};
    Json body = Json::object();
    if (key == "POST /api/v1/agencies") {
      body = {{"name", "권한점검기관" + std::to_string(++serial_)},
              {"kind", "external"},
              {"categories", {"welfare"}},
              {"response_hours", 48}};
    } else if (key == "PATCH /api/v1/agencies/{id}") {
      body = {{"response_hours", 48 + ++serial_}};
    } else if (key == "PUT /api/v1/holidays/{date}") {
      body = {{"name", "점검일"}};
    } else if (key == "DELETE /api/v1/holidays/{date}") {
      // Something to delete, so an allowed delete is not a 404.
      EXPECT_TRUE(app_->storage()
                      .holidays()
                      .PutHoliday(app_->district().id, {kHolidayDate, "점검일"})
                      .ok());
      return {target, ""};
    } else if (key == "POST /api/v1/users") {
      body = {{"login", "az_new" + std::to_string(++serial_)},
              {"display_name", "새 직원"},
              {"role", "counselor"},
              {"dong_id", dong_[0]},
              {"initial_password", kTestPassword}};
    } else if (key == "PATCH /api/v1/users/{id}") {
      body = {{"display_name", "권한 점검 직원"}};
    } else if (key == "PUT /api/v1/notification-templates/{kind}/{channel}" ||
               key == "POST /api/v1/notification-templates/{kind}/{channel}/preview") {
      body = {{"body", "[{{district}}] 접수번호 {{case_number}}"}};
    } else if (key == "POST /api/v1/open311/clients") {
      body = {{"name", "점검 앱 " + std::to_string(++serial_)}};
    } else if (key == "POST /api/v1/reports/definitions") {
      body = {{"name", "점검 정의 " + std::to_string(++serial_)},
              {"kind", "intake"},
              {"scope", {{"dong_id", dong_[i]}}}};
    } else if (key == "POST /api/v1/reports/definitions/{id}/editions") {
      body = {{"from", "2026-11-01"}, {"to", "2026-11-30"}};
    } else if (key == "PUT /api/v1/work-reports/comment") {
      body = {{"week", "2026-11-23"}, {"dong_id", dong_[i]}, {"comment", "점검"}};
    } else if (key == "DELETE /api/v1/notification-templates/{kind}/{channel}") {
      return {target, ""};
    } else if (key == "PUT /api/v1/screening/model") {
      body = {{"recent_days", 90}};
    } else if (key == "POST /api/v1/screening/runs") {
      body = {{"capacity_per_dong", 1}};
    } else if (key == "POST /api/v1/screening/flags/{id}/outcome") {
      body = {{"outcome", "contacted"}};
    } else if (key == "POST /api/v1/triage") {
      body = {{"text", "윗집 층간소음 때문에 잠을 못 자요"}};
    } else if (key == "POST /api/v1/saved-filters") {
      body = {{"name", "점검용 조건"}, {"query", {{"urgency", "crisis"}}}};
    } else if (key == "POST /api/v1/residents") {
      body = {{"name", "새주민" + std::to_string(++serial_)},
              {"dong_id", dong_[i]},
              {"confirm_new", true}};
    } else if (key == "POST /api/v1/residents/{id}/devices") {
      body = {{"device_uid", "AZ-NEW-" + std::to_string(++serial_)}, {"label", "점검 기기"}};
    } else if (key == "POST /api/v1/residents/{id}/unmask") {
      body = {{"reason", "방문 상담 본인 확인"}};
    } else if (key == "POST /api/v1/residents/{id}/erase") {
      body = {{"reason", "정보주체의 삭제 요구"}};
    } else if (key == "POST /api/v1/cases") {
      body = {{"channel", "visit"},
              {"dong_id", dong_[i]},
              {"primary_category", "welfare"},
              {"summary", "권한 점검용 상담"},
              {"follow_up", follow_up}};
    } else if (key == "PATCH /api/v1/cases/{id}") {
      body = {{"urgency", "urgent"}};
    } else if (key == "POST /api/v1/cases/{id}/consultations") {
      body = {{"kind", "call"}, {"notes", "전화 상담"}};
    } else if (key == "POST /api/v1/cases/{id}/referrals") {
      body = {{"agency_id", agency_[i]},
              {"consent", {{"given_by", "본인"}, {"scope", Json::array()}}}};
    } else if (key == "POST /api/v1/cases/{id}/follow-ups") {
      body = follow_up;
    } else if (key == "POST /api/v1/cases/{id}/transition") {
      body = {{"status", "ongoing"}};
    } else if (key == "POST /api/v1/cases/{id}/escalate") {
      // A case manager of the case's own dong: escalating must not make a
      // tested actor "involved" in another dong's case.
      body = {{"case_manager_id", case_manager_[i]}, {"reason", "복합 욕구"}};
    } else if (key == "POST /api/v1/cases/{id}/resolve") {
      body = {{"resolution_note", "수리 완료"}};
    } else if (key == "POST /api/v1/cases/{id}/close") {
      body = {{"unconfirmed_reason", "연락 두절"}};
    } else if (key == "POST /api/v1/cases/{id}/reopen") {
      body = {{"reason", "다시 고장"}, {"next", follow_up}};
    } else if (key == "POST /api/v1/cases/{id}/extend-deadline") {
      body = {{"reason", "현장 확인 필요"}};
    } else if (key == "POST /api/v1/cases/{id}/progress-notice") {
      body = {{"how", "call"}};
    } else if (key == "POST /api/v1/follow-ups/{id}/result") {
      body = {{"result", "reached"}, {"next", follow_up}};
    } else if (key == "POST /api/v1/referrals/{id}/decline") {
      body = {{"reason", "not_eligible"}};
    } else if (key == "POST /api/v1/referrals/{id}/complete") {
      body = {{"outcome", "지원 완료"}};
    }
    return {target, body.dump()};
  }

  // Ids a list answer must not contain for `role`: another dong's case,
  // another agency's referral (only for roles that may not see them).
  std::vector<std::int64_t> MustNotList(const std::string& key, Role role) const {
    const bool dong_bound =
        role == Role::kCounselor || role == Role::kCaseManager || role == Role::kSupervisorDong;
    if (dong_bound && (key == "GET /api/v1/cases" || key == "GET /api/v1/cases/search")) {
      return {case_[1]};
    }
    if (dong_bound && key == "GET /api/v1/follow-ups") {
      return {follow_up_[1]};
    }
    if (role == Role::kAgencyOfficer && key == "GET /api/v1/referrals") {
      return {referral_[1]};
    }
    return {};
  }

  FakeClock clock_;
  TempDir dir_;
  app::Config config_;
  std::unique_ptr<app::App> app_;
  std::uint16_t port_ = 0;

  std::array<core::DongId, 2> dong_{};
  std::array<core::AgencyId, 2> agency_{};
  std::array<core::CaseId, 2> case_{};
  std::array<core::FollowUpId, 2> follow_up_{};
  std::array<core::ReferralId, 2> referral_{};
  std::array<core::ResidentId, 2> resident_{};
  std::array<core::CheckinDeviceId, 2> device_{};
  std::array<core::UserId, 2> user_{};
  std::array<core::UserId, 2> case_manager_{};
  core::ScreeningRunId screening_run_ = 0;
  std::array<core::OutreachFlagId, 2> flag_{};
  std::array<core::Actor, 2> intake_actor_{};
  std::array<std::string, 2> search_word_;
  std::array<std::string, 2> phone_;
  std::array<Client, kRoles.size()> client_{};
  std::array<core::UserId, kRoles.size()> account_{};  // the signed-in user of each role
  int serial_ = 0;
};

std::vector<http::RouteInfo> MatrixRoutes(const http::Router& router) {
  std::vector<http::RouteInfo> out;
  for (const auto& r : router.Routes()) {
    if (!Skipped(r.path_template)) {
      out.push_back(r);
    }
  }
  return out;
}

TEST_P(AuthorizationTest, TheTableCoversEveryRouteAndNoOther) {
  const auto routes = MatrixRoutes(app_->router());
  std::set<std::pair<std::string, std::string>> registered;
  for (const auto& r : routes) {
    registered.emplace(r.method, r.path_template);
    EXPECT_NE(FindRow(r.method, r.path_template), nullptr)
        << r.method << " " << r.path_template
        << " has no row in the authorization table: decide who may call it and add the row";
  }
  for (const auto& row : kTable) {
    EXPECT_TRUE(registered.contains({row.method, row.path}))
        << row.method << " " << row.path << " is in the table but not a route (stale row)";
    for (const auto* cell : row.cells) {
      const std::string c = cell;
      EXPECT_TRUE(c.size() == 3 && c.find_first_not_of("AFH-") == std::string::npos)
          << row.method << " " << row.path << ": bad cell \"" << c << "\"";
    }
  }
}

TEST_P(AuthorizationTest, EveryRouteRoleAndScopeAnswersAsTheTableSays) {
  ASSERT_NO_FATAL_FAILURE(CreateFixtures());
  auto routes = MatrixRoutes(app_->router());
  // Destructive routes last, so they cannot spoil the fixtures of the others.
  std::stable_partition(routes.begin(), routes.end(), [](const http::RouteInfo& r) {
    return r.path_template != "/api/v1/residents/{id}/erase";
  });

  struct Mismatch {
    std::string route;
    std::string role;
    std::string scope;
    char expected;
    char observed;
    int status;
    std::string body;
  };
  std::vector<Mismatch> mismatches;
  // route -> per role, the observed letters per scope ('-' not run); lower
  // case marks a cell that differs from the table.
  std::vector<std::pair<std::string, std::array<std::string, kRoles.size()>>> summary;
  int checked = 0;
  constexpr std::array<const char*, 3> kScopeNames = {"own", "other", "missing"};

  for (const auto& route : routes) {
    const std::string key = route.method + " " + route.path_template;
    if (FindRow(route.method, route.path_template) == nullptr) {
      ADD_FAILURE() << key << " is not in the authorization table";
      continue;
    }
    auto& line = summary.emplace_back(key, std::array<std::string, kRoles.size()>{}).second;
    for (const auto role : kRoles) {
      std::string cell;
      for (const auto scope : kScopes) {
        const auto expected = Expected(route.path_template, route.method, role, scope);
        if (!expected) {
          cell.push_back('-');
          continue;
        }
        const auto call = CallFor(route.method, route.path_template, role, scope);
        if (call.target.empty()) {
          ADD_FAILURE() << key << ": the test cannot fill this path's parameters; teach CallFor";
          cell.push_back('?');
          continue;
        }
        const auto& client = client_[Index(role)];
        const auto r = route.method == "GET" ? client.Get(call.target)
                                             : client.Send(route.method, call.target, call.body);
        char observed = Observe(r);
        if (observed == 'A' && r.status == 200) {
          const auto j = Body(r);
          for (const auto id : MustNotList(key, role)) {
            if (j.is_object() && j.contains("items")) {
              for (const auto& item : j["items"]) {
                if (item.contains("id") && item["id"] == id) {
                  observed = 'L';
                }
              }
            }
          }
        }
        ++checked;
        const char want = Letter(*expected);
        if (observed != want) {
          mismatches.push_back({key, kRoleNames[Index(role)], kScopeNames[Index(scope)], want,
                                observed, r.status, r.body.substr(0, 160)});
          cell.push_back(static_cast<char>(std::tolower(observed)));
        } else {
          cell.push_back(observed);
        }
      }
      line[Index(role)] = cell;
    }
  }

  std::cout << "[authorization] " << checked << " cells checked on " << BackendName(GetParam())
            << ", " << mismatches.size() << " mismatches\n";
  if (mismatches.empty()) {
    return;
  }
  std::ostringstream table;
  table << "Observed answers (own/other/missing; A allowed, F 403, H 404, U 401, X a 403/404 that\n"
           "is not an authorization answer, E 5xx, L a list leaked another dong's or agency's\n"
           "record, - not applicable; lower case: differs from the expectation table)\n";
  table << std::left << std::setw(46) << "route";
  for (const auto* name : kRoleNames) {
    table << std::setw(10) << name;
  }
  table << "\n";
  for (const auto& [key, cells] : summary) {
    table << std::setw(46) << key;
    for (const auto& c : cells) {
      table << std::setw(10) << c;
    }
    table << "\n";
  }
  table << "\nMismatches:\n";
  for (const auto& m : mismatches) {
    table << "  " << m.route << "  role=" << m.role << " scope=" << m.scope
          << " expected=" << m.expected << " observed=" << m.observed << " (" << m.status << ") "
          << m.body << "\n";
  }
  std::cout << table.str();
  ADD_FAILURE() << mismatches.size() << " of " << checked
                << " authorization cells differ from the table (see the summary above)";
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthorizationTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

}  // namespace
}  // namespace caredesk::testing
