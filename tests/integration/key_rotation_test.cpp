// Master-key rotation end to end: after `rotate-key`, every case stays readable
// even once the old key is gone from the key file, on both backends.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "crypto/key_file.hpp"
#include "tests/integration/test_app.hpp"

namespace caredesk::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class KeyRotationTest : public ::testing::TestWithParam<storage::Backend> {};

TEST_P(KeyRotationTest, EveryRecordStaysReadableAfterTheOldKeyIsRemoved) {
  TempDir dir;
  const auto config = TestConfig(GetParam(), dir);
  core::CaseId case_id = 0;
  {
    auto app = app::App::Open(config, {nullptr, crypto::PasswordCost::Minimum()});
    ASSERT_TRUE(app.ok()) << app.error().internal_detail;
    auto& a = **app;
    const auto dong = a.storage().directory().EnsureDong(a.district().id, "서교동", "서교")->id;
    const auto kim = EnsureUser(a, "kim", "counselor", dong);
    core::IntakeInput in;
    in.channel = "visit";
    in.primary_category = "housing";
    in.summary = "반지하 침수 피해로 임시 거처가 필요합니다";
    in.new_resident = core::NewResident{};
    in.new_resident->name = "윤주거";
    in.new_resident->phone = "010-3333-4444";
    in.confirm_new_resident = true;
    in.consultation = core::ConsultationInput{"visit", "긴급주거지원 안내", ""};
    in.follow_up = core::FollowUpInput{};
    auto created = a.cases().Intake(core::ActorOf(kim, "127.0.0.1"), in);
    ASSERT_TRUE(created.ok()) << created.error().message << created.error().internal_detail;
    case_id = created->file.c.id;
  }
  // Rotate: add key 2, re-seal under it.
  ASSERT_TRUE(crypto::AddSealKey(config.security.key_file).ok());
  {
    auto app = app::App::Open(config, {nullptr, crypto::PasswordCost::Minimum()});
    ASSERT_TRUE(app.ok());
    auto report = (*app)->storage().ResealUnderCurrentKey(*(*app)->crypto().sealer);
    ASSERT_TRUE(report.ok()) << report.error().internal_detail;
    EXPECT_EQ(report->current_key_id, 2U);
    EXPECT_GE(report->data_keys_resealed, 1);
    EXPECT_EQ(report->remaining, 0);
    auto again = (*app)->storage().ResealUnderCurrentKey(*(*app)->crypto().sealer);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->data_keys_resealed, 0);  // nothing left to do
  }
  // Retire key 1: drop its line from the key file.
  std::string text = Slurp(config.security.key_file);
  const auto start = text.find("seal 1 ");
  ASSERT_NE(start, std::string::npos);
  text.erase(start, text.find('\n', start) + 1 - start);
  {
    std::ofstream out(config.security.key_file, std::ios::trunc);
    out << text;
  }
  auto app = app::App::Open(config, {nullptr, crypto::PasswordCost::Minimum()});
  ASSERT_TRUE(app.ok()) << app.error().internal_detail;
  auto file = (*app)->case_repository().GetCase((*app)->district().id, case_id);
  ASSERT_TRUE(file.ok()) << file.error().internal_detail;
  EXPECT_EQ(file->c.summary, "반지하 침수 피해로 임시 거처가 필요합니다");
  ASSERT_EQ(file->consultations.size(), 1U);
  EXPECT_EQ(file->consultations[0].notes, "긴급주거지원 안내");
  auto resident =
      (*app)->case_repository().GetResident((*app)->district().id, *file->c.resident_id);
  ASSERT_TRUE(resident.ok());
  EXPECT_EQ(resident->phone, "01033334444");
}

INSTANTIATE_TEST_SUITE_P(Backends, KeyRotationTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

}  // namespace
}  // namespace caredesk::testing
