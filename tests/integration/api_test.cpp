// The public API end to end over HTTP, on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <set>

#include "app/demo_data.hpp"
#include "http/json_io.hpp"
#include "tests/integration/test_app.hpp"

namespace caredesk::testing {
namespace {

using http::Json;

class ApiTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    config_ = TestConfig(GetParam(), dir_);
    app_ = StartApp(config_, &port_);
    ASSERT_NE(app_, nullptr);
    EnsureUser(*app_, "test.admin", "admin");
    client_ = SignIn(port_, "test.admin");
  }

  HttpResult Get(const std::string& target) { return client_.Get(target); }
  HttpResult Post(const std::string& target, const std::string& body,
                  const std::string& type = "application/json") {
    return Request(port_, "POST", target, body, type, client_.Headers());
  }

  TempDir dir_;
  app::Config config_;
  std::unique_ptr<app::App> app_;
  std::uint16_t port_ = 0;
  Client client_;
};

Json Body(const HttpResult& r) { return Json::parse(r.body, nullptr, false); }

void ExpectError(const HttpResult& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  const Json b = Body(r);
  ASSERT_TRUE(b.is_object()) << r.body;
  EXPECT_EQ(b["error"]["code"], code) << r.body;
  EXPECT_FALSE(b["error"]["message"].get<std::string>().empty());
  EXPECT_FALSE(b["error"]["message_ko"].get<std::string>().empty());
  EXPECT_TRUE(b["error"]["details"].is_array());
}

const char* kValidAgency =
    R"({"name": "마포 이웃분쟁조정센터", "kind": "external", "categories": ["neighbour_dispute"],
        "contact": "02-000-0000", "response_hours": 72})";

TEST_P(ApiTest, HealthReadinessAndMetrics) {
  EXPECT_EQ(Body(Get("/healthz"))["status"], "ok");
  const auto ready = Get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(Body(ready)["database"],
            GetParam() == storage::Backend::kSqlite ? "sqlite" : "postgresql");
  EXPECT_GE(Body(ready)["schema_version"].get<int>(), 1);
  Get("/api/v1/agencies/12345");
  const auto metrics = Get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.headers.at("content-type").find("text/plain"), std::string::npos);
  // Labelled by template, never by the raw path (which could carry an id).
  EXPECT_NE(metrics.body.find("route=\"/api/v1/agencies/{id}\",status=\"404\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_EQ(metrics.body.find("12345"), std::string::npos);
  EXPECT_NE(metrics.body.find("caredesk_db_pool_connections{state=\"in_use\"}"), std::string::npos);
}

TEST_P(ApiTest, DemoDataIsServedAndSeedingTwiceChangesNothing) {
  auto first = app::SeedDemo(app_->storage(), app_->auth(), app_->district());
  ASSERT_TRUE(first.ok()) << first.error().internal_detail;
  EXPECT_EQ(first->users_created, static_cast<int>(app::DemoLogins().size()));
  auto second = app::SeedDemo(app_->storage(), app_->auth(), app_->district());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->agencies_created, 0);
  EXPECT_EQ(second->users_created, 0);
  // A demo account signs in and is made to change the initial password.
  const auto demo = SignIn(port_, "seogyo.counselor", std::string(app::kDemoPassword), false);
  ExpectError(demo.Get("/api/v1/dongs"), 403, "password_change_required");
  EXPECT_EQ(second->agencies_total, first->agencies_total);

  const auto dongs = Body(Get("/api/v1/dongs"))["items"];
  ASSERT_EQ(dongs.size(), 16U);
  EXPECT_EQ(dongs[8]["name"], "서교동");
  EXPECT_EQ(dongs[8]["short_name"], "서교");
  const auto desks = Body(Get("/api/v1/desks"))["items"];
  EXPECT_EQ(desks.size(), 17U);
  EXPECT_EQ(Body(Get("/api/v1/agencies"))["items"].size(),
            static_cast<std::size_t>(first->agencies_total));
  EXPECT_EQ(Body(Get("/api/v1/district"))["name"], "마포구");
  EXPECT_EQ(Body(Get("/api/v1/categories"))["items"].size(), 16U);
}

TEST_P(ApiTest, CreatesAndReadsAnAgency) {
  const auto created = Post("/api/v1/agencies", kValidAgency);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = Body(created)["id"].get<std::int64_t>();
  EXPECT_EQ(created.headers.at("location"), "/api/v1/agencies/" + std::to_string(id));
  const auto got = Get("/api/v1/agencies/" + std::to_string(id));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(Body(got)["name"], "마포 이웃분쟁조정센터");
  EXPECT_EQ(Body(got)["categories"], Json::array({"neighbour_dispute"}));
  ExpectError(Post("/api/v1/agencies", kValidAgency), 409, "conflict");
}

