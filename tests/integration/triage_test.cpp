// POST /api/v1/triage, the crisis screen of an intake, and retraining from the admin screen
// (GET /api/v1/triage/model, POST /api/v1/triage/retrain) over HTTP, on SQLite and PostgreSQL,
// with a model trained on data/triage as `caredesk triage train` does (three folds instead of
// five and one model instead of an ensemble, so that the sanitizer build stays quick) and
// without one.
#include "core/triage.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "app/triage_files.hpp"
#include "tests/integration/test_app.hpp"

namespace caredesk::testing {
namespace {

using http::Json;

Json Body(const HttpResult& r) { return Json::parse(r.body, nullptr, false); }

const std::string kDataDir = std::string(CAREDESK_SOURCE_DIR) + "/data/triage";

// Trained once per test binary from the shipped data into a file of its own.
const std::string& ModelFile() {
  static const TempDir dir;
  static const std::string path = [] {
    auto data = app::ReadTriageTrainingData(kDataDir);
    EXPECT_TRUE(data.ok()) << (data.ok() ? "" : data.error().message);
    if (!data.ok()) {
      return std::string();
    }
    auto trained = core::TrainTriage(data->categories, data->crisis, QuickTriageTraining());
    EXPECT_TRUE(trained.ok()) << (trained.ok() ? "" : trained.error().message);
    if (!trained.ok()) {
      return std::string();
    }
    const std::string file = dir.File("triage.model");
    EXPECT_TRUE(app::WriteFileAtomically(file, core::SerializeTriageModel(trained->model)).ok());
    return file;
  }();
  return path;
}

std::vector<std::string> Codes(const Json& categories) {
  std::vector<std::string> out;
  for (const auto& c : categories) {
    out.push_back(c["code"].get<std::string>());
  }
  return out;
}

class TriageTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    config_ = TestConfig(GetParam(), dir_);
    // A copy per test: a retraining replaces it.
    ASSERT_FALSE(ModelFile().empty());
    config_.triage.model_file = dir_.File("triage.model");
    std::filesystem::copy_file(ModelFile(), config_.triage.model_file);
    config_.triage.data_dir = kDataDir;
    app_ = StartApp(config_, &port_);
    ASSERT_NE(app_, nullptr);
    auto& dir = app_->storage().directory();
    const auto district = app_->district().id;
    seogyo_ = dir.EnsureDong(district, "서교동", "서교")->id;
    auto agency = [&](const std::string& name, std::vector<std::string> categories) {
      core::Agency a;
      a.district_id = district;
      a.name = name;
      a.kind = core::AgencyKind::kInternal;
      a.categories = std::move(categories);
      a.contact = "내선 3300";
      a.response_hours = 48;
      return dir.CreateAgency(a)->id;
    };
    housing_agency_ = agency("마포구청 주택과 (MH 마포하우징)", {"housing"});
    agency("마포구 치매안심센터", {"health", "welfare"});
    agency("마포구 정신건강복지센터", {"mental_health", "health"});
    agency("서민금융통합지원센터", {"finance", "jobs"});
    EnsureUser(*app_, "kim", "counselor", seogyo_);
    EnsureUser(*app_, "admin1", "admin");
    EnsureUser(*app_, "auditor1", "auditor");
    kim_ = SignIn(port_, "kim");
  }

