// The blind-spot screening (core/screening_service.hpp):
//
//   GET  /api/v1/screening/model              the weights in use (and their version)
//   PUT  /api/v1/screening/model              admins: save an edit as the next version
//   GET  /api/v1/screening/imports            what agencies' files were imported
//   GET  /api/v1/screening/runs               runs, newest first
//   POST /api/v1/screening/runs               run it: {capacity_per_dong, as_of?, dry_run?}
//   GET  /api/v1/screening/runs/{id}          one run and its funnel
//   POST /api/v1/screening/runs/{id}/open-cases   finish a run whose cases stopped half-way
//   GET  /api/v1/screening/runs/{id}/flags    the outreach list (?dong_id=, ?purpose=)
//   POST /api/v1/screening/flags/{id}/outcome what the contact found
//   GET  /api/v1/screening/funnel             flagged -> contacted -> assessed -> linked -> outcome
#include <set>

#include "app/report_files.hpp"
#include "app/route_helpers.hpp"
#include "app/routes.hpp"
#include "core/screening_service.hpp"

namespace caredesk::app {
namespace {

using core::Action;
using core::AuthContext;
using http::Json;

constexpr std::size_t kMaxIndicators = 200;

Json ModelJson(const core::ScreeningModel& m) {
  Json indicators = Json::array();
  for (const auto& d : m.indicators) {
    indicators.push_back({{"code", d.code},
                          {"name_ko", d.name_ko},
                          {"domain", core::Code(d.domain)},
                          {"arrears", d.arrears},
                          {"weight", d.weight},
                          {"per_month", d.per_month},
                          {"max_months", d.max_months}});
  }
  return {{"version", m.version},
          {"indicators", indicators},
          {"recent_days", m.recent_days},
          {"half_life_days", m.half_life_days},
          {"lookback_days", m.lookback_days},
          {"same_domain_factor", m.same_domain_factor},
          {"breadth_points", m.breadth_points},
          {"elderly_age", m.elderly_age},
          {"elderly", m.elderly},
          {"living_alone", m.living_alone},
          {"middle_aged_alone", m.middle_aged_alone},
          {"disability", m.disability},
          {"large_household_members", m.large_household_members},
          {"large_household", m.large_household},
          {"fragile_housing", m.fragile_housing},
          {"earlier_flag", m.earlier_flag},
          {"max_earlier_flags", m.max_earlier_flags},
          {"unsupported_consultation", m.unsupported_consultation},
          {"history_days", m.history_days},
          {"unreachable_before", m.unreachable_before},
          {"no_need_days", m.no_need_days},
          {"no_need_recent", m.no_need_recent},
          {"new_after_no_need", m.new_after_no_need}};
}

// An edit over `current`: fields left out keep their value; "indicators", when
// given, replaces the whole list.
core::Result<core::ScreeningModel> ModelEdit(const Json& body, core::ScreeningModel current) {
  http::ObjectReader r(
      body, {"version", "indicators", "recent_days", "half_life_days", "lookback_days",
             "same_domain_factor", "breadth_points", "elderly_age", "elderly", "living_alone",
             "middle_aged_alone", "disability", "large_household_members", "large_household",
             "fragile_housing", "earlier_flag", "max_earlier_flags", "unsupported_consultation",
             "history_days", "unreachable_before", "no_need_days", "no_need_recent",
             "new_after_no_need"});
  auto& m = current;
  auto number = [&](std::string_view field, double& into) {
    if (const auto v = r.OptionalNumber(field)) {
      into = *v;
    }
  };
  auto integer = [&](std::string_view field, int& into) {
    if (const auto v = r.OptionalInt(field, -100000, 100000)) {
      into = *v;
    }
  };
  integer("recent_days", m.recent_days);
  integer("half_life_days", m.half_life_days);
  integer("lookback_days", m.lookback_days);
  number("same_domain_factor", m.same_domain_factor);
  integer("elderly_age", m.elderly_age);
  number("elderly", m.elderly);
  number("living_alone", m.living_alone);
  number("middle_aged_alone", m.middle_aged_alone);
  number("disability", m.disability);
  integer("large_household_members", m.large_household_members);
  number("large_household", m.large_household);
  number("fragile_housing", m.fragile_housing);
  number("earlier_flag", m.earlier_flag);
  integer("max_earlier_flags", m.max_earlier_flags);
  number("unsupported_consultation", m.unsupported_consultation);
  integer("history_days", m.history_days);
  number("unreachable_before", m.unreachable_before);
  integer("no_need_days", m.no_need_days);
  number("no_need_recent", m.no_need_recent);
  number("new_after_no_need", m.new_after_no_need);
  (void)r.OptionalInt("version", 0, 1 << 30);  // shown by GET; the saved version is the next
  if (const auto it = body.find("breadth_points"); it != body.end() && !it->is_null()) {
    std::vector<double> points;
    if (!it->is_array()) {
      r.Add({"breadth_points", "wrong_type", "Expected an array of numbers.", "숫자 배열이어야 합니다."});
    } else {
      for (const auto& p : *it) {
        if (!p.is_number()) {
          r.Add({"breadth_points", "wrong_type", "Expected an array of numbers.",
                 "숫자 배열이어야 합니다."});
          break;
        }
        points.push_back(p.get<double>());
      }
      m.breadth_points = points;
    }
  }
  if (const auto it = body.find("indicators"); it != body.end() && !it->is_null()) {
    if (!it->is_array() || it->size() > kMaxIndicators) {
      r.Add({"indicators", "wrong_type", "Expected an array of at most 200 indicators.",
             "위기 정보 항목 배열(200개까지)이어야 합니다."});
    } else {
      m.indicators.clear();
      for (std::size_t i = 0; i < it->size(); ++i) {
        const auto& item = (*it)[i];
        const std::string prefix = "indicators[" + std::to_string(i) + "]";
        if (!item.is_object()) {
          r.Add({prefix, "wrong_type", "Expected an object.", "객체여야 합니다."});
          continue;
        }
        http::ObjectReader ir(item,
                              {"code", "name_ko", "domain", "arrears", "weight", "per_month",
                               "max_months"},
                              prefix);
        core::IndicatorDefinition d;
        d.code = ir.RequiredString("code");
        d.name_ko = ir.RequiredString("name_ko");
        const auto domain = ir.RequiredString("domain");
        if (const auto parsed = core::Parse<core::RiskDomain>(domain)) {
          d.domain = *parsed;
        } else if (!domain.empty()) {
          ir.Add({prefix + ".domain", "invalid_value",
                  "Use income, debt, housing, utilities, health or isolation.",
                  "income, debt, housing, utilities, health, isolation 중 하나를 쓰세요."});
        }
        d.arrears = ir.OptionalBool("arrears").value_or(false);
        d.weight = ir.OptionalNumber("weight").value_or(0);
        d.per_month = ir.OptionalNumber("per_month").value_or(0);
        d.max_months = ir.OptionalInt("max_months", 0, 1000).value_or(12);
        r.Adopt(ir);
        m.indicators.push_back(std::move(d));
      }
    }
  }
  if (auto s = r.Finish(); !s.ok()) {
    return s.error();
  }
  return m;
}

Json RunJson(const core::ScreeningRun& r) {
  return {{"id", r.id},
          {"model_version", r.model_version},
          {"as_of", core::FormatDate(r.as_of)},
          {"capacity_per_dong", r.capacity_per_dong},
          {"created_by", r.created_by},
          {"created_at", Iso8601(r.created_at)},
          {"households_scored", r.households_scored},
          {"listed", r.listed},
          {"raised_again", r.raised_again},
          {"under_management", r.under_management},
          {"cases_created", r.cases_created}};
}

Json FlagJson(const core::OutreachFlag& f) {
  Json reasons = Json::array();
  for (const auto& r : f.reasons) {
    reasons.push_back({{"code", r.code}, {"text_ko", r.text_ko}, {"points", r.points}});
  }
  const auto& h = f.household.household;
  return {{"id", f.id},
          {"run_id", f.run_id},
          {"household_id", h.household_id},
          {"dong_id", f.household.dong_id},
          {"household",
           {{"head_birth_year", h.head_birth_year},
            {"members", h.members},
            {"living_alone", h.living_alone},
            {"disability", h.disability},
            {"housing_type", core::Code(h.housing)}}},
          {"rank", f.rank},
          {"score", f.score},
          {"state", core::Code(f.state)},
          {"summary_ko", f.summary_ko},
          {"reasons", reasons},
          {"case_id", f.case_id ? Json(*f.case_id) : Json(nullptr)},
          {"outcome", f.outcome ? Json(std::string(core::Code(*f.outcome))) : Json(nullptr)},
          {"outcome_detail", f.outcome_detail},
          {"no_need_reason", f.no_need_reason},
          {"outcome_at", OptionalTime(f.outcome_at)},
          {"outcome_by", f.outcome_by == 0 ? Json(nullptr) : Json(f.outcome_by)}};
}

Json FunnelJson(const core::OutreachFunnel& f) {
  return {{"flagged", f.flagged},         {"contacted", f.contacted},
          {"assessed", f.assessed},       {"linked", f.linked},
          {"outcome", f.outcome},         {"unreachable", f.unreachable},
          {"no_need", f.no_need},         {"raised_again", f.raised_again}};
}

std::optional<std::int64_t> IdParam(const http::Request& req) {
  const auto it = req.path_params.find("id");
  return it == req.path_params.end() ? std::nullopt : ParsePositive(it->second);
}

// ?name=<positive id>, absent or empty: nullopt. A bad value is a violation.
std::optional<std::int64_t> QueryId(const http::Request& req, std::string_view name,
                                    std::vector<core::FieldViolation>& v) {
  const auto q = req.QueryParam(name);
  if (!q || q->empty()) {
    return std::nullopt;
  }
  const auto id = ParsePositive(*q);
  if (!id) {
    v.push_back({std::string(name), "invalid", "Must be a positive id.", "양의 정수 번호여야 합니다."});
  }
  return id;
}

core::Error RunNotFound() { return core::Error::NotFound("Screening run", "선별 실행"); }

}  // namespace

void RegisterScreeningRoutes(http::Router& router, const AuthGuard& guard,
                             core::ScreeningService& screening) {
  router.Get("/api/v1/screening/model",
             guard.Guard(Action::kViewScreeningModel,
                         [&screening](http::Request& req, const AuthContext& ctx) {
                           auto m = screening.CurrentModel(ctx.actor);
                           if (!m.ok()) {
                             return Fail(m.error(), req);
                           }
                           return http::JsonResponse(200, {{"model", ModelJson(*m)}});
                         }));

  router.Add("PUT", "/api/v1/screening/model",
             guard.Guard(Action::kManageScreeningModel,
                         [&screening](http::Request& req, const AuthContext& ctx) {
                           auto body = http::ParseJsonObject(req);
                           if (!body.ok()) {
                             return Fail(body.error(), req);
                           }
                           auto current = screening.CurrentModel(ctx.actor);
                           if (!current.ok()) {
                             return Fail(current.error(), req);
                           }
                           auto edited = ModelEdit(*body, *current);
                           if (!edited.ok()) {
                             return Fail(edited.error(), req);
                           }
                           auto saved = screening.SaveModel(ctx.actor, *edited);
                           if (!saved.ok()) {
                             return Fail(saved.error(), req);
                           }
                           return http::JsonResponse(200, {{"model", ModelJson(*saved)}});
                         }));

  router.Get("/api/v1/screening/imports",
             guard.Guard(Action::kViewScreeningModel,
                         [&screening](http::Request& req, const AuthContext& ctx) {
                           auto list = screening.Imports(ctx.actor);
                           if (!list.ok()) {
                             return Fail(list.error(), req);
                           }
                           Json items = Json::array();
                           for (const auto& i : *list) {
                             Json batches = Json::array();
                             for (const auto& d : i.batches) {
                               batches.push_back(core::FormatDate(d));
                             }
                             items.push_back({{"id", i.id},
                                              {"imported_at", Iso8601(i.imported_at)},
                                              {"imported_by", i.imported_by},
                                              {"source", i.source},
                                              {"households", i.households},
                                              {"signals", i.signals},
                                              {"skipped", i.skipped},
                                              {"batches", batches}});
                           }
                           return http::JsonResponse(200, {{"items", items}});
                         }));

  router.Get("/api/v1/screening/runs",
             guard.Guard(Action::kViewOutreach,
                         [&screening](http::Request& req, const AuthContext& ctx) {
                           auto list = screening.ListRuns(ctx.actor);
                           if (!list.ok()) {
                             return Fail(list.error(), req);
                           }
                           Json items = Json::array();
                           for (const auto& r : *list) {
                             items.push_back(RunJson(r));
                           }
                           return http::JsonResponse(200, {{"items", items}});
                         }));

  router.Post(
      "/api/v1/screening/runs",
      guard.Guard(Action::kRunScreening, [&screening](http::Request& req, const AuthContext& ctx) {
        auto body = http::ParseJsonObject(req);
        if (!body.ok()) {
          return Fail(body.error(), req);
        }
        http::ObjectReader r(*body, {"capacity_per_dong", "as_of", "dry_run"});
        core::ScreeningRunInput in;
        in.capacity_per_dong = r.RequiredInt("capacity_per_dong", 1, core::kMaxOutreachCapacity);
        if (const auto as_of = r.OptionalString("as_of")) {
          in.as_of = core::ParseDate(*as_of);
          if (!in.as_of) {
            r.Add({"as_of", "invalid_date", "Use a date as YYYY-MM-DD.",
                   "YYYY-MM-DD 형식의 날짜를 쓰세요."});
          }
        }
        in.open_cases = !r.OptionalBool("dry_run").value_or(false);
        if (auto s = r.Finish(); !s.ok()) {
          return Fail(s.error(), req);
        }
        auto report = screening.Run(ctx.actor, in);
        if (!report.ok()) {
          return Fail(report.error(), req);
        }
        Json out = {{"run", RunJson(report->run)}};
        if (!in.open_cases) {
          // A dry run: what the lists would be, stored nowhere.
          Json flags = Json::array();
          for (const auto& f : report->flags) {
            flags.push_back(FlagJson(f));
          }
          out["flags"] = flags;
          return http::JsonResponse(200, out);
        }
        return http::JsonResponse(201, out);
      }));

  router.Get("/api/v1/screening/runs/{id}",
             guard.Guard(Action::kViewOutreach,
                         [&screening](http::Request& req, const AuthContext& ctx) {
                           const auto id = IdParam(req);
                           if (!id) {
                             return Fail(RunNotFound(), req);
                           }
                           auto run = screening.GetRun(ctx.actor, *id);
                           if (!run.ok()) {
                             return Fail(run.error(), req);
                           }
                           // A dong-less case worker (the district desk) has no
                           // dong's funnel to read: the run without one.
                           auto funnel = screening.Funnel(ctx.actor, *id, std::nullopt);
                           if (!funnel.ok() &&
                               funnel.error().code != core::ErrorCode::kForbidden) {
                             return Fail(funnel.error(), req);
                           }
                           return http::JsonResponse(
                               200, {{"run", RunJson(*run)},
                                     {"funnel", funnel.ok() ? FunnelJson(*funnel) : Json(nullptr)}});
                         }));

  router.Post("/api/v1/screening/runs/{id}/open-cases",
              guard.Guard(Action::kRunScreening,
                          [&screening](http::Request& req, const AuthContext& ctx) {
                            const auto id = IdParam(req);
                            if (!id) {
                              return Fail(RunNotFound(), req);
                            }
                            auto report = screening.OpenMissingCases(ctx.actor, *id);
                            if (!report.ok()) {
                              return Fail(report.error(), req);
                            }
                            return http::JsonResponse(200, {{"run", RunJson(report->run)}});
                          }));

  router.Get("/api/v1/screening/runs/{id}/flags",
             guard.Guard(Action::kViewOutreach,
                         [&screening](http::Request& req, const AuthContext& ctx) {
                           const auto id = IdParam(req);
                           if (!id) {
                             return Fail(RunNotFound(), req);
                           }
                           std::vector<core::FieldViolation> v;
                           const auto dong = QueryId(req, "dong_id", v);
                           if (!v.empty()) {
                             return Fail(core::Error::Validation(std::move(v)), req);
                           }
                           auto flags = screening.OutreachList(
                               ctx.actor, *id, dong, req.QueryParam("purpose").value_or(""));
                           if (!flags.ok()) {
                             return Fail(flags.error(), req);
                           }
                           Json items = Json::array();
                           for (const auto& f : *flags) {
                             items.push_back(FlagJson(f));
                           }
                           return http::JsonResponse(200, {{"items", items}});
                         }));

  // The outreach list as a file (CSV with a BOM, or XLSX): masked unless unmasked=true,
  // with a purpose; every export is in the access records.
  router.Get(
      "/api/v1/screening/runs/{id}/flags/export",
      guard.Guard(Action::kViewOutreach, [&screening](http::Request& req, const AuthContext& ctx) {
        const auto id = IdParam(req);
        if (!id) {
          return Fail(RunNotFound(), req);
        }
        std::vector<core::FieldViolation> v;
        const auto dong = QueryId(req, "dong_id", v);
        const auto format = req.QueryParam("format").value_or("csv");
        if (format != "csv" && format != "xlsx") {
          v.push_back({"format", "unknown", "format is csv or xlsx.", "format은 csv 또는 xlsx입니다."});
        }
        const auto unmasked = req.QueryParam("unmasked").value_or("false");
        if (unmasked != "true" && unmasked != "false") {
          v.push_back({"unmasked", "invalid", "unmasked is true or false.",
                       "unmasked는 true 또는 false입니다."});
        }
        if (!v.empty()) {
          return Fail(core::Error::Validation(std::move(v)), req);
        }
        const std::string purpose = req.QueryParam("purpose").value_or("");
        auto flags =
            screening.ExportOutreachList(ctx.actor, *id, dong, purpose, unmasked == "true");
        if (!flags.ok()) {
          return Fail(flags.error(), req);
        }
        core::Report list;
        list.data_as_of = std::chrono::system_clock::now();
        core::ReportTable t;
        t.code = "outreach_list";
        t.title_ko = "발굴 대상 가구";
        for (const char* label : {"순위", "가구", "세대주 출생", "가구원", "독거", "장애", "주거",
                                  "점수", "사유", "상태", "결과"}) {
          t.columns.push_back({label, label, "", core::CellKind::kLabel});
        }
        for (const auto& f : *flags) {
          const auto& h = f.household.household;
          auto cell = [](std::string text) {
            core::ReportCell c;
            c.text = std::move(text);
            return c;
          };
          char score[16];
          std::snprintf(score, sizeof score, "%.1f", f.score);
          t.rows.push_back({cell(std::to_string(f.rank)), cell(h.household_id),
                            cell(unmasked == "true" ? std::to_string(h.head_birth_year)
                                                    : std::to_string(h.head_birth_year) + "년대"),
                            cell(std::to_string(h.members)), cell(h.living_alone ? "예" : ""),
                            cell(h.disability ? "예" : ""), cell(std::string(core::Code(h.housing))),
                            cell(score), cell(f.summary_ko), cell(std::string(core::Code(f.state))),
                            cell(f.outcome ? std::string(core::Code(*f.outcome)) : "")});
        }
        list.tables.push_back(std::move(t));
        ReportHeading heading;
        heading.title = "복지 사각지대 발굴 대상 목록 (선별 " + std::to_string(*id) + ")";
        heading.scope_text = dong ? "동 " + std::to_string(*dong) : "내 동";
        heading.privacy_text = std::string(unmasked == "true" ? "마스킹 해제" : "마스킹됨") +
                               " · 목적: " + purpose + " · 접속기록에 남았습니다";
        http::Response res;
        res.status = 200;
        if (format == "csv") {
          res.content_type = "text/csv; charset=utf-8";
          res.body = ReportCsv(list, heading);
        } else {
          auto xlsx = ReportXlsx(list, heading);
          if (!xlsx.ok()) {
            return Fail(xlsx.error(), req);
          }
          res.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
          res.body = std::move(*xlsx);
        }
        res.headers.emplace_back("Content-Disposition", "attachment; filename=\"outreach-" +
                                                            std::to_string(*id) + "." + format +
                                                            "\"");
        return res;
      }));

  router.Post("/api/v1/screening/flags/{id}/outcome",
              guard.Guard(Action::kRecordOutreachOutcome,
                          [&screening](http::Request& req, const AuthContext& ctx) {
                            const auto id = IdParam(req);
                            if (!id) {
                              return Fail(core::Error::NotFound("Outreach household",
                                                                "발굴 대상 가구"),
                                          req);
                            }
                            auto body = http::ParseJsonObject(req);
                            if (!body.ok()) {
                              return Fail(body.error(), req);
                            }
                            http::ObjectReader r(*body, {"outcome", "detail", "no_need_reason"});
                            core::OutreachOutcomeInput in;
                            in.outcome = r.RequiredString("outcome");
                            in.detail = r.OptionalString("detail").value_or("");
                            in.no_need_reason = r.OptionalString("no_need_reason").value_or("");
                            if (auto s = r.Finish(); !s.ok()) {
                              return Fail(s.error(), req);
                            }
                            auto flag = screening.RecordOutcome(ctx.actor, *id, in);
                            if (!flag.ok()) {
                              return Fail(flag.error(), req);
                            }
                            return http::JsonResponse(200, {{"flag", FlagJson(*flag)}});
                          }));

  router.Get("/api/v1/screening/funnel",
             guard.Guard(Action::kViewStats,
                         [&screening](http::Request& req, const AuthContext& ctx) {
                           std::vector<core::FieldViolation> v;
                           const auto run = QueryId(req, "run_id", v);
                           const auto dong = QueryId(req, "dong_id", v);
                           if (!v.empty()) {
                             return Fail(core::Error::Validation(std::move(v)), req);
                           }
                           auto funnel = screening.Funnel(ctx.actor, run, dong);
                           if (!funnel.ok()) {
                             return Fail(funnel.error(), req);
                           }
                           return http::JsonResponse(200, {{"funnel", FunnelJson(*funnel)}});
                         }));
}

}  // namespace caredesk::app
