#include "core/saved_filter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace caredesk::core {
namespace {

std::vector<std::string> Violations(const Result<std::string>& r) {
  std::vector<std::string> out;
  if (!r.ok()) {
    for (const auto& d : r.error().details) {
      out.push_back(d.field + ":" + d.code);
      EXPECT_FALSE(d.message_ko.empty());
    }
  }
  return out;
}

TEST(ValidateSavedFilter, AcceptsEveryCaseListFilterAndTrimsTheName) {
  const std::map<std::string, std::string> query = {
      {"status", "in_consultation"}, {"open", "true"},       {"category", "housing.jeonse_fraud"},
      {"urgency", "crisis"},         {"channel", "phone"},   {"dong_id", "3"},
      {"counselor_id", "12"},        {"from", "2026-11-01"}, {"to", "2026-11-30T18:00:00+09:00"},
      {"overdue", "false"}};
  auto r = ValidateSavedFilter("  우리 동 위기 사례 ", query);
  ASSERT_TRUE(r.ok()) << r.error().details[0].field;
  EXPECT_EQ(*r, "우리 동 위기 사례");
  EXPECT_EQ(SavedFilterKeys().size(), query.size());
  EXPECT_TRUE(ValidateSavedFilter("빈 조건", {}).ok());
}

TEST(ValidateSavedFilter, NamesAreOneToSixtyCharacters) {
  EXPECT_EQ(Violations(ValidateSavedFilter("   ", {})), std::vector<std::string>{"name:invalid"});
  std::string sixty;
  for (int i = 0; i < 60; ++i) {
    sixty += "가";
  }
  EXPECT_TRUE(ValidateSavedFilter(sixty, {}).ok());  // characters, not bytes
  EXPECT_FALSE(ValidateSavedFilter(sixty + "가", {}).ok());
}

TEST(ValidateSavedFilter, RefusesSearchWordsUnknownKeysAndBadValuesAllAtOnce) {
  const std::map<std::string, std::string> query = {
      {"q", "홍길동"},      {"before_id", "10"},   {"status", "flying"},   {"open", "yes"},
      {"dong_id", "0"},     {"counselor_id", "x"}, {"from", "2026-02-30"}, {"to", "soon"},
      {"category", "주거"}, {"channel", ""}};
  EXPECT_EQ(
      Violations(ValidateSavedFilter("x", query)),
      (std::vector<std::string>{"query.before_id:unknown_field", "query.category:invalid",
                                "query.channel:invalid", "query.counselor_id:invalid",
                                "query.dong_id:invalid", "query.from:invalid", "query.open:invalid",
                                "query.q:not_saved", "query.status:invalid", "query.to:invalid"}));
}

// Found by the app_requests fuzz harness's check that GET /cases accepts every saved filter: a
// from/to of a date, "T" and anything else was saved, then refused by the case list.
TEST(ValidateSavedFilter, TakesOnlyTimesTheCaseListReads) {
  EXPECT_EQ(Violations(ValidateSavedFilter(
                "x", {{"from", "2026-11-30Tgarbage"}, {"to", "2026-11-30T09:00:15.13+09:-1"}})),
            (std::vector<std::string>{"query.from:invalid", "query.to:invalid"}));
  EXPECT_TRUE(ValidateSavedFilter("x", {{"from", "2026-11-30T09:00Z"}}).ok());
}

}  // namespace
}  // namespace caredesk::core