// The newest access record's id (0 when there is none).
std::int64_t NewestRecordId(app::App& app) {
  core::AccessRecordFilter newest;
  newest.limit = 1;
  auto records = app.access_log().Search(newest);
  EXPECT_TRUE(records.ok());
  return records.ok() && !records->empty() ? records->front().id : 0;
}

TEST_P(ApiTest, TheStaffDirectoryNamesActiveColleaguesAndNothingAboutTheirAccounts) {
  auto& dir = app_->storage().directory();
  const auto district = app_->district().id;
  const auto seogyo = dir.EnsureDong(district, "서교동", "서교");
  const auto mangwon = dir.EnsureDong(district, "망원1동", "망원1");
  ASSERT_TRUE(seogyo.ok() && mangwon.ok());
  const auto agency = Post("/api/v1/agencies", kValidAgency);
  ASSERT_EQ(agency.status, 201) << agency.body;
  const auto agency_id = Body(agency)["id"].get<core::AgencyId>();
  auto staff = [&](const std::string& login, const std::string& name, const std::string& role,
                   std::optional<core::DongId> dong,
                   std::optional<core::AgencyId> at = std::nullopt) {
    auto u = app_->auth().Bootstrap({login, name, role, dong, at, kTestPassword});
    EXPECT_TRUE(u.ok()) << login;
    return u.ok() ? u->id : 0;
  };
  const auto case_manager = staff("seogyo.cm", "박사례", "case_manager", seogyo->id);
  staff("mangwon.cm", "최사례", "case_manager", mangwon->id);
  const auto retired = staff("seogyo.cm2", "김퇴직", "case_manager", seogyo->id);
  staff("seogyo.counselor", "이상담", "counselor", seogyo->id);
  staff("officer", "정기관", "agency_officer", std::nullopt, agency_id);
  staff("auditor", "한감사", "auditor", std::nullopt);
  const auto off =
      client_.Send("PATCH", "/api/v1/users/" + std::to_string(retired), R"({"active": false})");
  ASSERT_EQ(off.status, 200) << off.body;

  const auto counselor = SignIn(port_, "seogyo.counselor");
  const auto officer = SignIn(port_, "officer");
  const auto auditor = SignIn(port_, "auditor");
  const auto before = NewestRecordId(*app_);

  // The escalation picker: the 서교동 case managers, the deactivated one absent.
  const auto picked =
      counselor.Get("/api/v1/staff?role=case_manager&dong_id=" + std::to_string(seogyo->id));
  ASSERT_EQ(picked.status, 200) << picked.body;
  EXPECT_EQ(Body(picked)["items"], Json::array({{{"id", case_manager},
                                                 {"display_name", "박사례"},
                                                 {"role", "case_manager"},
                                                 {"dong_id", seogyo->id},
                                                 {"agency_id", nullptr}}}));
  // Everyone active, by name; only the five public fields of each.
  const auto all = counselor.Get("/api/v1/staff");
  ASSERT_EQ(all.status, 200) << all.body;
  std::vector<std::string> names;
  const Json items = Body(all)["items"];
  for (const auto& item : items) {
    names.push_back(item["display_name"]);
    EXPECT_EQ(item.size(), 5U) << item.dump();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"test.admin 테스트", "박사례", "이상담", "정기관",
                                             "최사례", "한감사"}));
  EXPECT_EQ(Body(counselor.Get("/api/v1/staff?role=agency_officer"))["items"][0]["agency_id"],
            agency_id);
  EXPECT_EQ(Body(Get("/api/v1/staff?dong_id=" + std::to_string(mangwon->id)))["items"].size(), 1U);
  ExpectError(counselor.Get("/api/v1/staff?role=auditor"), 422, "validation_failed");
  ExpectError(counselor.Get("/api/v1/staff?dong_id=seogyo"), 422, "validation_failed");
  // Agency officers and auditors have no need for it.
  ExpectError(officer.Get("/api/v1/staff"), 403, "forbidden");
  ExpectError(auditor.Get("/api/v1/staff"), 403, "forbidden");
  // Staff names are not residents' personal data: nothing was recorded.
  EXPECT_EQ(NewestRecordId(*app_), before);
}

