// Thin handlers over core::CaseService: decode JSON, call the use case, encode.
#include <ctime>

#include "app/route_helpers.hpp"
#include "app/routes.hpp"
#include "core/access_review.hpp"
#include "core/taxonomy.hpp"
#include "core/text.hpp"

namespace caredesk::app {

core::Result<std::optional<std::int64_t>> IfMatchVersion(const http::Request& req) {
  std::string_view v = core::Trim(req.Header("if-match"));
  if (v.empty()) {
    return std::optional<std::int64_t>{};
  }
  if (v.substr(0, 2) == "W/") {
    v.remove_prefix(2);
  }
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    v = v.substr(1, v.size() - 2);
  }
  const auto n = ParsePositive(v);
  if (!n) {
    return core::Error::Make(core::ErrorCode::kBadRequest,
                             "If-Match must carry the version from the case's ETag, e.g. \"3\".",
                             "If-Match 헤더에는 상담 건의 버전(ETag, 예: \"3\")을 넣어야 합니다.");
  }
  return std::optional<std::int64_t>{*n};
}

namespace {

using core::Action;
using core::AuthContext;
using http::Json;

constexpr std::size_t kMaxListItems = 20;
constexpr std::size_t kSummaryExcerptChars = 60;
constexpr int kDefaultPageSize = 50;
constexpr std::size_t kMaxQueryBytes = 200;

// --- Encoding ----------------------------------------------------------------------------

std::string Excerpt(std::string_view text) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) {
      if (chars == kSummaryExcerptChars) {
        return out + "…";
      }
      ++chars;
    }
    out.push_back(text[i]);
  }
  return out;
}

Json ResidentJson(const core::Resident& r, bool masked) {
  return {{"id", r.id},
          {"dong_id", r.dong_id ? Json(*r.dong_id) : Json(nullptr)},
          {"name", r.name},
          {"birth_date", r.birth_date},
          {"phone", r.phone},
          {"address", r.address},
          {"household",
           {{"living_alone", r.household.living_alone},
            {"members", r.household.members},
            {"disability", r.household.disability},
            {"housing_type", core::Code(r.household.housing)}}},
          {"tags", r.tags},
          {"rrn", r.rrn},
          {"rrn_legal_basis", r.rrn_legal_basis},
          {"safety_note", r.safety_note},
          {"flagged_malicious", r.flagged_malicious},
          {"contact_by", core::Code(r.contact_by)},
          {"erased", r.erased},
          {"masked", masked},
          {"version", r.version}};
}

Json ConsentJson(const core::Consent& c) {
  return {{"given_by", c.given_by},
          {"recorded_by", c.recorded_by},
          {"at", Iso8601(c.at)},
          {"scope", c.scope},
          {"until", c.until}};
}

Json ReferralJson(const core::Referral& r, core::TimePoint now) {
  return {
      {"id", r.id},
      {"case_id", r.case_id},
      {"agency_id", r.agency_id},
      {"status", core::Code(r.status)},
      {"referred_by", r.referred_by},
      {"consent", ConsentJson(r.consent)},
      {"request_note", r.request_note},
      {"sent_at", Iso8601(r.sent_at)},
      {"accept_due_at", Iso8601(r.accept_due_at)},
      {"overdue", r.IsOverdue(now)},
      {"responded_at", OptionalTime(r.responded_at)},
      {"responded_by", r.responded_by == 0 ? Json(nullptr) : Json(r.responded_by)},
      {"decline_reason", r.decline_reason ? Json(core::Code(*r.decline_reason)) : Json(nullptr)},
      {"decline_note", r.decline_note},
      {"completed_at", OptionalTime(r.completed_at)},
      {"outcome", r.outcome},
      {"version", r.version}};
}

Json FollowUpJson(const core::FollowUp& f, core::TimePoint now) {
  return {{"id", f.id},
          {"kind", core::Code(f.kind)},
          {"due_at", Iso8601(f.due_at)},
          {"overdue", f.IsOverdue(now)},
          {"owner_id", f.owner_id},
          {"recurrence_days", f.recurrence_days},
          {"status", core::Code(f.status)},
          {"result", f.result ? Json(core::Code(*f.result)) : Json(nullptr)},
          {"note", f.note},
          {"done_at", OptionalTime(f.done_at)},
          {"done_by", f.done_by == 0 ? Json(nullptr) : Json(f.done_by)}};
}

Json CaseCoreJson(const core::Case& c) {
  return {{"id", c.id},
          {"number", c.number},
          {"dong_id", c.dong_id},
          {"desk_id", c.desk_id ? Json(*c.desk_id) : Json(nullptr)},
          {"channel", core::Code(c.channel)},
          {"resident_id", c.resident_id ? Json(*c.resident_id) : Json(nullptr)},
          {"primary_category", c.primary_category},
          {"secondary_categories", c.secondary_categories},
          {"urgency", core::Code(c.urgency)},
          {"status", core::Code(c.status)},
          {"status_label_ko", core::LabelKo(c.status)},
          {"counselor_id", c.counselor_id},
          {"case_manager_id", c.case_manager_id == 0 ? Json(nullptr) : Json(c.case_manager_id)},
          {"opened_at", Iso8601(c.opened_at)},
          {"resolved_at", OptionalTime(c.resolved_at)},
          {"closed_at", OptionalTime(c.closed_at)},
          {"erased", c.erased},
          {"version", c.version}};
}

Json SummaryJson(const core::CaseSummary& s, core::TimePoint now) {
  Json j = CaseCoreJson(s.c);
  j["summary_excerpt"] = Excerpt(s.c.summary);
  j["next_due_at"] = OptionalTime(s.next_due_at);
  j["overdue"] = s.c.IsOpen() && s.next_due_at && *s.next_due_at < now;
  return j;
}

Json CaseViewJson(const core::CaseView& v, core::TimePoint now) {
  const auto& file = v.file;
  const auto& c = file.c;
  Json j = CaseCoreJson(c);
  j["reporter"] = {{"kind", core::Code(c.reporter.kind)},
                   {"name", c.reporter.name},
                   {"relation", c.reporter.relation},
                   {"contact", c.reporter.contact}};
  j["resident"] = v.resident ? ResidentJson(*v.resident, true) : Json(nullptr);
  j["summary"] = c.summary;
  j["resolution_note"] = c.resolution_note;
  j["close_note"] = c.close_note;
  j["waiting_on_resident"] = c.waiting_on_resident;
  j["deadline_extended"] = c.deadline_extended;
  j["progress_notice_on"] =
      c.progress_notice_on.empty() ? Json(nullptr) : Json(c.progress_notice_on);
  j["received_on"] = c.received_on;
  j["shared_with"] = c.shared_with;
  const auto next = file.NextStepDue();
  j["next_due_at"] = OptionalTime(next);
  j["overdue"] = c.IsOpen() && next && *next < now;
  Json consultations = Json::array();
  for (const auto& k : file.consultations) {
    consultations.push_back({{"id", k.id},
                             {"counselor_id", k.counselor_id},
                             {"at", Iso8601(k.at)},
                             {"kind", core::Code(k.kind)},
                             {"notes", k.notes},
                             {"outcome", k.outcome},
                             {"answer", k.answer}});
  }
  j["consultations"] = consultations;
  Json referrals = Json::array();
  for (const auto& r : file.referrals) {
    referrals.push_back(ReferralJson(r, now));
  }
  j["referrals"] = referrals;
  Json follow_ups = Json::array();
  for (const auto& f : file.follow_ups) {
    follow_ups.push_back(FollowUpJson(f, now));
  }
  j["follow_ups"] = follow_ups;
  Json clocks = Json::array();
  for (const auto& clock : v.clocks) {
    clocks.push_back({{"kind", core::ClockKindCode(clock.kind)},
                      {"due", core::FormatDate(clock.due)},
                      {"state", core::ClockStateCode(clock.state)},
                      {"working_days_left", clock.working_days_left}});
  }
  j["clocks"] = clocks;
  j["next_transitions"] = v.next_transitions;
  return j;
}

