// Open311 GeoReport v2 over HTTP on SQLite and PostgreSQL: a civic app posts a broken
// streetlight by coordinates and a blocked drain by address; each becomes a case of the dong
// where it is, with a next step within one working day; the app reads the requests back in
// JSON and XML (status, the counselor's answer as status_notes, never the description or the
// reporter); bad keys, unknown services, missing locations and places outside the district are
// refused in the spec's error format. (Schema validation of every JSON answer against the
// published GeoReport v2 schemas: web/tests/open311.test.mjs.)
#include <gtest/gtest.h>

#include "tests/integration/test_app.hpp"

namespace caredesk::testing {
namespace {

using http::Json;

Json Body(const HttpResult& r) { return Json::parse(r.body, nullptr, false); }

std::string Form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    out += (out.empty() ? "" : "&") + k + "=";
    for (const unsigned char c : v) {
      if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.') {
        out.push_back(static_cast<char>(c));
      } else {
        char buf[4];
        std::snprintf(buf, sizeof(buf), "%%%02X", c);
        out += buf;
      }
    }
  }
  return out;
}

class Open311Test : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    config_ = TestConfig(GetParam(), dir_);
    config_.open311.dong_boundaries_file =
        std::string(CAREDESK_SOURCE_DIR) + "/data/open311/dong_boundaries.geojson";
    app_ = StartApp(config_, &port_);
    ASSERT_NE(app_, nullptr);
    auto& dir = app_->storage().directory();
    const auto district = app_->district().id;
    seogyo_ = dir.EnsureDong(district, "서교동", "서교")->id;
    mangwon_ = dir.EnsureDong(district, "망원1동", "망원1")->id;
    EnsureUser(*app_, "kim", "counselor", seogyo_);
    EnsureUser(*app_, "district-sup", "supervisor");
    EnsureUser(*app_, "admin", "admin");
    admin_ = SignIn(port_, "admin");
    const auto made = admin_.Post("/api/v1/open311/clients", Json{{"name", "동네고침 앱"}}.dump());
    ASSERT_EQ(made.status, 201) << made.body;
    key_ = Body(made)["api_key"];
    client_id_ = Body(made)["client"]["id"];
  }

  HttpResult Post(const std::string& format,
                  std::vector<std::pair<std::string, std::string>> fields) {
    return Request(port_, "POST", "/open311/v2/requests." + format, Form(fields),
                   "application/x-www-form-urlencoded");
  }
  HttpResult Get(const std::string& target) { return Request(port_, "GET", target); }

  TempDir dir_;
  app::Config config_;
  std::uint16_t port_ = 0;
  std::unique_ptr<app::App> app_;
  core::DongId seogyo_ = 0;
  core::DongId mangwon_ = 0;
  Client admin_;
  std::string key_;
  std::int64_t client_id_ = 0;
};