TEST_P(ApiTest, ChangesAnAgencyWithIfMatchAndTheRegistrationRules) {
  const auto created = Post("/api/v1/agencies", kValidAgency);
  ASSERT_EQ(created.status, 201) << created.body;
  const Json agency = Body(created);
  const auto path = "/api/v1/agencies/" + std::to_string(agency["id"].get<core::AgencyId>());
  const auto version = agency["version"].get<std::int64_t>();
  auto patch = [&](const Client& who, const std::string& target, const std::string& body,
                   std::optional<std::string> if_match = std::nullopt) {
    auto h = who.Headers();
    if (if_match) {
      h["If-Match"] = *if_match;
    }
    return Request(port_, "PATCH", target, body, "application/json", h);
  };
  auto tag = [](std::int64_t v) { return "\"" + std::to_string(v) + "\""; };
  auto dong = app_->storage().directory().EnsureDong(app_->district().id, "서교동", "서교");
  ASSERT_TRUE(dong.ok());
  EnsureUser(*app_, "seogyo.counselor", "counselor", dong->id);
  const auto counselor = SignIn(port_, "seogyo.counselor");
  const auto before = NewestRecordId(*app_);

  // What the admin screen sends: the whole form, with the version it showed.
  const auto changed = patch(client_, path,
                             R"({"name": "마포 이웃분쟁조정센터", "kind": "external",
                                 "categories": ["neighbour_dispute", "legal"],
                                 "contact": "02-000-0000", "response_hours": 24})",
                             tag(version));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Body(changed)["version"], version + 1);
  EXPECT_EQ(changed.headers.at("etag"), tag(version + 1));
  const auto got = Get(path);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.headers.at("etag"), tag(version + 1));
  EXPECT_EQ(Body(got)["response_hours"], 24);
  EXPECT_EQ(Body(got)["categories"], Json::array({"legal", "neighbour_dispute"}));
  EXPECT_EQ(Body(got)["name"], "마포 이웃분쟁조정센터");
  EXPECT_EQ(Body(changed), Body(got));  // the shape of GET (and POST)
  EXPECT_EQ(Body(got).size(), agency.size());

  // A second admin still holding the old version is refused, and nothing changes.
  ExpectError(patch(client_, path, R"({"response_hours": 96})", tag(version)), 412,
              "precondition_failed");
  ExpectError(patch(client_, path, "{}", "W/" + tag(version)), 412, "precondition_failed");
  ExpectError(patch(client_, path, R"({"response_hours": 96})", "soon"), 400, "bad_request");
  EXPECT_EQ(Body(Get(path))["response_hours"], 24);
  // If-Match is optional, as for PATCH /users/{id}; a single field changes alone.
  const auto contact = patch(client_, path, R"({"contact": "02-111-1111"})");
  ASSERT_EQ(contact.status, 200) << contact.body;
  EXPECT_EQ(Body(contact)["contact"], "02-111-1111");
  EXPECT_EQ(Body(contact)["response_hours"], 24);
  EXPECT_EQ(Body(contact)["version"], version + 2);
  // Sending what is already stored writes nothing: the version stays.
  const auto same =
      patch(client_, path, R"({"categories": ["neighbour_dispute", "legal"]})", tag(version + 2));
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(Body(same)["version"], version + 2);

  // The registration's rules, codes and messages.
  auto details = [&](const std::string& body) {
    const auto r = patch(client_, path, body);
    ExpectError(r, 422, "validation_failed");
    std::vector<std::string> out;
    const Json b = Body(r);
    for (const auto& d : b["error"]["details"]) {
      out.push_back(d["field"].get<std::string>() + ":" + d["code"].get<std::string>());
    }
    return out;
  };
  EXPECT_EQ(details(R"({"kind": "outside", "categories": ["welfare", "ufo"]})"),
            (std::vector<std::string>{"kind:invalid_choice", "categories[1]:unknown_category"}));
  EXPECT_EQ(details(R"({"response_hours": 0})"),
            (std::vector<std::string>{"response_hours:out_of_range"}));
  EXPECT_EQ(details(R"({"categories": [], "name": " "})"),
            (std::vector<std::string>{"name:required", "categories:required"}));
  EXPECT_EQ(details(R"({"name": null, "colour": "blue"})"),
            (std::vector<std::string>{"colour:unknown_field", "name:required"}));
  const auto posted = Post("/api/v1/agencies", R"({"name": "x", "kind": "outside",
                                                   "categories": ["welfare", "ufo"],
                                                   "response_hours": 48})");
  const auto patched =
      patch(client_, path, R"({"kind": "outside", "categories": ["welfare", "ufo"]})");
  EXPECT_EQ(Body(posted)["error"]["details"], Body(patched)["error"]["details"]);
  EXPECT_EQ(Body(Get(path))["version"], version + 2);

  // A name another agency has: 409, as on registration.
  const auto other = Post("/api/v1/agencies", R"({"name": "서민금융통합지원센터",
                                                  "kind": "external", "categories": ["finance"],
                                                  "response_hours": 48})");
  ASSERT_EQ(other.status, 201) << other.body;
  ExpectError(patch(client_, path, R"({"name": "서민금융통합지원센터"})"), 409, "conflict");
  // Another district's agency and a missing one do not exist here.
  auto& dir = app_->storage().directory();
  auto elsewhere = dir.EnsureDistrict("seodaemun", "서대문구");
  ASSERT_TRUE(elsewhere.ok());
  core::Agency theirs;
  theirs.district_id = elsewhere->id;
  theirs.name = "서대문 해바라기센터";
  theirs.categories = {"crime_victim"};
  theirs.response_hours = 24;
  auto foreign = dir.CreateAgency(theirs);
  ASSERT_TRUE(foreign.ok());
  ExpectError(patch(client_, "/api/v1/agencies/" + std::to_string(foreign->id),
                    R"({"response_hours": 12})"),
              404, "not_found");
  EXPECT_EQ(dir.GetAgency(elsewhere->id, foreign->id)->response_hours, 24);
  ExpectError(patch(client_, "/api/v1/agencies/999999", R"({"response_hours": 12})"), 404,
              "not_found");

  // Admins only.
  ExpectError(patch(counselor, path, R"({"response_hours": 1})", tag(version + 2)), 403,
              "forbidden");
  EXPECT_EQ(Body(Get(path))["response_hours"], 24);
  // Like registering an agency, changing one is not in the access records.
  EXPECT_EQ(NewestRecordId(*app_), before);
}