Json WorkItemJson(const core::WorkItem& w, core::TimePoint now) {
  return {{"kind", w.kind == core::WorkItem::Kind::kFollowUp ? "follow_up" : "referral"},
          {"id", w.id},
          {"case_id", w.case_id},
          {"case_number", w.case_number},
          {"dong_id", w.dong_id},
          {"urgency", core::Code(w.urgency)},
          {"primary_category", w.primary_category},
          {"step_kind", w.step_kind},
          {"owner_id", w.owner_id},
          {"due_at", Iso8601(w.due_at)},
          {"overdue", w.due_at < now},
          {"agency_id", w.agency_id ? Json(*w.agency_id) : Json(nullptr)}};
}

// A calendar entry: codes, ids and times; the owner is staff; no resident is named.
Json CalendarEntryJson(const core::CalendarEntry& e, core::TimePoint now) {
  const auto& f = e.follow_up;
  return {{"id", f.id},
          {"case_id", f.case_id},
          {"case_number", f.case_number},
          {"dong_id", f.dong_id},
          {"urgency", core::Code(f.urgency)},
          {"kind", core::Code(f.kind)},
          {"due_at", Iso8601(f.due_at)},
          {"due_date", core::FormatDate(core::KstDate(f.due_at))},
          {"status", core::Code(f.status)},
          {"result", f.result ? Json(core::Code(*f.result)) : Json(nullptr)},
          {"done_at", OptionalTime(f.done_at)},
          {"overdue", f.status == core::FollowUpStatus::kOpen && f.due_at < now},
          {"owner_id", f.owner_id},
          {"owner_display_name", e.owner_display_name}};
}

Json SavedFilterJson(const core::SavedFilter& f) {
  return {
      {"id", f.id}, {"name", f.name}, {"query", f.query}, {"created_at", Iso8601(f.created_at)}};
}

Json ReferralViewJson(const core::ReferralView& v, core::TimePoint now) {
  Json j = ReferralJson(v.referral, now);
  j["case_number"] = v.case_number;
  j["primary_category"] = v.primary_category;
  j["urgency"] = core::Code(v.urgency);
  j["agency_name"] = v.agency_name;
  j["consent_active"] = v.consent_active;
  j["shared"] = v.shared;
  // The agency sees the consent's scope, not who recorded it.
  j["consent"].erase("recorded_by");
  return j;
}

http::Response CaseResponse(const core::Result<core::CaseView>& v, const http::Request& req,
                            core::TimePoint now, int status = 200) {
  if (!v.ok()) {
    return Fail(v.error(), req);
  }
  auto res = http::JsonResponse(status, CaseViewJson(*v, now));
  res.headers.emplace_back("ETag", "\"" + std::to_string(v->file.c.version) + "\"");
  if (status == 201) {
    res.headers.emplace_back("Location", "/api/v1/cases/" + std::to_string(v->file.c.id));
  }
  return res;
}

// --- Decoding ----------------------------------------------------------------------------

void ReadDue(http::ObjectReader& r, std::string_view field, core::DueInput& due) {
  const auto text = r.OptionalString(field);
  if (!text) {
    return;
  }
  if (text->size() == 10) {
    due.date = core::ParseDate(*text);
  } else {
    due.at = ParseRfc3339(*text);
  }
  if (!due.date && !due.at) {
    r.Add({r.Path(field), "invalid_date",
           "Use a date (2026-11-30) or a time with zone (2026-11-30T14:00:00+09:00).",
           "날짜(2026-11-30) 또는 시간대가 있는 시각(2026-11-30T14:00:00+09:00)이어야 합니다."});
  }
}

std::optional<core::FollowUpInput> ReadFollowUp(http::ObjectReader& parent,
                                                std::string_view field) {
  const Json* obj = parent.OptionalObject(field);
  if (obj == nullptr) {
    return std::nullopt;
  }
  http::ObjectReader r(*obj, {"kind", "due", "owner_id", "recurrence_days", "note"},
                       parent.Path(field));
  core::FollowUpInput in;
  in.kind = r.RequiredString("kind");
  ReadDue(r, "due", in.due);
  in.owner_id = r.OptionalId("owner_id");
  in.recurrence_days = r.OptionalInt("recurrence_days", 0, 90).value_or(0);
  in.note = r.OptionalString("note").value_or("");
  parent.Adopt(r);
  return in;
}

core::FollowUpInput ReadFollowUpBody(http::ObjectReader& r) {
  core::FollowUpInput in;
  in.kind = r.RequiredString("kind");
  ReadDue(r, "due", in.due);
  in.owner_id = r.OptionalId("owner_id");
  in.recurrence_days = r.OptionalInt("recurrence_days", 0, 90).value_or(0);
  in.note = r.OptionalString("note").value_or("");
  return in;
}

core::ReferralInput ReadReferralBody(http::ObjectReader& r) {
  core::ReferralInput in;
  in.agency_id = r.OptionalId("agency_id").value_or(0);
  if (in.agency_id == 0) {
    r.Add({r.Path("agency_id"), "required", "Choose an agency.", "연계 기관을 선택해 주세요."});
  }
  in.request_note = r.OptionalString("request_note").value_or("");
  const Json* consent = r.OptionalObject("consent");
  if (consent == nullptr) {
    r.Add({r.Path("consent"), "required",
           "Record the resident's consent before any personal data leaves.",
           "개인정보를 보내기 전에 대상자의 동의를 기록해 주세요."});
    return in;
  }
  http::ObjectReader c(*consent, {"given_by", "scope", "until"}, r.Path("consent"));
  in.consent.given_by = c.RequiredString("given_by");
  in.consent.scope =
      c.OptionalStringArray("scope", kMaxListItems).value_or(std::vector<std::string>{});
  in.consent.until = c.OptionalString("until").value_or("");
  r.Adopt(c);
  return in;
}

std::optional<core::ReferralInput> ReadReferral(http::ObjectReader& parent,
                                                std::string_view field) {
  const Json* obj = parent.OptionalObject(field);
  if (obj == nullptr) {
    return std::nullopt;
  }
  http::ObjectReader r(*obj, {"agency_id", "consent", "request_note"}, parent.Path(field));
  auto in = ReadReferralBody(r);
  parent.Adopt(r);
  return in;
}

core::Household ReadHousehold(http::ObjectReader& parent, const Json& h) {
  http::ObjectReader hr(h, {"living_alone", "members", "disability", "housing_type"},
                        parent.Path("household"));
  core::Household out;
  out.living_alone = hr.OptionalBool("living_alone").value_or(false);
  out.members = hr.OptionalInt("members", 1, core::kMaxHouseholdMembers).value_or(1);
  out.disability = hr.OptionalBool("disability").value_or(false);
  const auto housing = hr.OptionalString("housing_type").value_or("unknown");
  if (const auto parsed = core::Parse<core::HousingType>(housing)) {
    out.housing = *parsed;
  } else {
    hr.Add({hr.Path("housing_type"), "invalid_choice",
            "Use apartment, multi_family, detached, semi_basement, rooftop, gosiwon, "
            "vinyl_house, shelter, other or unknown.",
            "주거 형태 코드가 올바르지 않습니다."});
  }
  parent.Adopt(hr);
  return out;
}

