#include "core/directory.hpp"

#include <gtest/gtest.h>

#include <string>

namespace caredesk::core {
namespace {

NewAgency ValidInput() {
  return NewAgency{"서민금융통합지원센터", "external", {"finance", "jobs"}, "1397", 48};
}

TEST(ValidateNewAgency, AcceptsValidInputAndTrims) {
  auto input = ValidInput();
  input.name = "  서민금융통합지원센터 ";
  auto r = ValidateNewAgency(input, 7);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name, "서민금융통합지원센터");
  EXPECT_EQ(r->district_id, 7);
  EXPECT_EQ(r->kind, AgencyKind::kExternal);
  EXPECT_EQ(r->response_hours, 48);
}

TEST(ValidateNewAgency, ReportsEveryViolationAtOnce) {
  NewAgency bad{"", "outside", {"welfare", "welfare", "ufo"}, std::string(201, 'x'), 0};
  auto r = ValidateNewAgency(bad, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
  std::vector<std::string> fields;
  for (const auto& d : r.error().details) {
    fields.push_back(d.field + ":" + d.code);
    EXPECT_FALSE(d.message_ko.empty());
  }
  EXPECT_EQ(fields,
            (std::vector<std::string>{"name:required", "kind:invalid_choice",
                                      "categories[1]:duplicate", "categories[2]:unknown_category",
                                      "contact:too_long", "response_hours:out_of_range"}));
}

TEST(ValidateNewAgency, CountsCharactersNotBytes) {
  auto input = ValidInput();
  input.name = std::string();
  for (int i = 0; i < 100; ++i) {
    input.name += "가";  // 3 bytes each: 300 bytes, 100 characters
  }
  EXPECT_TRUE(ValidateNewAgency(input, 1).ok());
  input.name += "가";
  EXPECT_FALSE(ValidateNewAgency(input, 1).ok());
}

TEST(ValidateNewAgency, RequiresACategory) {
  auto input = ValidInput();
  input.categories.clear();
  auto r = ValidateNewAgency(input, 1);
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.error().details.size(), 1U);
  EXPECT_EQ(r.error().details[0].field, "categories");
}

Agency Stored() {
  auto a = ValidateNewAgency(ValidInput(), 7);
  EXPECT_TRUE(a.ok());
  a->id = 3;
  a->version = 4;
  return *a;
}

TEST(ApplyAgencyPatch, ChangesOnlyTheGivenFieldsAndKeepsIdDistrictAndVersion) {
  AgencyPatch patch;
  patch.response_hours = 24;
  patch.categories = std::vector<std::string>{"welfare"};
  auto r = ApplyAgencyPatch(Stored(), patch, 4);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->id, 3);
  EXPECT_EQ(r->district_id, 7);
  EXPECT_EQ(r->version, 4);
  EXPECT_EQ(r->name, "서민금융통합지원센터");
  EXPECT_EQ(r->kind, AgencyKind::kExternal);
  EXPECT_EQ(r->contact, "1397");
  EXPECT_EQ(r->response_hours, 24);
  EXPECT_EQ(r->categories, std::vector<std::string>{"welfare"});
  EXPECT_TRUE(AgencyChanged(Stored(), *r));
  EXPECT_TRUE(ApplyAgencyPatch(Stored(), patch, std::nullopt).ok());
}

TEST(ApplyAgencyPatch, ChecksTheResultByTheRegistrationRules) {
  AgencyPatch patch;
  patch.name = " ";
  patch.kind = "outside";
  patch.categories = std::vector<std::string>{"welfare", "welfare", "ufo"};
  patch.contact = std::string(201, 'x');
  patch.response_hours = 0;
  auto r = ApplyAgencyPatch(Stored(), patch, std::nullopt);
  ASSERT_FALSE(r.ok());
  NewAgency same{" ", "outside", {"welfare", "welfare", "ufo"}, std::string(201, 'x'), 0};
  const auto registration = ValidateNewAgency(same, 7);
  ASSERT_FALSE(registration.ok());
  ASSERT_EQ(r.error().details.size(), registration.error().details.size());
  for (std::size_t i = 0; i < r.error().details.size(); ++i) {
    EXPECT_EQ(r.error().details[i].field, registration.error().details[i].field);
    EXPECT_EQ(r.error().details[i].code, registration.error().details[i].code);
    EXPECT_EQ(r.error().details[i].message_ko, registration.error().details[i].message_ko);
  }
}

TEST(ApplyAgencyPatch, AStaleVersionIsAPreconditionFailure) {
  AgencyPatch patch;
  patch.response_hours = 24;
  auto r = ApplyAgencyPatch(Stored(), patch, 3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_FALSE(r.error().message_ko.empty());
}

TEST(AgencyChanged, IgnoresTheOrderOfCategoriesAndTrimming) {
  AgencyPatch patch;
  patch.name = "  서민금융통합지원센터 ";
  patch.categories = std::vector<std::string>{"jobs", "finance"};
  auto r = ApplyAgencyPatch(Stored(), patch, std::nullopt);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(AgencyChanged(Stored(), *r));
  patch.contact = "02-123-4567";
  EXPECT_TRUE(AgencyChanged(Stored(), *ApplyAgencyPatch(Stored(), patch, std::nullopt)));
}

}  // namespace
}  // namespace caredesk::core
