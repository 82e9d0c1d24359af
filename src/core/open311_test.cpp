#include "core/open311.hpp"

#include <gtest/gtest.h>

#include "core/text.hpp"

namespace caredesk::core {
namespace {

FormFields Streetlight() {
  return {{"api_key", "k"},
          {"service_code", "streetlight"},
          {"lat", "37.5553"},
          {"long", "126.9215"},
          {"attribute[problem]", "off"},
          {"description", "가로등이 사흘째 꺼져 있어요"},
          {"email", "someone@example.org"},
          {"extra_field", "ignored"}};
}

ErrorCode CodeOf(const FormFields& form) {
  const auto r = ParseOpen311Request(form);
  return r.ok() ? ErrorCode::kInternal : r.error().code;
}

FormFields Without(FormFields f, const std::string& key) {
  std::erase_if(f, [&](const auto& kv) { return kv.first == key; });
  return f;
}

TEST(Open311Request, AValidRequestIsRead) {
  const auto r = ParseOpen311Request(Streetlight());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->service->code, "streetlight");
  ASSERT_TRUE(r->point.has_value());
  EXPECT_DOUBLE_EQ(r->point->lat, 37.5553);
  EXPECT_EQ(r->attributes.at("problem"), std::vector<std::string>{"off"});
  const auto summary = Open311Summary(*r, "동네앱");
  EXPECT_NE(summary.find("[가로등 고장] 가로등이 사흘째 꺼져 있어요"), std::string::npos);
  EXPECT_NE(summary.find("[어떤 상태인가요] 꺼져 있음"), std::string::npos);
  EXPECT_NE(summary.find("Open311 (동네앱)"), std::string::npos);
}

TEST(Open311Request, RefusesWhatTheSpecRefuses) {
  EXPECT_EQ(CodeOf(Without(Streetlight(), "service_code")), ErrorCode::kBadRequest);
  auto unknown = Streetlight();
  unknown[1].second = "ufo_sighting";
  EXPECT_EQ(CodeOf(unknown), ErrorCode::kNotFound);
  // No location at all; half a coordinate; a coordinate off the globe.
  EXPECT_EQ(CodeOf(Without(Without(Streetlight(), "lat"), "long")), ErrorCode::kBadRequest);
  EXPECT_EQ(CodeOf(Without(Streetlight(), "long")), ErrorCode::kBadRequest);
  auto far = Streetlight();
  far[2].second = "137.5";
  EXPECT_EQ(CodeOf(far), ErrorCode::kBadRequest);
  auto words = Streetlight();
  words[2].second = "north";
  EXPECT_EQ(CodeOf(words), ErrorCode::kBadRequest);
  // An address instead of coordinates is enough.
  auto by_address = Without(Without(Streetlight(), "lat"), "long");
  by_address.push_back({"address_string", "서울 마포구 서교동 395"});
  EXPECT_TRUE(ParseOpen311Request(by_address).ok());
  // The required attribute, and values outside its list.
  EXPECT_EQ(CodeOf(Without(Streetlight(), "attribute[problem]")), ErrorCode::kBadRequest);
  auto odd = Streetlight();
  odd[4].second = "exploded";
  EXPECT_EQ(CodeOf(odd), ErrorCode::kBadRequest);
  auto long_text = Streetlight();
  long_text[5].second = std::string(4001, 'a');
  EXPECT_EQ(CodeOf(long_text), ErrorCode::kBadRequest);
  auto media = Streetlight();
  media.push_back({"media_url", "javascript:alert(1)"});
  EXPECT_EQ(CodeOf(media), ErrorCode::kBadRequest);
}

TEST(Open311Request, ALongDescriptionStillMakesACaseSummary) {
  auto f = Streetlight();
  f[5].second = std::string(3999, 'a') + "가";  // 4,000 characters: allowed by the spec
  const auto r = ParseOpen311Request(f);
  ASSERT_TRUE(r.ok());
  const auto summary = Open311Summary(*r, "동네앱");
  EXPECT_EQ(CodePointCount(summary), kMaxSummaryChars);
  EXPECT_TRUE(IsValidUtf8(summary));
  EXPECT_NE(summary.find("[접수 경로] Open311 (동네앱)"), std::string::npos);
}

TEST(Open311Request, MultiValueListsKeepEveryValue) {
  FormFields f{{"service_code", "neighbour_at_risk"},
               {"address_string", "망원1동 ○○빌라"},
               {"attribute[seen][]", "not_seen"},
               {"attribute[seen][]", "mail_piling"}};
  const auto r = ParseOpen311Request(f);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->attributes.at("seen"), (std::vector<std::string>{"not_seen", "mail_piling"}));
}