TEST_P(ApiTest, BadInputGetsTheErrorShapeAndWritesNothing) {
  ExpectError(Post("/api/v1/agencies", R"({"name": "x", )"), 400, "malformed_json");
  ExpectError(Post("/api/v1/agencies", "{\"name\": \"\xED\xA0\x80\"}"), 400, "invalid_utf8");
  ExpectError(Post("/api/v1/agencies", kValidAgency, "text/plain"), 415, "unsupported_media_type");
  ExpectError(Post("/api/v1/agencies", "[]"), 422, "validation_failed");
  const auto wrong = Post("/api/v1/agencies",
                          R"({"name": 7, "kind": "external", "categories": "finance",
                              "response_hours": "48", "colour": "blue"})");
  ExpectError(wrong, 422, "validation_failed");
  std::set<std::string> fields;
  const Json wrong_body = Body(wrong);  // range-for over a temporary's member would dangle
  for (const auto& d : wrong_body["error"]["details"]) {
    fields.insert(d["field"].get<std::string>());
    EXPECT_FALSE(d["message_ko"].get<std::string>().empty());
  }
  EXPECT_EQ(fields, (std::set<std::string>{"name", "categories", "response_hours", "colour"}));
  const auto domain = Post("/api/v1/agencies",
                           R"({"name": "x", "kind": "outside", "categories": ["ufo"],
                               "response_hours": 48})");
  ExpectError(domain, 422, "validation_failed");
  EXPECT_TRUE(Body(Get("/api/v1/agencies"))["items"].empty());
}

TEST_P(ApiTest, UnknownRoutesAndMethods) {
  ExpectError(Get("/api/v1/nothing-here"), 404, "not_found");
  ExpectError(Get("/api/v1/agencies/abc"), 404, "not_found");
  ExpectError(Get("/api/v1/agencies/99999"), 404, "not_found");
  const auto r = client_.Send("DELETE", "/api/v1/agencies");
  ExpectError(r, 405, "method_not_allowed");
  EXPECT_EQ(r.headers.at("allow"), "GET, POST");
  ExpectError(Get("/api/v1/agencies/%ff%fe"), 400, "invalid_utf8");
}

TEST_P(ApiTest, ResponsesAreNotCachedAndCarryARequestId) {
  const auto r = Get("/api/v1/dongs");
  EXPECT_EQ(r.headers.at("cache-control"), "no-store");
  EXPECT_EQ(r.headers.at("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.headers.at("x-request-id").size(), 16U);
  const auto echoed = Request(port_, "GET", "/healthz", "", "application/json",
                              {{"X-Request-Id", "nginx-abc-123"}});
  EXPECT_EQ(Request(port_, "GET", "/api/v1/dongs").status, 401);
  EXPECT_EQ(echoed.headers.at("x-request-id"), "nginx-abc-123");
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

}  // namespace
}  // namespace caredesk::testing