// "contact_by": sms, alimtalk or none (the opt-out); nullopt when absent or invalid (reported).
std::optional<core::ContactPreference> ReadContactBy(http::ObjectReader& r) {
  const auto code = r.OptionalString("contact_by");
  if (!code) {
    return std::nullopt;
  }
  const auto parsed = core::Parse<core::ContactPreference>(*code);
  if (!parsed) {
    r.Add({r.Path("contact_by"), "invalid_choice", "Use sms, alimtalk or none.",
           "문자(sms), 알림톡(alimtalk), 받지 않음(none) 중에서 골라 주세요."});
  }
  return parsed;
}

core::NewResident ReadResidentBody(http::ObjectReader& r) {
  core::NewResident in;
  in.dong_id = r.OptionalId("dong_id");
  in.name = r.RequiredString("name");
  in.birth_date = r.OptionalString("birth_date").value_or("");
  in.phone = r.OptionalString("phone").value_or("");
  in.address = r.OptionalString("address").value_or("");
  in.tags = r.OptionalStringArray("tags", core::kMaxTags).value_or(std::vector<std::string>{});
  in.rrn = r.OptionalString("rrn").value_or("");
  in.rrn_legal_basis = r.OptionalString("rrn_legal_basis").value_or("");
  in.safety_note = r.OptionalString("safety_note").value_or("");
  in.flagged_malicious = r.OptionalBool("flagged_malicious").value_or(false);
  in.contact_by = ReadContactBy(r).value_or(core::ContactPreference::kSms);
  if (const Json* h = r.OptionalObject("household")) {
    in.household = ReadHousehold(r, *h);
  }
  return in;
}

const std::vector<std::string>& ResidentFields() {
  static const std::vector<std::string> fields = {
      "dong_id", "name", "birth_date",      "phone",       "address",   "household",
      "tags",    "rrn",  "rrn_legal_basis", "safety_note", "contact_by"};
  return fields;
}

// Parses the JSON body and hands a reader over it (knowing `fields`) to `read`.
template <typename Read>
http::Response WithBody(http::Request& req, std::initializer_list<std::string_view> fields,
                        Read&& read) {
  auto body = http::ParseJsonObject(req);
  if (!body.ok()) {
    return Fail(body.error(), req);
  }
  http::ObjectReader r(*body, fields);
  return read(r);
}

std::optional<std::int64_t> PathId(const http::Request& req, const char* name = "id") {
  const auto it = req.path_params.find(name);
  return it == req.path_params.end() ? std::nullopt : ParsePositive(it->second);
}

core::Error NotFound(const char* en, const char* ko) { return core::Error::NotFound(en, ko); }

// Query-string filters of GET /cases.
core::Result<core::CaseFilter> ReadFilter(const http::Request& req) {
  core::CaseFilter f;
  std::vector<core::FieldViolation> v;
  auto id_param = [&](const char* name) -> std::optional<std::int64_t> {
    const auto q = req.QueryParam(name);
    if (!q) {
      return std::nullopt;
    }
    const auto id = ParsePositive(*q);
    if (!id) {
      v.push_back({name, "invalid", "Must be a positive integer.", "양의 정수여야 합니다."});
    }
    return id;
  };
  auto enum_param = [&]<typename T>(const char* name, std::optional<T>& out) {
    if (const auto q = req.QueryParam(name)) {
      out = core::Parse<T>(*q);
      if (!out) {
        v.push_back({name, "invalid_choice", "Unknown code.", "알 수 없는 코드입니다."});
      }
    }
  };
  auto time_param = [&](const char* name) -> std::optional<core::TimePoint> {
    const auto q = req.QueryParam(name);
    if (!q) {
      return std::nullopt;
    }
    if (q->size() == 10) {
      if (const auto d = core::ParseDate(*q)) {
        // A day starts at 00:00 KST.
        return core::EndOfKstOfficeDay(*d) - std::chrono::hours(18);
      }
    } else if (const auto t = ParseRfc3339(*q)) {
      return t;
    }
    v.push_back({name, "invalid_date", "Use YYYY-MM-DD or RFC 3339.",
                 "YYYY-MM-DD 또는 RFC 3339 형식이어야 합니다."});
    return std::nullopt;
  };
  f.dong_id = id_param("dong_id");
  f.counselor_id = id_param("counselor_id");
  f.before_id = id_param("before_id").value_or(0);
  enum_param("status", f.status);
  enum_param("urgency", f.urgency);
  enum_param("channel", f.channel);
  if (const auto q = req.QueryParam("category")) {
    f.category = *q;
  }
  if (const auto q = req.QueryParam("open")) {
    f.open = *q == "true";
  }
  f.opened_from = time_param("from");
  if (const auto to = time_param("to")) {
    // "to=2026-11-30" includes that day.
    f.opened_to = req.QueryParam("to")->size() == 10 ? *to + std::chrono::hours(24) : *to;
  }
  if (const auto q = req.QueryParam("limit")) {
    const auto n = ParsePositive(*q);
    if (!n || *n > 200) {
      v.push_back(
          {"limit", "out_of_range", "Must be between 1 and 200.", "1~200 사이여야 합니다."});
    } else {
      f.limit = static_cast<int>(*n);
    }
  }
  if (!v.empty()) {
    return core::Error::Validation(std::move(v));
  }
  return f;
}

// A positive id from the query string; a present but malformed one is a violation.
std::optional<std::int64_t> QueryId(const http::Request& req, const char* name,
                                    std::vector<core::FieldViolation>& v) {
  const auto q = req.QueryParam(name);
  if (!q) {
    return std::nullopt;
  }
  const auto id = ParsePositive(*q);
  if (!id) {
    v.push_back({name, "invalid", "Must be a positive integer.", "양의 정수여야 합니다."});
  }
  return id;
}

Json NextCursor(const std::vector<core::CaseSummary>& items, int limit) {
  if (static_cast<int>(items.size()) < limit || items.empty()) {
    return nullptr;
  }
  return items.back().c.id;
}

}  // namespace