  Json Triage(const std::string& text) {
    const auto r = kim_.Post("/api/v1/triage", Json{{"text", text}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return Body(r);
  }

  TempDir dir_;
  app::Config config_;
  std::unique_ptr<app::App> app_;
  std::uint16_t port_ = 0;
  core::AgencyId housing_agency_ = 0;
  core::DongId seogyo_ = 0;
  Client kim_;
};

TEST_P(TriageTest, AHousingConcernGetsHousingInTheTopThreeAndTheHousingDepartment) {
  const Json t = Triage("전세 보증금을 집주인이 안 돌려줘요 이사를 가야 하는데");
  ASSERT_EQ(t["categories"].size(), 3U) << t.dump();
  const auto codes = Codes(t["categories"]);
  EXPECT_NE(std::find(codes.begin(), codes.end(), "housing"), codes.end()) << t.dump();
  double sum = 0;
  for (std::size_t i = 0; i < t["categories"].size(); ++i) {
    const double score = t["categories"][i]["score"].get<double>();
    sum += score;
    if (i > 0) {
      EXPECT_GE(t["categories"][i - 1]["score"].get<double>(), score);
    }
  }
  EXPECT_LE(sum, 1.0);
  EXPECT_EQ(t["model"], app_->triage().Current()->model_name());
  EXPECT_EQ(t["model"].get<std::string>().substr(0, 3), "v1-");
  EXPECT_EQ(t["crisis"], (Json{{"flag", false}, {"terms", Json::array()}}));
  ASSERT_FALSE(t["agencies"].empty()) << t.dump();
  const auto& first = t["agencies"][0];
  EXPECT_EQ(first["id"], housing_agency_) << t.dump();
  EXPECT_EQ(first["name"], "마포구청 주택과 (MH 마포하우징)");
  EXPECT_NE(first["reason"].get<std::string>().find("주거 분야 담당"), std::string::npos);
  EXPECT_NE(first["reason_en"].get<std::string>().find("handles Housing"), std::string::npos);
}

TEST_P(TriageTest, ACrisisIsFlaggedWithTheWordsThatTriggeredItHyperboleIsNot) {
  const Json rules = Triage("며칠째 굶고 있어요. 이제 죽고 싶어요");
  EXPECT_EQ(rules["crisis"]["flag"], true);
  const auto terms = rules["crisis"]["terms"].get<std::vector<std::string>>();
  for (const auto* word : {"죽고 싶", "며칠째 굶", "굶고 있"}) {
    EXPECT_NE(std::find(terms.begin(), terms.end(), word), terms.end()) << word << " " << rules;
  }
  // No crisis keyword at all: the classifier flags it and names the words behind it.
  const std::string quiet = "가족들한테 미안하다고 문자 보내놨어요";
  ASSERT_FALSE(core::DetectCrisisWords(quiet).flag);
  const Json model = Triage(quiet);
  EXPECT_EQ(model["crisis"]["flag"], true) << model.dump();
  ASSERT_FALSE(model["crisis"]["terms"].empty());
  for (const auto& t : model["crisis"]["terms"]) {
    EXPECT_NE(quiet.find(t.get<std::string>()), std::string::npos) << t;
  }
  for (const auto* text : {"더워 죽겠다 무더위쉼터 어디예요", "배고파 죽겠네 주민센터 근처 밥집",
                           "아 진짜 미치겠어요 서류를 또 떼 오래요"}) {
    const Json t = Triage(text);
    EXPECT_EQ(t["crisis"], (Json{{"flag", false}, {"terms", Json::array()}})) << text;
  }
}

TEST_P(TriageTest, EachCategoryNamesTheWordsThatPointToIt) {
  const Json t = Triage("윗집 층간 소음 때문에 잠을 못 자요");
  ASSERT_EQ(t["categories"].size(), 3U);
  EXPECT_EQ(t["categories"][0]["code"], "neighbour_dispute");
  EXPECT_EQ(t["categories"][0]["matched"], (Json{"층간소음", "윗집"}));
  // The first answer shape is gone: the intake screen reads this one.
  EXPECT_EQ(kim_.Post("/api/v1/triage/suggest", Json{{"text", "소음"}}.dump()).status, 404);
}

TEST_P(TriageTest, AnyStaffRoleMayAskBadTextIsRefusedAndNothingIsKept) {
  EXPECT_EQ(kim_.Post("/api/v1/triage", "{}").status, 422);
  EXPECT_EQ(kim_.Post("/api/v1/triage", Json{{"text", std::string(4001, 'a')}}.dump()).status, 422);
  EXPECT_EQ(kim_.Post("/api/v1/triage", Json{{"text", "x"}, {"extra", 1}}.dump()).status, 422);
  EXPECT_EQ(Request(port_, "POST", "/api/v1/triage", Json{{"text", "전세"}}.dump()).status, 401);
  for (const auto* login : {"auditor1", "admin1"}) {
    EXPECT_EQ(SignIn(port_, login).Post("/api/v1/triage", Json{{"text", "기초수급"}}.dump()).status,
              200)
        << login;
  }
  Triage("어제 쫓겨나서 차에서 자고 있어요 고유한문장칠칠");
  const auto admin = SignIn(port_, "admin1", kChangedPassword, false);
  const auto records = admin.Get("/api/v1/access-records?limit=1000").body;
  EXPECT_EQ(records.find("고유한문장칠칠"), std::string::npos);
  EXPECT_EQ(records.find("triage"), std::string::npos);
}

TEST_P(TriageTest, AnIntakeThatOverridesTheTopSuggestionIsKeptAsACorrection) {
  auto intake = [&](const std::string& summary, const std::string& primary) {
    const auto r = kim_.Post("/api/v1/cases", Json{{"channel", "visit"},
                                                   {"dong_id", seogyo_},
                                                   {"primary_category", primary},
                                                   {"summary", summary},
                                                   {"follow_up", {{"kind", "counseling"}}}}
                                                  .dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r)["id"].get<std::int64_t>();
  };
  const std::string text = "전세 보증금을 집주인이 안 돌려줘요 소송을 해야 할까요";
  ASSERT_EQ(Triage(text)["categories"][0]["code"], "housing");
  const auto overridden = intake(text, "legal");
  intake("전세 보증금을 집주인이 안 돌려줘요", "housing");  // agrees: nothing to learn
  auto corrections = app_->case_repository().ListTriageCorrections(app_->district().id);
  ASSERT_TRUE(corrections.ok());
  ASSERT_EQ(corrections->size(), 1U);
  EXPECT_EQ((*corrections)[0].case_id, overridden);
  EXPECT_EQ((*corrections)[0].category, "legal");
  EXPECT_EQ((*corrections)[0].suggested, "housing");
  EXPECT_EQ((*corrections)[0].text, text);
}

// The kinds and data of a case's timeline events.
Json Timeline(const Client& c, std::int64_t id) {
  return Body(c.Get("/api/v1/cases/" + std::to_string(id) + "/timeline"))["items"];
}

const Json* EventOf(const Json& timeline, const std::string& kind) {
  for (const auto& e : timeline) {
    if (e["kind"] == kind) {
      return &e;
    }
  }
  return nullptr;
}

TEST_P(TriageTest, AnIntakeWithCrisisWordsBecomesACrisisUnlessTheCounselorSaysWhyNot) {
  auto intake = [&](Json extra) {
    Json body = {{"channel", "phone"},
                 {"dong_id", seogyo_},
                 {"primary_category", "welfare"},
                 {"summary", "생활이 어렵다고 전화하셨어요"},
                 {"follow_up", {{"kind", "welfare_check"}}}};
    body.update(extra);
    return kim_.Post("/api/v1/cases", body.dump());
  };
  // In the summary: the case is a crisis whatever urgency was chosen, with the rules' words.
  auto r = intake({{"summary", "며칠째 굶고 있어요. 이제 죽고 싶어요"}, {"urgency", "normal"}});
  ASSERT_EQ(r.status, 201) << r.body;
  Json c = Body(r);
  EXPECT_EQ(c["urgency"], "crisis");
  Json timeline = Timeline(kim_, c["id"].get<std::int64_t>());
  const Json* flagged = EventOf(timeline, "crisis_flagged");
  ASSERT_NE(flagged, nullptr) << timeline.dump();
  EXPECT_EQ((*flagged)["data"]["from"], "normal");
  const auto terms = (*flagged)["data"]["terms"].get<std::string>();
  EXPECT_NE(terms.find("죽고 싶"), std::string::npos) << terms;
  EXPECT_NE(terms.find("며칠째 굶"), std::string::npos) << terms;
  EXPECT_EQ(EventOf(timeline, "received")->at("data")["urgency"], "crisis");

  // Only in the first consultation's notes: the same.
  r = intake({{"consultation",
               {{"kind", "call"},
                {"notes", "통화 중에 어제 약을 모아 두었다고 하셨음. 다 끝내고 싶다고."}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Body(r)["urgency"], "crisis");

  // The counselor judged it otherwise and said why: the urgency stays, the flag is on record.
  r = intake({{"summary", "드라마에서 주인공이 죽고 싶다고 했대요. 본인은 기초연금 문의"},
              {"urgency", "normal"},
              {"crisis_dismissal", "quoted"}});
  ASSERT_EQ(r.status, 201) << r.body;
  c = Body(r);
  EXPECT_EQ(c["urgency"], "normal");
  timeline = Timeline(kim_, c["id"].get<std::int64_t>());
  const Json* dismissed = EventOf(timeline, "crisis_flag_dismissed");
  ASSERT_NE(dismissed, nullptr) << timeline.dump();
  EXPECT_EQ((*dismissed)["data"]["reason"], "quoted");
  EXPECT_EQ((*dismissed)["data"]["urgency"], "normal");
  EXPECT_EQ(EventOf(timeline, "crisis_flagged"), nullptr);

  // Everyday exaggeration: no flag, no event; a dismissal without a flag changes nothing.
  r = intake(
      {{"summary", "더워 죽겠다 무더위쉼터 어디예요"}, {"crisis_dismissal", "exaggeration"}});
  ASSERT_EQ(r.status, 201) << r.body;
  c = Body(r);
  EXPECT_EQ(c["urgency"], "normal");
  timeline = Timeline(kim_, c["id"].get<std::int64_t>());
  EXPECT_EQ(EventOf(timeline, "crisis_flagged"), nullptr);
  EXPECT_EQ(EventOf(timeline, "crisis_flag_dismissed"), nullptr);

  // An unknown reason is refused before anything is stored.
  r = intake({{"summary", "죽고 싶어요"}, {"crisis_dismissal", "because"}});
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(Body(r)["error"]["details"][0]["field"], "crisis_dismissal") << r.body;
}

TEST_P(TriageTest, AnAdminRetrainsWithTheCorrectionsAndTheNewModelAnswersEverywhere) {
  const auto admin = SignIn(port_, "admin1");
  EXPECT_EQ(kim_.Get("/api/v1/triage/model").status, 403);
  EXPECT_EQ(kim_.Post("/api/v1/triage/retrain", "").status, 403);
  Json model = Body(admin.Get("/api/v1/triage/model"));
  const std::string before = app_->triage().Current()->model_name();
  EXPECT_EQ(model["model"]["version"], before);
  EXPECT_EQ(model["model"]["has_model"], true);
  EXPECT_EQ(model["corrections"], 0);
  EXPECT_TRUE(model["training"].is_null()) << model.dump();

  // Another server on the same model file.
  TempDir other_dir;
  auto other_config = TestConfig(GetParam(), other_dir);
  other_config.triage.model_file = config_.triage.model_file;
  std::uint16_t other_port = 0;
  auto other = StartApp(other_config, &other_port);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->triage().Current()->model_name(), before);

  // Counselors chose 'legal' three times for what the model calls housing.
  const std::string text = "전세 보증금을 집주인이 안 돌려줘요 소송을 해야 할까요";
  ASSERT_EQ(Triage(text)["categories"][0]["code"], "housing");
  for (int i = 0; i < 3; ++i) {
    const auto r = kim_.Post("/api/v1/cases", Json{{"channel", "visit"},
                                                   {"dong_id", seogyo_},
                                                   {"primary_category", "legal"},
                                                   {"summary", text},
                                                   {"follow_up", {{"kind", "counseling"}}}}
                                                  .dump());
    ASSERT_EQ(r.status, 201) << r.body;
  }
  const auto corrections = Body(admin.Get("/api/v1/triage/model"))["corrections"].get<int>();
  ASSERT_EQ(corrections, 3);
  const auto r = admin.Post("/api/v1/triage/retrain", "");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(Body(r)["training"]["state"], "running");
  EXPECT_EQ(Body(r)["training"]["corrections"], corrections);
  app_->triage().WaitForRetraining();

  model = Body(admin.Get("/api/v1/triage/model"));
  const Json& t = model["training"];
  ASSERT_EQ(t["state"], "installed") << model.dump();
  EXPECT_EQ(t["corrections"], corrections);
  auto data = app::ReadTriageTrainingData(kDataDir);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(t["training"]["category_examples"], data->categories.size() + corrections);
  EXPECT_EQ(t["replaced_version"], before);
  EXPECT_EQ(t["held_out"]["lines"], 480) << t.dump();
  EXPECT_GE(t["held_out"]["top3"].get<double>(), 0.9);
  EXPECT_EQ(t["held_out"]["crisis_caught"], t["held_out"]["crisis_lines"]);
  EXPECT_EQ(t["held_out_current"]["crisis_caught"], t["held_out"]["crisis_caught"]);
  const std::string after = t["version"].get<std::string>();
  EXPECT_EQ(model["model"]["version"], after);
  EXPECT_NE(after, before);  // it learnt something
  EXPECT_EQ(Triage(text)["model"], after);

  // The corrections are residents' words: their read is on the record, with the purpose.
  const auto records = Body(admin.Get("/api/v1/access-records?target_type=triage_corrections"));
  ASSERT_FALSE(records["items"].empty()) << records.dump();
  EXPECT_EQ(records["items"][0]["purpose"], "triage retraining");
  EXPECT_EQ(records["items"][0]["target_id"], std::to_string(corrections));

  // The other server reads the file again and answers with the new model; a restart keeps it
  // and the figures of the retraining.
  other->triage().ReloadIfChanged();
  EXPECT_EQ(other->triage().Current()->model_name(), after);
  other->Stop();
  other.reset();
  other = StartApp(other_config, &other_port);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->triage().Current()->model_name(), after);
  const auto last = other->triage().LastTraining();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->version, after);
  EXPECT_EQ(last->state, app::TriageTraining::State::kInstalled);
}

TEST_P(TriageTest, RetrainingThatCannotReadItsTrainingFilesFailsAndKeepsTheModel) {
  app_->Stop();
  app_.reset();
  config_.triage.data_dir = dir_.File("no-such-dir");
  app_ = StartApp(config_, &port_);
  ASSERT_NE(app_, nullptr);
  const std::string before = app_->triage().Current()->model_name();
  const auto admin = SignIn(port_, "admin1");
  ASSERT_EQ(admin.Post("/api/v1/triage/retrain", "").status, 202);
  app_->triage().WaitForRetraining();
  const Json model = Body(admin.Get("/api/v1/triage/model"));
  EXPECT_EQ(model["training"]["state"], "failed") << model.dump();
  EXPECT_NE(model["training"]["message"].get<std::string>().find("train.tsv"), std::string::npos);
  EXPECT_FALSE(model["training"]["message_ko"].get<std::string>().empty());
  EXPECT_EQ(model["model"]["version"], before);
  EXPECT_EQ(Body(admin.Post("/api/v1/triage", Json{{"text", "전세 보증금"}}.dump()))["model"],
            before);
}

INSTANTIATE_TEST_SUITE_P(Backends, TriageTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

// Without a model file the server still answers, from the keyword rules, and says so.
TEST(TriageWithoutModel, TheKeywordRulesAnswerAndTheAnswerSaysRules) {
  TempDir dir;
  auto config = TestConfig(storage::Backend::kSqlite, dir);
  config.triage.model_file = dir.File("missing.model");
  std::uint16_t port = 0;
  auto app = StartApp(config, &port);
  ASSERT_NE(app, nullptr);
  EXPECT_FALSE(app->triage().Current()->has_model());
  const auto dong = app->storage().directory().EnsureDong(app->district().id, "서교동", "서교");
  ASSERT_TRUE(dong.ok());
  EnsureUser(*app, "kim", "counselor", dong->id);
  const auto kim = SignIn(port, "kim");
  const Json t =
      Body(kim.Post("/api/v1/triage", Json{{"text", "전세 보증금을 집주인이 안 돌려줘요"}}.dump()));
  EXPECT_EQ(t["model"], "rules");
  ASSERT_EQ(t["categories"].size(), 1U) << t.dump();
  EXPECT_EQ(t["categories"][0],
            (Json{{"code", "housing"}, {"score", 1.0}, {"matched", {"전세", "집주인", "보증금"}}}));
  EXPECT_EQ(t["agencies"], Json::array());  // this district has none yet
}

// A damaged model file stops the server from starting, with the reason.
TEST(TriageWithoutModel, ADamagedModelFileIsAStartupError) {
  TempDir dir;
  auto config = TestConfig(storage::Backend::kSqlite, dir);
  config.triage.model_file = dir.File("damaged.model");
  ASSERT_TRUE(app::WriteFileAtomically(config.triage.model_file, "CDTRIAGE\x01").ok());
  auto opened = app::App::Open(config, {nullptr, crypto::PasswordCost::Minimum()});
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("damaged.model"), std::string::npos);
  EXPECT_NE(opened.error().message.find("truncated"), std::string::npos);
}

}  // namespace
}  // namespace caredesk::testing