TEST_P(Open311Test, RequestsBecomeCasesOfTheirDongAndReadBack) {
  // By coordinates inside 서교동's boundary.
  auto posted = Post("json", {{"api_key", key_},
                              {"service_code", "streetlight"},
                              {"lat", "37.5541"},
                              {"long", "126.9182"},
                              {"attribute[problem]", "flickering"},
                              {"description", "302호 김씨네 앞 가로등이 깜빡여요"},
                              {"email", "reporter@example.org"},
                              {"first_name", "민지"},
                              {"media_url", "https://photos.example/1.jpg"}});
  ASSERT_EQ(posted.status, 200) << posted.body;
  const Json created = Body(posted);
  ASSERT_TRUE(created.is_array());
  const std::string id = created[0]["service_request_id"];
  EXPECT_FALSE(created[0]["token"].get<std::string>().empty());
  EXPECT_NE(created[0]["service_notice"].get<std::string>().find("1근무일"), std::string::npos);

  auto file = app_->case_repository().GetCase(app_->district().id, std::stoll(id));
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->c.dong_id, seogyo_);
  EXPECT_EQ(file->c.channel, core::Channel::kOnline);
  EXPECT_EQ(file->c.primary_category, "safety");
  EXPECT_EQ(file->c.reporter.kind, core::ReporterKind::kThirdParty);
  EXPECT_EQ(file->c.reporter.contact, "reporter@example.org");
  EXPECT_NE(file->c.summary.find("깜빡임"), std::string::npos);
  ASSERT_EQ(file->follow_ups.size(), 1U);
  EXPECT_TRUE(file->follow_ups[0].IsOpen());

  // By address naming the dong ("망원 1동" as people write it).
  posted = Post("xml", {{"api_key", key_},
                        {"service_code", "blocked_drain"},
                        {"address_string", "서울 마포구 망원 1동 432-1 앞"},
                        {"attribute[flooding]", "no"}});
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(posted.headers.at("content-type"), "text/xml; charset=utf-8");
  EXPECT_NE(posted.body.find("<service_requests><request><service_request_id>"), std::string::npos)
      << posted.body;
  const auto start = posted.body.find("<token>") + 7;
  const std::string token = posted.body.substr(start, posted.body.find("</token>") - start);
  const auto drain = Get("/open311/v2/tokens/" + token + ".json");
  ASSERT_EQ(drain.status, 200) << drain.body;
  const std::string drain_id = Body(drain)[0]["service_request_id"];
  auto drain_file = app_->case_repository().GetCase(app_->district().id, std::stoll(drain_id));
  ASSERT_TRUE(drain_file.ok());
  EXPECT_EQ(drain_file->c.dong_id, mangwon_);

  // The counselor answers: the answer is the public status_notes; the case resolves: closed.
  auto kim = SignIn(port_, "kim");
  auto answered = kim.Post("/api/v1/cases/" + id + "/consultations",
                           Json{{"kind", "visit"},
                                {"notes", "현장 확인, 도로과에 수리 요청"},
                                {"answer", "구청 도로과에 수리를 요청했습니다."}}
                               .dump());
  ASSERT_EQ(answered.status, 200) << answered.body;
  const auto one = Get("/open311/v2/requests/" + id + ".json");
  ASSERT_EQ(one.status, 200) << one.body;
  const Json r = Body(one)[0];
  EXPECT_EQ(r["status"], "open");
  EXPECT_EQ(r["status_notes"], "구청 도로과에 수리를 요청했습니다.");
  EXPECT_EQ(r["agency_responsible"], "서교동 주민센터");
  EXPECT_EQ(r["service_code"], "streetlight");
  EXPECT_DOUBLE_EQ(r["lat"].get<double>(), 37.5541);
  EXPECT_EQ(r["media_url"], "https://photos.example/1.jpg");
  EXPECT_TRUE(r["description"].is_null());
  // Nothing personal in the public answers.
  EXPECT_EQ(one.body.find("302호"), std::string::npos);
  EXPECT_EQ(one.body.find("reporter@example.org"), std::string::npos);
  EXPECT_EQ(one.body.find("민지"), std::string::npos);
  EXPECT_TRUE(r["requested_datetime"].get<std::string>().ends_with("+09:00"));

  const auto resolved = kim.Post("/api/v1/cases/" + id + "/resolve",
                                 Json{{"resolution_note", "가로등 수리 완료"}}.dump());
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  const Json closed = Body(Get("/open311/v2/requests.json?status=closed"));
  ASSERT_EQ(closed.size(), 1U);
  EXPECT_EQ(closed[0]["service_request_id"], id);
  const Json open = Body(Get("/open311/v2/requests.json?status=open"));
  ASSERT_EQ(open.size(), 1U);
  EXPECT_EQ(open[0]["service_request_id"], drain_id);

  // Filters and pages; XML carries the same fields.
  EXPECT_EQ(Body(Get("/open311/v2/requests.json")).size(), 2U);
  EXPECT_EQ(Body(Get("/open311/v2/requests.json?service_code=blocked_drain")).size(), 1U);
  EXPECT_EQ(Body(Get("/open311/v2/requests.json?service_request_id=" + id + "," + drain_id)).size(),
            2U);
  EXPECT_EQ(Body(Get("/open311/v2/requests.json?page_size=1")).size(), 1U);
  EXPECT_EQ(Body(Get("/open311/v2/requests.json?page_size=1&page=2")).size(), 1U);
  EXPECT_EQ(Body(Get("/open311/v2/requests.json?page_size=1&page=3")).size(), 0U);
  EXPECT_EQ(Body(Get("/open311/v2/requests.json?end_date=2020-01-01T00:00:00Z")).size(), 0U);
  const auto xml = Get("/open311/v2/requests/" + id + ".xml");
  ASSERT_EQ(xml.status, 200);
  EXPECT_NE(xml.body.find("<status>closed</status>"), std::string::npos) << xml.body;
  EXPECT_NE(xml.body.find("<status_notes>구청 도로과에 수리를 요청했습니다.</status_notes>"),
            std::string::npos);
  // The Swagger's singular path answers the same.
  EXPECT_EQ(Get("/open311/v2/request/" + id + ".json").body, Get("/open311/v2/requests/" + id + ".json").body);
  // A case that did not come over Open311 does not exist here.
  EXPECT_EQ(Get("/open311/v2/requests/999999.json").status, 404);
}