void RegisterCaseRoutes(http::Router& router, const AuthGuard& guard, core::CaseService& cases,
                        core::HolidayRepository& holidays, core::AccessLog& access_log,
                        core::DistrictId district, const core::Clock& clock) {
  // --- Residents ---
  router.Post("/api/v1/residents", guard.Guard(Action::kViewResident, [&](http::Request& req,
                                                                          const AuthContext& ctx) {
    auto body = http::ParseJsonObject(req);
    if (!body.ok()) {
      return Fail(body.error(), req);
    }
    http::ObjectReader r(*body, {"dong_id", "name", "birth_date", "phone", "address", "household",
                                 "tags", "rrn", "rrn_legal_basis", "safety_note",
                                 "flagged_malicious", "contact_by", "confirm_new"});
    const auto input = ReadResidentBody(r);
    const bool confirm = r.OptionalBool("confirm_new").value_or(false);
    if (auto s = r.Finish(); !s.ok()) {
      return Fail(s.error(), req);
    }
    auto created = cases.RegisterResident(ctx.actor, input, confirm);
    if (!created.ok()) {
      return Fail(created.error(), req);
    }
    auto res = http::JsonResponse(201, ResidentJson(*created, true));
    res.headers.emplace_back("Location", "/api/v1/residents/" + std::to_string(created->id));
    return res;
  }));
  router.Get("/api/v1/residents",
             guard.Guard(Action::kViewResident, [&](http::Request& req, const AuthContext& ctx) {
               auto found = cases.FindResidents(ctx.actor, req.QueryParam("name").value_or(""),
                                                req.QueryParam("birth_date").value_or(""),
                                                req.QueryParam("phone").value_or(""));
               if (!found.ok()) {
                 return Fail(found.error(), req);
               }
               Json items = Json::array();
               for (const auto& r : *found) {
                 items.push_back(ResidentJson(r, true));
               }
               return http::JsonResponse(200, {{"items", items}});
             }));
  router.Get("/api/v1/residents/{id}",
             guard.Guard(Action::kViewResident, [&](http::Request& req, const AuthContext& ctx) {
               const auto id = PathId(req);
               if (!id) {
                 return Fail(NotFound("Resident", "대상자"), req);
               }
               auto r = cases.GetResident(ctx.actor, *id);
               return r.ok() ? http::JsonResponse(200, ResidentJson(*r, true))
                             : Fail(r.error(), req);
             }));
  router.Add("PATCH", "/api/v1/residents/{id}",
             guard.Guard(Action::kViewResident, [&](http::Request& req, const AuthContext& ctx) {
               const auto id = PathId(req);
               if (!id) {
                 return Fail(NotFound("Resident", "대상자"), req);
               }
               auto if_match = IfMatchVersion(req);
               if (!if_match.ok()) {
                 return Fail(if_match.error(), req);
               }
               return WithBody(
                   req,
                   {"dong_id", "name", "birth_date", "phone", "address", "household", "tags", "rrn",
                    "rrn_legal_basis", "safety_note", "flagged_malicious", "contact_by"},
                   [&](http::ObjectReader& r) {
                     core::ResidentPatch p;
                     p.dong_id = r.OptionalId("dong_id");
                     p.name = r.OptionalString("name");
                     p.birth_date = r.OptionalString("birth_date");
                     p.phone = r.OptionalString("phone");
                     p.address = r.OptionalString("address");
                     p.tags = r.OptionalStringArray("tags", core::kMaxTags);
                     p.rrn = r.OptionalString("rrn");
                     p.rrn_legal_basis = r.OptionalString("rrn_legal_basis");
                     p.safety_note = r.OptionalString("safety_note");
                     p.flagged_malicious = r.OptionalBool("flagged_malicious");
                     p.contact_by = ReadContactBy(r);
                     if (const Json* h = r.OptionalObject("household")) {
                       p.household = ReadHousehold(r, *h);
                     }
                     if (auto s = r.Finish(); !s.ok()) {
                       return Fail(s.error(), req);
                     }
                     auto updated = cases.UpdateResident(ctx.actor, *id, p, *if_match);
                     if (!updated.ok()) {
                       return Fail(updated.error(), req);
                     }
                     auto res = http::JsonResponse(200, ResidentJson(*updated, true));
                     res.headers.emplace_back("ETag",
                                              "\"" + std::to_string(updated->version) + "\"");
                     return res;
                   });
             }));
  router.Post("/api/v1/residents/{id}/unmask",
              guard.Guard(Action::kUnmaskResident, [&](http::Request& req, const AuthContext& ctx) {
                const auto id = PathId(req);
                if (!id) {
                  return Fail(NotFound("Resident", "대상자"), req);
                }
                return WithBody(req, {"reason"}, [&](http::ObjectReader& r) {
                  const auto reason = r.RequiredString("reason");
                  if (auto s = r.Finish(); !s.ok()) {
                    return Fail(s.error(), req);
                  }
                  auto got = cases.UnmaskResident(ctx.actor, *id, reason);
                  return got.ok() ? http::JsonResponse(200, ResidentJson(*got, false))
                                  : Fail(got.error(), req);
                });
              }));
  router.Post("/api/v1/residents/{id}/erase",
              guard.Guard(Action::kEraseResident, [&](http::Request& req, const AuthContext& ctx) {
                const auto id = PathId(req);
                if (!id) {
                  return Fail(NotFound("Resident", "대상자"), req);
                }
                return WithBody(req, {"reason"}, [&](http::ObjectReader& r) {
                  const auto reason = r.RequiredString("reason");
                  if (auto s = r.Finish(); !s.ok()) {
                    return Fail(s.error(), req);
                  }
                  if (auto s = cases.EraseResident(ctx.actor, *id, reason); !s.ok()) {
                    return Fail(s.error(), req);
                  }
                  http::Response res;
                  res.status = 204;
                  return res;
                });
              }));

  // --- Cases ---
  router.Post("/api/v1/cases", guard.Guard(Action::kCreateCase, [&](http::Request& req,
                                                                    const AuthContext& ctx) {
    return WithBody(
        req,
        {"channel", "reporter", "resident_id", "resident", "confirm_new_resident", "dong_id",
         "desk_id", "primary_category", "secondary_categories", "urgency", "summary",
         "consultation", "follow_up", "referral", "counselor_id", "crisis_dismissal"},
        [&](http::ObjectReader& r) {
          core::IntakeInput in;
          in.channel = r.RequiredString("channel");
          if (const Json* rep = r.OptionalObject("reporter")) {
            http::ObjectReader rr(*rep, {"kind", "name", "relation", "contact"}, "reporter");
            in.reporter.kind = rr.OptionalString("kind").value_or("self");
            in.reporter.name = rr.OptionalString("name").value_or("");
            in.reporter.relation = rr.OptionalString("relation").value_or("");
            in.reporter.contact = rr.OptionalString("contact").value_or("");
            r.Adopt(rr);
          }
          in.resident_id = r.OptionalId("resident_id");
          if (const Json* res = r.OptionalObject("resident")) {
            http::ObjectReader rr(*res, ResidentFields(), "resident");
            in.new_resident = ReadResidentBody(rr);
            r.Adopt(rr);
          }
          in.confirm_new_resident = r.OptionalBool("confirm_new_resident").value_or(false);
          in.dong_id = r.OptionalId("dong_id");
          in.desk_id = r.OptionalId("desk_id");
          in.primary_category = r.RequiredString("primary_category");
          in.secondary_categories = r.OptionalStringArray("secondary_categories", kMaxListItems)
                                        .value_or(std::vector<std::string>{});
          in.urgency = r.OptionalString("urgency").value_or("normal");
          in.summary = r.RequiredString("summary");
          if (const Json* k = r.OptionalObject("consultation")) {
            http::ObjectReader kr(*k, {"kind", "notes", "outcome"}, "consultation");
            core::ConsultationInput c;
            c.kind = kr.OptionalString("kind").value_or("visit");
            c.notes = kr.RequiredString("notes");
            c.outcome = kr.OptionalString("outcome").value_or("");
            in.consultation = c;
            r.Adopt(kr);
          }
          in.follow_up = ReadFollowUp(r, "follow_up");
          in.referral = ReadReferral(r, "referral");
          in.counselor_id = r.OptionalId("counselor_id");
          in.crisis_dismissal = r.OptionalString("crisis_dismissal").value_or("");
          if (auto s = r.Finish(); !s.ok()) {
            return Fail(s.error(), req);
          }
          return CaseResponse(cases.Intake(ctx.actor, in), req, clock.Now(), 201);
        });
  }));
  router.Get("/api/v1/cases", guard.Guard(Action::kViewCases, [&](http::Request& req,
                                                                  const AuthContext& ctx) {
    auto filter = ReadFilter(req);
    if (!filter.ok()) {
      return Fail(filter.error(), req);
    }
    const int limit = filter->limit;
    if (req.QueryParam("overdue").value_or("") == "true") {
      filter->overdue_at = clock.Now();
    }
    auto items = cases.List(ctx.actor, *filter);
    if (!items.ok()) {
      return Fail(items.error(), req);
    }
    Json out = Json::array();
    for (const auto& s : *items) {
      out.push_back(SummaryJson(s, clock.Now()));
    }
    return http::JsonResponse(200, {{"items", out}, {"next_before_id", NextCursor(*items, limit)}});
  }));
  router.Get("/api/v1/cases/search", guard.Guard(Action::kViewCases, [&](http::Request& req,
                                                                         const AuthContext& ctx) {
    const auto q = req.QueryParam("q").value_or("");
    if (q.size() > kMaxQueryBytes) {
      return Fail(core::Error::Validation(
                      {{"q", "too_long", "At most 200 bytes.", "검색어가 너무 깁니다."}}),
                  req);
    }
    const auto before = ParsePositive(req.QueryParam("before_id").value_or("")).value_or(0);
    const auto limit =
        ParsePositive(req.QueryParam("limit").value_or("")).value_or(kDefaultPageSize);
    auto found =
        cases.Search(ctx.actor, q, before, static_cast<int>(std::min<std::int64_t>(limit, 200)));
    if (!found.ok()) {
      return Fail(found.error(), req);
    }
    Json out = Json::array();
    for (const auto& s : found->items) {
      out.push_back(SummaryJson(s, clock.Now()));
    }
    return http::JsonResponse(
        200, {{"items", out},
              {"next_before_id",
               found->next_before_id == 0 ? Json(nullptr) : Json(found->next_before_id)}});
  }));
  router.Get("/api/v1/cases/{id}",
             guard.Guard(Action::kViewCase, [&](http::Request& req, const AuthContext& ctx) {
               const auto id = PathId(req);
               if (!id) {
                 return Fail(NotFound("Case", "상담 건"), req);
               }
               return CaseResponse(cases.GetCase(ctx.actor, *id), req, clock.Now());
             }));
  router.Add("PATCH", "/api/v1/cases/{id}",
             guard.Guard(Action::kWorkCase, [&](http::Request& req, const AuthContext& ctx) {
               const auto id = PathId(req);
               if (!id) {
                 return Fail(NotFound("Case", "상담 건"), req);
               }
               auto if_match = IfMatchVersion(req);
               if (!if_match.ok()) {
                 return Fail(if_match.error(), req);
               }
               return WithBody(req,
                               {"primary_category", "secondary_categories", "urgency", "summary",
                                "counselor_id", "waiting_on_resident", "shared_with"},
                               [&](http::ObjectReader& r) {
                                 core::CasePatch p;
                                 p.primary_category = r.OptionalString("primary_category");
                                 p.secondary_categories =
                                     r.OptionalStringArray("secondary_categories", kMaxListItems);
                                 p.urgency = r.OptionalString("urgency");
                                 p.summary = r.OptionalString("summary");
                                 p.counselor_id = r.OptionalId("counselor_id");
                                 p.waiting_on_resident = r.OptionalBool("waiting_on_resident");
                                 p.shared_with = r.OptionalIdArray("shared_with", kMaxListItems);
                                 if (auto s = r.Finish(); !s.ok()) {
                                   return Fail(s.error(), req);
                                 }
                                 return CaseResponse(cases.Update(ctx.actor, *id, p, *if_match),
                                                     req, clock.Now());
                               });
             }));
  router.Get("/api/v1/cases/{id}/timeline",
             guard.Guard(Action::kViewCase, [&](http::Request& req, const AuthContext& ctx) {
               const auto id = PathId(req);
               if (!id) {
                 return Fail(NotFound("Case", "상담 건"), req);
               }
               auto events = cases.Timeline(ctx.actor, *id);
               if (!events.ok()) {
                 return Fail(events.error(), req);
               }
               Json out = Json::array();
               for (const auto& e : *events) {
                 out.push_back({{"id", e.id},
                                {"at", Iso8601(e.at)},
                                {"actor_id", e.actor_id},
                                {"kind", e.kind},
                                {"data", Json::parse(e.data, nullptr, false)}});
               }
               return http::JsonResponse(200, {{"items", out}});
             }));

  // POST /cases/{id}/<op> with a JSON body, If-Match honoured.
  using CaseOp = std::function<core::Result<core::CaseView>(
      http::ObjectReader&, const AuthContext&, core::CaseId, std::optional<std::int64_t>)>;
  auto case_op = [&](const std::string& op, std::vector<std::string> known, CaseOp run) {
    router.Post(
        "/api/v1/cases/{id}/" + op,
        guard.Guard(Action::kWorkCase, [&clock, known = std::move(known), run = std::move(run)](
                                           http::Request& req, const AuthContext& ctx) {
          const auto id = PathId(req);
          if (!id) {
            return Fail(NotFound("Case", "상담 건"), req);
          }
          auto if_match = IfMatchVersion(req);
          if (!if_match.ok()) {
            return Fail(if_match.error(), req);
          }
          auto body = http::ParseJsonObject(req);
          if (!body.ok()) {
            return Fail(body.error(), req);
          }
          http::ObjectReader r(*body, known);
          return CaseResponse(run(r, ctx, *id, *if_match), req, clock.Now());
        }));
  };
  // Runs `call` once the reader reports no violations.
  auto finish = [](http::ObjectReader& r, const auto& call) -> core::Result<core::CaseView> {
    if (auto s = r.Finish(); !s.ok()) {
      return std::move(s).error();
    }
    return call();
  };

  case_op("consultations", {"kind", "notes", "outcome", "answer", "next"},
          [&cases, finish](http::ObjectReader& r, const AuthContext& ctx, core::CaseId id,
                           std::optional<std::int64_t> if_match) {
            core::ConsultationInput in;
            in.kind = r.OptionalString("kind").value_or("visit");
            in.notes = r.RequiredString("notes");
            in.outcome = r.OptionalString("outcome").value_or("");
            in.answer = r.OptionalString("answer").value_or("");
            auto next = ReadFollowUp(r, "next");
            return finish(r,
                          [&] { return cases.AddConsultation(ctx.actor, id, in, next, if_match); });
          });
  case_op("referrals", {"agency_id", "consent", "request_note"},
          [&cases, finish](http::ObjectReader& r, const AuthContext& ctx, core::CaseId id,
                           std::optional<std::int64_t> if_match) {
            const auto in = ReadReferralBody(r);
            return finish(r, [&] { return cases.Refer(ctx.actor, id, in, if_match); });
          });
  case_op("follow-ups", {"kind", "due", "owner_id", "recurrence_days", "note"},
          [&cases, finish](http::ObjectReader& r, const AuthContext& ctx, core::CaseId id,
                           std::optional<std::int64_t> if_match) {
            const auto in = ReadFollowUpBody(r);
            return finish(r, [&] { return cases.ScheduleFollowUp(ctx.actor, id, in, if_match); });
          });
  case_op("transition", {"status", "note"},
          [&cases, finish](http::ObjectReader& r, const AuthContext& ctx, core::CaseId id,
                           std::optional<std::int64_t> if_match) {
            const auto to = r.RequiredString("status");
            const auto note = r.OptionalString("note").value_or("");
            return finish(r, [&] { return cases.Transition(ctx.actor, id, to, note, if_match); });
          });
  case_op("escalate", {"case_manager_id", "reason"},
          [&cases, finish](http::ObjectReader& r, const AuthContext& ctx, core::CaseId id,
                           std::optional<std::int64_t> if_match) {
            const auto manager = r.OptionalId("case_manager_id");
            if (!manager) {
              r.Add({"case_manager_id", "required", "Choose a case manager.",
                     "사례관리사를 선택해 주세요."});
            }
            const auto reason = r.RequiredString("reason");
            return finish(r, [&] {
              return cases.Escalate(ctx.actor, id, manager.value_or(0), reason, if_match);
            });
          });
  case_op("resolve", {"resolution_note"},
          [&cases, finish](http::ObjectReader& r, const AuthContext& ctx, core::CaseId id,
                           std::optional<std::int64_t> if_match) {
            const auto note = r.RequiredString("resolution_note");
            return finish(r, [&] { return cases.Resolve(ctx.actor, id, note, if_match); });
          });
  case_op("close", {"unconfirmed_reason"},
          [&cases, finish](http::ObjectReader& r, const AuthContext& ctx, core::CaseId id,
                           std::optional<std::int64_t> if_match) {
            const auto reason = r.OptionalString("unconfirmed_reason").value_or("");
            return finish(r, [&] { return cases.Close(ctx.actor, id, reason, if_match); });
          });
  case_op("reopen", {"reason", "next"},
          [&cases, finish](http::ObjectReader& r, const AuthContext& ctx, core::CaseId id,
                           std::optional<std::int64_t> if_match) {
            const auto reason = r.RequiredString("reason");
            auto next = ReadFollowUp(r, "next");
            if (!next) {
              r.Add({"next", "required", "Reopening needs a next step.",
                     "다시 열 때는 다음 조치가 필요합니다."});
            }
            return finish(r, [&] {
              return cases.Reopen(ctx.actor, id, reason, next.value_or(core::FollowUpInput{}),
                                  if_match);
            });
          });
  case_op("progress-notice", {"how"},
          [&cases, finish](http::ObjectReader& r, const AuthContext& ctx, core::CaseId id,
                           std::optional<std::int64_t> if_match) {
            const auto how = r.RequiredString("how");
            return finish(r,
                          [&] { return cases.RecordProgressNotice(ctx.actor, id, how, if_match); });
          });
  case_op("extend-deadline", {"reason"},
          [&cases, finish](http::ObjectReader& r, const AuthContext& ctx, core::CaseId id,
                           std::optional<std::int64_t> if_match) {
            const auto reason = r.RequiredString("reason");
            return finish(r, [&] { return cases.ExtendDeadline(ctx.actor, id, reason, if_match); });
          });

  router.Post("/api/v1/follow-ups/{id}/result",
              guard.Guard(Action::kWorkCase, [&](http::Request& req, const AuthContext& ctx) {
                const auto id = PathId(req);
                if (!id) {
                  return Fail(NotFound("Follow-up", "사후관리"), req);
                }
                return WithBody(req, {"result", "note", "next"}, [&](http::ObjectReader& r) {
                  core::FollowUpResultInput in;
                  in.result = r.RequiredString("result");
                  in.note = r.OptionalString("note").value_or("");
                  in.next = ReadFollowUp(r, "next");
                  if (auto s = r.Finish(); !s.ok()) {
                    return Fail(s.error(), req);
                  }
                  return CaseResponse(cases.RecordFollowUpResult(ctx.actor, *id, in), req,
                                      clock.Now());
                });
              }));

  // --- Referrals, the agency's side ---
  router.Get("/api/v1/referrals",
             guard.Guard(Action::kRespondReferral, [&](http::Request& req, const AuthContext& ctx) {
               std::optional<core::ReferralStatus> status;
               if (const auto q = req.QueryParam("status")) {
                 status = core::Parse<core::ReferralStatus>(*q);
                 if (!status) {
                   return Fail(
                       core::Error::Validation({{"status", "invalid_choice", "Unknown status.",
                                                 "알 수 없는 상태입니다."}}),
                       req);
                 }
               }
               auto inbox = cases.ReferralInbox(ctx.actor, status);
               if (!inbox.ok()) {
                 return Fail(inbox.error(), req);
               }
               Json out = Json::array();
               for (const auto& v : *inbox) {
                 out.push_back(ReferralViewJson(v, clock.Now()));
               }
               return http::JsonResponse(200, {{"items", out}});
             }));
  router.Get("/api/v1/referrals/{id}",
             guard.Guard(Action::kRespondReferral, [&](http::Request& req, const AuthContext& ctx) {
               const auto id = PathId(req);
               if (!id) {
                 return Fail(NotFound("Referral", "연계"), req);
               }
               auto v = cases.GetReferral(ctx.actor, *id);
               return v.ok() ? http::JsonResponse(200, ReferralViewJson(*v, clock.Now()))
                             : Fail(v.error(), req);
             }));
  using ReferralOp = std::function<core::Result<core::ReferralView>(
      http::ObjectReader&, const AuthContext&, core::ReferralId)>;
  auto referral_op = [&](const std::string& op, std::vector<std::string> known, ReferralOp run) {
    router.Post("/api/v1/referrals/{id}/" + op,
                guard.Guard(Action::kRespondReferral,
                            [&clock, known = std::move(known), run = std::move(run)](
                                http::Request& req, const AuthContext& ctx) {
                              const auto id = PathId(req);
                              if (!id) {
                                return Fail(NotFound("Referral", "연계"), req);
                              }
                              auto body = http::ParseJsonObject(req);
                              if (!body.ok()) {
                                return Fail(body.error(), req);
                              }
                              http::ObjectReader r(*body, known);
                              auto v = run(r, ctx, *id);
                              return v.ok() ? http::JsonResponse(200,
                                                                 ReferralViewJson(*v, clock.Now()))
                                            : Fail(v.error(), req);
                            }));
  };
  referral_op("accept", {},
              [&cases](http::ObjectReader& r, const AuthContext& ctx,
                       core::ReferralId id) -> core::Result<core::ReferralView> {
                if (auto s = r.Finish(); !s.ok()) {
                  return std::move(s).error();
                }
                return cases.AcceptReferral(ctx.actor, id);
              });
  referral_op("decline", {"reason", "note"},
              [&cases](http::ObjectReader& r, const AuthContext& ctx,
                       core::ReferralId id) -> core::Result<core::ReferralView> {
                const auto reason = r.RequiredString("reason");
                const auto note = r.OptionalString("note").value_or("");
                if (auto s = r.Finish(); !s.ok()) {
                  return std::move(s).error();
                }
                return cases.DeclineReferral(ctx.actor, id, reason, note);
              });
  referral_op("complete", {"outcome"},
              [&cases](http::ObjectReader& r, const AuthContext& ctx,
                       core::ReferralId id) -> core::Result<core::ReferralView> {
                const auto outcome = r.RequiredString("outcome");
                if (auto s = r.Finish(); !s.ok()) {
                  return std::move(s).error();
                }
                return cases.CompleteReferral(ctx.actor, id, outcome);
              });

  // --- Today's work ---
  router.Get("/api/v1/work/today",
             guard.Guard(Action::kViewCases, [&](http::Request& req, const AuthContext& ctx) {
               auto today = cases.Today(ctx.actor);
               if (!today.ok()) {
                 return Fail(today.error(), req);
               }
               const auto now = clock.Now();
               auto items = [now](const std::vector<core::WorkItem>& v) {
                 Json out = Json::array();
                 for (const auto& w : v) {
                   out.push_back(WorkItemJson(w, now));
                 }
                 return out;
               };
               auto summaries = [now](const std::vector<core::CaseSummary>& v) {
                 Json out = Json::array();
                 for (const auto& s : v) {
                   out.push_back(SummaryJson(s, now));
                 }
                 return out;
               };
               return http::JsonResponse(200, {{"due_today", items(today->due_today)},
                                               {"overdue", items(today->overdue)},
                                               {"new_in_dong", summaries(today->new_in_dong)},
                                               {"crisis", summaries(today->crisis)}});
             }));
  router.Get("/api/v1/work/overdue",
             guard.Guard(Action::kViewCases, [&](http::Request& req, const AuthContext& ctx) {
               std::optional<core::DongId> dong;
               if (const auto q = req.QueryParam("dong_id")) {
                 dong = ParsePositive(*q);
                 if (!dong) {
                   return Fail(core::Error::Validation({{"dong_id", "invalid", "Must be an id.",
                                                         "동 ID가 올바르지 않습니다."}}),
                               req);
                 }
               }
               auto overdue = cases.Overdue(ctx.actor, dong);
               if (!overdue.ok()) {
                 return Fail(overdue.error(), req);
               }
               Json out = Json::array();
               std::map<core::UserId, int> per_owner;
               for (const auto& w : *overdue) {
                 out.push_back(WorkItemJson(w, clock.Now()));
                 ++per_owner[w.owner_id];
               }
               Json owners = Json::array();
               for (const auto& [owner, count] : per_owner) {
                 owners.push_back({{"owner_id", owner}, {"overdue", count}});
               }
               return http::JsonResponse(200, {{"items", out}, {"per_owner", owners}});
             }));

  // --- The follow-up calendar (사후관리 일정) ---
  router.Get("/api/v1/follow-ups",
             guard.Guard(Action::kViewDongWork, [&](http::Request& req, const AuthContext& ctx) {
               std::vector<core::FieldViolation> v;
               core::FollowUpCalendarQuery q;
               q.from = req.QueryParam("from").value_or("");
               q.to = req.QueryParam("to").value_or("");
               q.counselor_id = QueryId(req, "counselor_id", v);
               q.dong_id = QueryId(req, "dong_id", v);
               if (!v.empty()) {
                 return Fail(core::Error::Validation(std::move(v)), req);
               }
               auto calendar = cases.FollowUpCalendar(ctx.actor, q);
               if (!calendar.ok()) {
                 return Fail(calendar.error(), req);
               }
               const auto now = clock.Now();
               Json items = Json::array();
               for (const auto& e : calendar->items) {
                 items.push_back(CalendarEntryJson(e, now));
               }
               return http::JsonResponse(200, {{"from", core::FormatDate(calendar->from)},
                                               {"to", core::FormatDate(calendar->to)},
                                               {"items", items},
                                               {"truncated", calendar->truncated}});
             }));

  // --- The dashboard (현황판): aggregates only ---
  router.Get(
      "/api/v1/stats/dashboard",
      guard.Guard(Action::kViewStats, [&](http::Request& req, const AuthContext& ctx) {
        std::vector<core::FieldViolation> v;
        core::DashboardQuery q;
        q.dong_id = QueryId(req, "dong_id", v);
        if (const auto weeks = QueryId(req, "weeks", v)) {
          q.weeks = static_cast<int>(std::min<std::int64_t>(*weeks, core::kMaxDashboardWeeks + 1));
        }
        if (!v.empty()) {
          return Fail(core::Error::Validation(std::move(v)), req);
        }
        auto board = cases.Dashboard(ctx.actor, q);
        if (!board.ok()) {
          return Fail(board.error(), req);
        }
        Json by_status = Json::array();
        for (const auto& [status, count] : board->open_by_status) {
          by_status.push_back({{"status", core::Code(status)}, {"count", count}});
        }
        Json by_category = Json::array();
        for (const auto& [category, count] : board->open_by_category) {
          by_category.push_back({{"category", category}, {"count", count}});
        }
        Json by_owner = Json::array();
        for (const auto& o : board->overdue_by_owner) {
          by_owner.push_back(
              {{"user_id", o.user_id}, {"display_name", o.display_name}, {"count", o.count}});
        }
        Json intake = Json::array();
        for (const auto& week : board->intake) {
          Json counts = Json::object();
          std::int64_t total = 0;
          for (const auto& [channel, count] : week.channels) {
            counts[std::string(core::Code(channel))] = count;
            total += count;
          }
          intake.push_back(
              {{"week_start", core::FormatDate(week.start)}, {"counts", counts}, {"total", total}});
        }
        return http::JsonResponse(
            200, {{"as_of", Iso8601(board->as_of)},
                  {"dong_id", board->dong_id ? Json(*board->dong_id) : Json(nullptr)},
                  {"weeks", board->weeks},
                  {"open_by_status", by_status},
                  {"open_by_category", by_category},
                  {"overdue_by_owner", by_owner},
                  {"intake_by_channel", intake}});
      }));

  // --- Saved case-list filters (each user's own) ---
  router.Get(
      "/api/v1/saved-filters",
      guard.Guard(Action::kManageSavedFilters, [&](http::Request& req, const AuthContext& ctx) {
        auto filters = cases.ListSavedFilters(ctx.actor);
        if (!filters.ok()) {
          return Fail(filters.error(), req);
        }
        Json items = Json::array();
        for (const auto& f : *filters) {
          items.push_back(SavedFilterJson(f));
        }
        return http::JsonResponse(200, {{"items", items}});
      }));
  router.Post(
      "/api/v1/saved-filters",
      guard.Guard(Action::kManageSavedFilters, [&](http::Request& req, const AuthContext& ctx) {
        return WithBody(req, {"name", "query"}, [&](http::ObjectReader& r) {
          const auto name = r.RequiredString("name");
          std::map<std::string, std::string> query;
          const Json* q = r.OptionalObject("query");
          if (q == nullptr) {
            r.Add({"query", "required", "Give the case-list filters as an object.",
                   "저장할 목록 조건을 객체로 보내 주세요."});
          } else {
            for (const auto& [key, value] : q->items()) {
              if (value.is_string()) {
                query.emplace(key, value.get<std::string>());
              } else {
                r.Add({"query." + key, "wrong_type", "Must be a string.", "문자열이어야 합니다."});
              }
            }
          }
          if (auto s = r.Finish(); !s.ok()) {
            return Fail(s.error(), req);
          }
          auto saved = cases.SaveFilter(ctx.actor, name, query);
          if (!saved.ok()) {
            return Fail(saved.error(), req);
          }
          auto res = http::JsonResponse(201, SavedFilterJson(*saved));
          res.headers.emplace_back("Location",
                                   "/api/v1/saved-filters/" + std::to_string(saved->id));
          return res;
        });
      }));
  router.Add(
      "DELETE", "/api/v1/saved-filters/{id}",
      guard.Guard(Action::kManageSavedFilters, [&](http::Request& req, const AuthContext& ctx) {
        const auto id = PathId(req);
        if (!id) {
          return Fail(NotFound("Saved filter", "저장한 조건"), req);
        }
        if (auto s = cases.DeleteSavedFilter(ctx.actor, *id); !s.ok()) {
          return Fail(s.error(), req);
        }
        http::Response res;
        res.status = 204;
        return res;
      }));

  // --- The monthly access review (접속기록 점검) ---
  router.Get("/api/v1/access-records/review",
             guard.Guard(Action::kViewAccessLog, [&](http::Request& req, const AuthContext& ctx) {
               const auto month = req.QueryParam("month").value_or("");
               const auto first = core::ParseDate(month + "-01");
               if (month.size() != 7 || !first) {
                 return Fail(core::Error::Validation({{"month", "invalid", "Use YYYY-MM.",
                                                       "YYYY-MM 형식이어야 합니다."}}),
                             req);
               }
               const auto next = core::Date{first->month == 12 ? first->year + 1 : first->year,
                                            first->month == 12 ? 1 : first->month + 1, 1};
               constexpr auto kOfficeDayEnd = std::chrono::hours(18);
               core::AccessRecordFilter f;
               f.from = core::EndOfKstOfficeDay(*first) - kOfficeDayEnd;
               f.to = core::EndOfKstOfficeDay(next) - kOfficeDayEnd;
               constexpr int kPage = 1000;
               constexpr std::size_t kMaxRecords = 2000000;
               f.limit = kPage;
               std::vector<core::AccessRecord> all;
               for (;;) {
                 auto page = access_log.Search(f);
                 if (!page.ok()) {
                   return Fail(page.error(), req);
                 }
                 all.insert(all.end(), page->begin(), page->end());
                 if (static_cast<int>(page->size()) < kPage || all.size() >= kMaxRecords) {
                   break;
                 }
                 f.before_id = page->back().id;
               }
               auto cal = cases.Calendar();
               if (!cal.ok()) {
                 return Fail(cal.error(), req);
               }
               const auto review = core::ReviewAccess(all, *cal, core::AccessReviewPolicy{}, month);
               core::AccessRecord seen;
               seen.at = clock.Now();
               seen.user_id = ctx.actor.user_id;
               seen.role = std::string(core::RoleCode(ctx.actor.role));
               seen.ip = ctx.actor.ip;
               seen.action = "read";
               seen.target_type = "access_review";
               seen.target_id = month;
               seen.outcome = "allowed";
               if (auto a = access_log.Append(seen); !a.ok()) {
                 return Fail(a.error(), req);
               }
               Json users = Json::array();
               for (const auto& u : review.users) {
                 users.push_back({{"user_id", u.user_id},
                                  {"role", u.role},
                                  {"reads", u.reads},
                                  {"distinct_targets", u.distinct_targets},
                                  {"unmasks", u.unmasks},
                                  {"bulk", u.bulk},
                                  {"outside_dong", u.outside_dong},
                                  {"after_hours", u.after_hours},
                                  {"denied", u.denied},
                                  {"flags", u.flags}});
               }
               return http::JsonResponse(
                   200, {{"month", month}, {"records", review.records}, {"users", users}});
             }));

  // --- Holidays (the statutory clocks count working days) ---
  router.Get("/api/v1/holidays",
             guard.Guard(Action::kViewDirectory, [&](http::Request& req, const AuthContext&) {
               auto cal = cases.Calendar();
               if (!cal.ok()) {
                 return Fail(cal.error(), req);
               }
               Json out = Json::array();
               for (const auto& h : cal->holidays()) {
                 out.push_back({{"date", core::FormatDate(h.date)}, {"name", h.name_ko}});
               }
               return http::JsonResponse(200, {{"items", out}});
             }));
  router.Add(
      "PUT", "/api/v1/holidays/{date}",
      guard.Guard(Action::kManageCalendar, [&holidays, district](http::Request& req,
                                                                 const AuthContext&) {
        const auto date = core::ParseDate(req.path_params.at("date"));
        if (!date) {
          return Fail(NotFound("Holiday", "공휴일"), req);
        }
        return WithBody(req, {"name"}, [&](http::ObjectReader& r) {
          const auto name = r.RequiredString("name");
          if (auto s = r.Finish(); !s.ok()) {
            return Fail(s.error(), req);
          }
          if (core::Trim(name).empty() || !core::IsValidUtf8(name) ||
              core::CodePointCount(name) > core::kMaxNameChars) {
            return Fail(core::Error::Validation(
                            {{"name", "invalid", "Give a name of at most 100 characters.",
                              "100자 이하의 이름을 입력해 주세요."}}),
                        req);
          }
          if (auto s = holidays.PutHoliday(district, {core::FormatDate(*date), name}); !s.ok()) {
            return Fail(s.error(), req);
          }
          return http::JsonResponse(200, {{"date", core::FormatDate(*date)}, {"name", name}});
        });
      }));
  router.Get("/api/v1/clock-rules",
             guard.Guard(Action::kViewDirectory, [&](http::Request& req, const AuthContext&) {
               auto policy = cases.Clocks();
               if (!policy.ok()) {
                 return Fail(policy.error(), req);
               }
               Json out = Json::array();
               for (const auto& c : core::Categories()) {
                 const auto& rule = policy->For(std::string(c.code));
                 out.push_back({{"category", c.code},
                                {"answer_working_days", rule.answer_working_days},
                                {"extension_working_days", rule.extension_working_days},
                                {"progress_notice_days", rule.progress_notice_days}});
               }
               return http::JsonResponse(200, {{"items", out}});
             }));
  router.Add(
      "PUT", "/api/v1/clock-rules/{category}",
      guard.Guard(Action::kManageCalendar, [&holidays, district](http::Request& req,
                                                                 const AuthContext&) {
        const auto& category = req.path_params.at("category");
        if (!core::FindCategory(category)) {
          return Fail(NotFound("Category", "상담 분야"), req);
        }
        return WithBody(
            req, {"answer_working_days", "extension_working_days", "progress_notice_days"},
            [&](http::ObjectReader& r) {
              constexpr int kMaxWorkingDays = 90;
              constexpr int kMaxNoticeDays = 365;
              core::ClockRuleRow row;
              row.category = category;
              row.answer_working_days = r.RequiredInt("answer_working_days", 1, kMaxWorkingDays);
              row.extension_working_days =
                  r.RequiredInt("extension_working_days", 0, kMaxWorkingDays);
              row.progress_notice_days = r.RequiredInt("progress_notice_days", 1, kMaxNoticeDays);
              if (auto s = r.Finish(); !s.ok()) {
                return Fail(s.error(), req);
              }
              if (auto s = holidays.PutClockRule(district, row); !s.ok()) {
                return Fail(s.error(), req);
              }
              return http::JsonResponse(200,
                                        {{"category", row.category},
                                         {"answer_working_days", row.answer_working_days},
                                         {"extension_working_days", row.extension_working_days},
                                         {"progress_notice_days", row.progress_notice_days}});
            });
      }));
  router.Add("DELETE", "/api/v1/holidays/{date}",
             guard.Guard(Action::kManageCalendar, [&holidays, district](http::Request& req,
                                                                        const AuthContext&) {
               const auto date = core::ParseDate(req.path_params.at("date"));
               if (!date) {
                 return Fail(NotFound("Holiday", "공휴일"), req);
               }
               if (auto s = holidays.DeleteHoliday(district, core::FormatDate(*date)); !s.ok()) {
                 return Fail(s.error(), req);
               }
               http::Response res;
               res.status = 204;
               return res;
             }));
}

}  // namespace caredesk::app