TEST(Open311Where, PointsFallInTheirDong) {
  DongBoundary square{"서교동", {{{37.55, 126.91}, {37.55, 126.93}, {37.56, 126.93}, {37.56, 126.91}}}};
  DongBoundary other{"망원1동", {{{37.55, 126.89}, {37.55, 126.91}, {37.56, 126.91}, {37.56, 126.89}}}};
  const std::vector<DongBoundary> all{square, other};
  EXPECT_EQ(DongAt(all, {37.555, 126.92}), "서교동");
  EXPECT_EQ(DongAt(all, {37.555, 126.90}), "망원1동");
  EXPECT_EQ(DongAt(all, {37.60, 126.92}), std::nullopt);
  // A concave outline: the notch is outside.
  DongBoundary l_shape{"L", {{{0, 0}, {0, 4}, {1, 4}, {1, 1}, {4, 1}, {4, 0}}}};
  EXPECT_TRUE(Contains(l_shape, {0.5, 3}));
  EXPECT_FALSE(Contains(l_shape, {2, 2}));
}

TEST(Open311Where, AddressesNameTheirDong) {
  const std::vector<Dong> dongs{{1, 1, "서교동", "서교"}, {2, 1, "망원1동", "망원1"},
                                {3, 1, "망원2동", "망원2"}};
  EXPECT_EQ(DongInAddress(dongs, "서울 마포구 서교동 395-12"), std::optional<DongId>(1));
  EXPECT_EQ(DongInAddress(dongs, "망원1동 주민센터 앞"), std::optional<DongId>(2));
  EXPECT_EQ(DongInAddress(dongs, "망원 2동 시장 입구"), std::optional<DongId>(3));
  EXPECT_EQ(DongInAddress(dongs, "연남동 123"), std::nullopt);
}

TEST(Open311Query, TheSpecsDefaultWindowAndPages) {
  const TimePoint now = std::chrono::sys_days{std::chrono::year{2026} / 12 / 2};
  auto q = ParseOpen311Query({}, now);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q->start, now - std::chrono::days(90));
  EXPECT_FALSE(q->end.has_value());
  EXPECT_EQ(q->page_size, 1000);
  q = ParseOpen311Query({{"status", "closed"}, {"page", "2"}, {"page_size", "50"},
                         {"start_date", "2026-11-01T00:00:00Z"},
                         {"end_date", "2026-11-30T00:00:00+09:00"}},
                        now);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->status, Open311Status::kClosed);
  EXPECT_EQ(q->page, 2);
  EXPECT_EQ(q->page_size, 50);
  q = ParseOpen311Query({{"service_request_id", "3, 5,8"}, {"status", "whatever"}}, now);
  ASSERT_TRUE(q.ok());  // ids given: the other filters are ignored
  EXPECT_EQ(q->ids, (std::vector<CaseId>{3, 5, 8}));
  for (const auto& bad : std::vector<std::map<std::string, std::string>>{
           {{"status", "pending"}},
           {{"page_size", "1001"}},
           {{"page", "0"}},
           {{"start_date", "yesterday"}},
           {{"service_request_id", "3,x"}},
           {{"start_date", "2026-11-30T00:00:00Z"}, {"end_date", "2026-11-01T00:00:00Z"}}}) {
    const auto r = ParseOpen311Query(bad, now);
    ASSERT_FALSE(r.ok()) << bad.begin()->first;
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  }
}

TEST(Open311Services, EveryServiceMapsToACategoryAndSaysWhatHappens) {
  for (const auto& s : Open311Services()) {
    EXPECT_FALSE(s.category.empty()) << s.code;
    EXPECT_FALSE(s.notice.empty()) << s.code;
    for (const auto& a : s.attributes) {
      const bool list = a.datatype == Open311Datatype::kSingleValueList ||
                        a.datatype == Open311Datatype::kMultiValueList;
      EXPECT_EQ(list, !a.values.empty()) << s.code << "/" << a.code;
    }
  }
  EXPECT_NE(FindOpen311Service("illegal_dumping"), nullptr);
  EXPECT_EQ(FindOpen311Service("nope"), nullptr);
}

}  // namespace
}  // namespace caredesk::core