TEST_P(Open311Test, ErrorsAreTheSpecsList) {
  auto bad_key = Post("json", {{"api_key", "wrong"}, {"service_code", "streetlight"},
                               {"lat", "37.5541"}, {"long", "126.9182"},
                               {"attribute[problem]", "off"}});
  ASSERT_EQ(bad_key.status, 403) << bad_key.body;
  EXPECT_EQ(Body(bad_key)[0]["code"], 403);
  EXPECT_FALSE(Body(bad_key)[0]["description"].get<std::string>().empty());
  const auto no_key = Post("xml", {{"service_code", "streetlight"}, {"lat", "37.5541"},
                                   {"long", "126.9182"}});
  ASSERT_EQ(no_key.status, 403);
  EXPECT_NE(no_key.body.find("<errors><error><code>403</code><description>"), std::string::npos)
      << no_key.body;
  const auto unknown = Post("json", {{"api_key", key_}, {"service_code", "ufo"}, {"lat", "37.5541"},
                                     {"long", "126.9182"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(Get("/open311/v2/services/ufo.xml").status, 404);
  const auto nowhere = Post("json", {{"api_key", key_}, {"service_code", "road_damage"}});
  ASSERT_EQ(nowhere.status, 400);
  EXPECT_NE(Body(nowhere)[0]["description"].get<std::string>().find("location"), std::string::npos);
  const auto outside = Post("json", {{"api_key", key_}, {"service_code", "road_damage"},
                                     {"lat", "35.1796"}, {"long", "129.0756"}});  // 부산
  EXPECT_EQ(outside.status, 400);
  const auto missing_attribute = Post("json", {{"api_key", key_}, {"service_code", "streetlight"},
                                               {"lat", "37.5541"}, {"long", "126.9182"}});
  EXPECT_EQ(missing_attribute.status, 400);
  EXPECT_EQ(Request(port_, "POST", "/open311/v2/requests.json", "{}", "application/json").status,
            400);
  EXPECT_EQ(Get("/open311/v2/services.yaml").status, 404);
  EXPECT_EQ(Get("/open311/v2/services.json?jurisdiction_id=busan").status, 404);
  EXPECT_EQ(Get("/open311/v2/services.json?jurisdiction_id=" + app_->district().code).status, 200);
  EXPECT_EQ(Get("/open311/v2/requests.json?status=maybe").status, 400);
  EXPECT_EQ(Get("/open311/v2/tokens/nope.json").status, 404);
  // Nothing was stored; every refused key is in the access records.
  auto list = app_->case_repository().ListCases(app_->district().id, {});
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
  auto refused = app_->access_log().Search({.action = "open311_rejected"});
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->size(), 2U);

  // A deactivated app is refused like an unknown one.
  const auto off = admin_.Post("/api/v1/open311/clients/" + std::to_string(client_id_) + "/deactivate", "");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_FALSE(Body(off)["active"].get<bool>());
  EXPECT_EQ(Post("json", {{"api_key", key_}, {"service_code", "road_damage"},
                          {"address_string", "서교동 1"}})
                .status,
            403);
  // The key itself is never listed.
  const auto clients = admin_.Get("/api/v1/open311/clients");
  ASSERT_EQ(clients.status, 200);
  EXPECT_EQ(clients.body.find(key_), std::string::npos);
  EXPECT_EQ(SignIn(port_, "kim").Get("/api/v1/open311/clients").status, 403);
}

TEST_P(Open311Test, ServicesAndDefinitionsInBothFormats) {
  const auto json = Get("/open311/v2/services.json");
  ASSERT_EQ(json.status, 200);
  const Json services = Body(json);
  ASSERT_GE(services.size(), 5U);
  EXPECT_EQ(services[0]["type"], "realtime");
  const auto xml = Get("/open311/v2/services.xml");
  ASSERT_EQ(xml.status, 200);
  EXPECT_TRUE(xml.body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service>"))
      << xml.body.substr(0, 200);
  for (const auto& s : services) {
    const std::string code = s["service_code"];
    EXPECT_NE(xml.body.find("<service_code>" + code + "</service_code>"), std::string::npos);
    const auto def = Get("/open311/v2/services/" + code + ".json");
    ASSERT_EQ(def.status, 200) << code;
    EXPECT_EQ(Body(def)["service_code"], code);
    EXPECT_EQ(Body(def)["attributes"].size() > 0, s["metadata"].get<bool>()) << code;
    const auto def_xml = Get("/open311/v2/services/" + code + ".xml");
    ASSERT_EQ(def_xml.status, 200);
    EXPECT_NE(def_xml.body.find("<service_definition><service_code>" + code), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, Open311Test,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

}  // namespace
}  // namespace caredesk::testing
