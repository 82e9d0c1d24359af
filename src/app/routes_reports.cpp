// Performance reports, their saved definitions and editions, and the weekly work reports.
// Every report can be downloaded as JSON, CSV (with a BOM) or XLSX (?format=).
#include <algorithm>

#include "app/report_files.hpp"
#include "app/route_helpers.hpp"
#include "app/routes.hpp"
#include "core/report_service.hpp"

namespace caredesk::app {
namespace {

using core::Action;
using core::AuthContext;
using http::Json;

enum class Format { kJson, kCsv, kXlsx };

std::optional<Format> FormatOf(const http::Request& req, std::vector<core::FieldViolation>& v) {
  const auto f = req.QueryParam("format").value_or("json");
  if (f == "json" || f.empty()) {
    return Format::kJson;
  }
  if (f == "csv") {
    return Format::kCsv;
  }
  if (f == "xlsx") {
    return Format::kXlsx;
  }
  v.push_back({"format", "unknown", "format is json, csv or xlsx.",
               "format은 json, csv, xlsx 중 하나입니다."});
  return std::nullopt;
}

std::optional<std::int64_t> QueryId(const http::Request& req, std::string_view name,
                                    std::vector<core::FieldViolation>& v) {
  const auto q = req.QueryParam(name);
  if (!q || q->empty()) {
    return std::nullopt;
  }
  const auto id = ParsePositive(*q);
  if (!id) {
    v.push_back({std::string(name), "invalid", "Must be a positive id.",
                 "양의 정수 번호여야 합니다."});
  }
  return id;
}

std::optional<core::Date> QueryDate(const http::Request& req, std::string_view name,
                                    std::vector<core::FieldViolation>& v, bool required) {
  const auto q = req.QueryParam(name);
  if (!q || q->empty()) {
    if (required) {
      v.push_back({std::string(name), "required", "A date (YYYY-MM-DD) is required.",
                   "날짜(YYYY-MM-DD)를 입력하세요."});
    }
    return std::nullopt;
  }
  const auto d = core::ParseDate(*q);
  if (!d) {
    v.push_back({std::string(name), "invalid_date", "Must be a date (YYYY-MM-DD).",
                 "날짜(YYYY-MM-DD) 형식이어야 합니다."});
  }
  return d;
}

// The scope fields, from the query (?dong_id=&counselor_id=&category=&channel=) or a body.
core::ReportScope ScopeFromQuery(const http::Request& req, std::vector<core::FieldViolation>& v) {
  core::ReportScope s;
  s.dong_id = QueryId(req, "dong_id", v);
  s.counselor_id = QueryId(req, "counselor_id", v);
  if (const auto c = req.QueryParam("category"); c && !c->empty()) {
    s.category = *c;
  }
  if (const auto c = req.QueryParam("channel"); c && !c->empty()) {
    s.channel = core::Parse<core::Channel>(*c);
    if (!s.channel) {
      v.push_back({"channel", "unknown", "Unknown channel.", "알 수 없는 접수 경로입니다."});
    }
  }
  return s;
}

Json ScopeBody(const core::ReportScope& s) {
  return {{"dong_id", s.dong_id ? Json(*s.dong_id) : Json(nullptr)},
          {"counselor_id", s.counselor_id ? Json(*s.counselor_id) : Json(nullptr)},
          {"category", s.category ? Json(*s.category) : Json(nullptr)},
          {"channel", s.channel ? Json(std::string(core::Code(*s.channel))) : Json(nullptr)}};
}

Json DefinitionJson(const core::ReportDefinition& d) {
  return {{"id", d.id},
          {"name", d.name},
          {"owner_id", d.owner_id},
          {"kind", std::string(core::Code(d.kind))},
          {"scope", ScopeBody(d.scope)},
          {"schedule", std::string(core::Code(d.schedule))},
          {"created_at", Iso8601(d.created_at)},
          {"version", d.version}};
}

Json EditionJson(const core::ReportEdition& e) {
  return {{"id", e.id},
          {"definition_id", e.definition_id ? Json(*e.definition_id) : Json(nullptr)},
          {"definition_name", e.definition_name},
          {"kind", std::string(core::Code(e.parameters.kind))},
          {"period",
           {{"from", core::FormatDate(e.parameters.period.from)},
            {"to", core::FormatDate(e.parameters.period.to)}}},
          {"scope", ScopeBody(e.parameters.scope)},
          {"data_as_of", Iso8601(e.data_as_of)},
          {"produced_at", Iso8601(e.produced_at)},
          {"produced_by", e.produced_by == 0 ? Json(nullptr) : Json(e.produced_by)},
          {"content_sha256", e.content_sha256}};
}

Json WorkReportJson(const core::WorkReport& r) {
  Json lines = Json::array();
  for (const auto& l : r.lines) {
    lines.push_back(
        {{"code", l.code}, {"label_ko", l.label_ko}, {"label_en", l.label_en}, {"value", l.value}});
  }
  const auto& c = r.comment;
  return {{"subject", {{"kind", std::string(core::Code(r.subject.kind))}, {"id", r.subject.id}}},
          {"subject_name", r.subject_name},
          {"week", core::FormatDate(r.week)},
          {"week_end", core::FormatDate(r.week_end)},
          {"lines", std::move(lines)},
          {"comment",
           {{"text", c.comment},
            {"version", c.version},
            {"updated_by", c.version == 0 ? Json(nullptr) : Json(c.updated_by)},
            {"updated_at", c.version == 0 ? Json(nullptr) : Json(Iso8601(c.updated_at))}}},
          {"data_as_of", Iso8601(r.data_as_of)}};
}

struct Deps {
  core::ReportService& reports;
  core::DirectoryRepository& directory;
  core::UserRepository& users;
  core::DistrictId district;
  std::string district_name;
};

ReportHeading HeadingOf(Deps& d, const core::ReportScope& scope) {
  ReportHeading h;
  h.district_name = d.district_name;
  std::vector<core::Dong> dongs;
  if (auto list = d.directory.ListDongs(d.district); list.ok()) {
    dongs = std::move(*list);
  }
  std::string counselor;
  if (scope.counselor_id) {
    if (auto u = d.users.Get(*scope.counselor_id); u.ok() && u->district_id == d.district) {
      counselor = u->display_name;
    }
  }
  h.scope_text = ScopeText(scope, dongs, counselor);
  return h;
}

http::Response Answer(const core::Report& report, Format format, const ReportHeading& heading,
                      const std::string& file_stem, Json extra, const http::Request& req) {
  if (format == Format::kJson) {
    Json body = ReportJson(report);
    for (auto& [k, v] : extra.items()) {
      body[k] = v;
    }
    body["scope_text"] = heading.scope_text;
    return http::JsonResponse(200, body);
  }
  http::Response res;
  res.status = 200;
  if (format == Format::kCsv) {
    res.content_type = "text/csv; charset=utf-8";
    res.body = ReportCsv(report, heading);
  } else {
    auto xlsx = ReportXlsx(report, heading);
    if (!xlsx.ok()) {
      return Fail(xlsx.error(), req);
    }
    res.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res.body = std::move(*xlsx);
  }
  res.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" + file_stem +
                               (format == Format::kCsv ? ".csv" : ".xlsx") + "\"");
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

std::string FileStem(const core::ReportParameters& p) {
  return "caredesk-" + std::string(core::Code(p.kind)) + "-" + core::FormatDate(p.period.from) +
         "_" + core::FormatDate(p.period.to);
}

// ?user_id= or ?dong_id= (neither: the signed-in user).
std::optional<core::WorkReportSubject> SubjectOf(const http::Request& req, const AuthContext& ctx,
                                                 std::vector<core::FieldViolation>& v) {
  const auto user = QueryId(req, "user_id", v);
  const auto dong = QueryId(req, "dong_id", v);
  if (user && dong) {
    v.push_back({"dong_id", "conflict", "Give user_id or dong_id, not both.",
                 "user_id와 dong_id 중 하나만 주세요."});
    return std::nullopt;
  }
  if (dong) {
    return core::WorkReportSubject{core::WorkReportSubjectKind::kDong, *dong};
  }
  return core::WorkReportSubject{core::WorkReportSubjectKind::kUser,
                                 user ? *user : ctx.actor.user_id};
}

}  // namespace

void RegisterReportRoutes(http::Router& router, const AuthGuard& guard,
                          core::ReportService& reports, core::DirectoryRepository& directory,
                          core::UserRepository& users, const core::District& district,
                          const core::Clock& clock) {
  auto deps = std::make_shared<Deps>(Deps{reports, directory, users, district.id, district.name});

  router.Get("/api/v1/reports/kinds",
             guard.Guard(Action::kViewReports, [](http::Request&, const AuthContext&) {
               Json items = Json::array();
               for (const auto k : core::AllReportKinds()) {
                 items.push_back({{"code", std::string(core::Code(k))},
                                  {"label_ko", std::string(core::LabelKo(k))},
                                  {"label_en", std::string(core::LabelEn(k))}});
               }
               return http::JsonResponse(200, {{"items", items},
                                               {"min_reportable_count",
                                                core::kMinReportableCount}});
             }));

  router.Get("/api/v1/reports/run",
             guard.Guard(Action::kViewReports, [deps](http::Request& req, const AuthContext& ctx) {
               std::vector<core::FieldViolation> v;
               core::ReportParameters p;
               const auto kind = req.QueryParam("kind").value_or("");
               if (const auto k = core::Parse<core::ReportKind>(kind)) {
                 p.kind = *k;
               } else {
                 v.push_back({"kind", kind.empty() ? "required" : "unknown",
                              "kind must be one of the report kinds.",
                              "보고서 종류(kind)를 골라 주세요."});
               }
               const auto from = QueryDate(req, "from", v, true);
               const auto to = QueryDate(req, "to", v, true);
               p.scope = ScopeFromQuery(req, v);
               const auto format = FormatOf(req, v);
               if (!v.empty()) {
                 return Fail(core::Error::Validation(std::move(v)), req);
               }
               p.period = {*from, *to};
               auto report = deps->reports.Run(ctx.actor, p);
               if (!report.ok()) {
                 return Fail(report.error(), req);
               }
               return Answer(*report, *format, HeadingOf(*deps, report->parameters.scope),
                             FileStem(report->parameters), Json::object(), req);
             }));

  router.Get("/api/v1/reports/definitions",
             guard.Guard(Action::kViewReports, [deps](http::Request& req, const AuthContext& ctx) {
               auto list = deps->reports.ListDefinitions(ctx.actor);
               if (!list.ok()) {
                 return Fail(list.error(), req);
               }
               Json items = Json::array();
               for (const auto& d : *list) {
                 items.push_back(DefinitionJson(d));
               }
               return http::JsonResponse(200, {{"items", items}});
             }));

  router.Post(
      "/api/v1/reports/definitions",
      guard.Guard(Action::kManageReports, [deps](http::Request& req, const AuthContext& ctx) {
        auto body = http::ParseJsonObject(req);
        if (!body.ok()) {
          return Fail(body.error(), req);
        }
        http::ObjectReader r(*body, {"name", "kind", "scope", "schedule"});
        core::ReportDefinition d;
        d.name = r.RequiredString("name");
        const auto kind = r.RequiredString("kind");
        if (const auto k = core::Parse<core::ReportKind>(kind)) {
          d.kind = *k;
        } else if (!kind.empty()) {
          r.Add({"kind", "unknown", "Unknown report kind.", "알 수 없는 보고서 종류입니다."});
        }
        if (const auto sched = r.OptionalString("schedule")) {
          if (const auto s = core::Parse<core::ReportSchedule>(*sched)) {
            d.schedule = *s;
          } else {
            r.Add({"schedule", "unknown", "schedule is none or monthly.",
                   "schedule은 none 또는 monthly입니다."});
          }
        }
        if (const Json* scope = r.OptionalObject("scope")) {
          http::ObjectReader s(*scope, {"dong_id", "counselor_id", "category", "channel"},
                               "scope");
          d.scope.dong_id = s.OptionalId("dong_id");
          d.scope.counselor_id = s.OptionalId("counselor_id");
          d.scope.category = s.OptionalString("category");
          if (const auto ch = s.OptionalString("channel")) {
            d.scope.channel = core::Parse<core::Channel>(*ch);
            if (!d.scope.channel) {
              s.Add({"scope.channel", "unknown", "Unknown channel.", "알 수 없는 접수 경로입니다."});
            }
          }
          r.Adopt(s);
        }
        if (auto st = r.Finish(); !st.ok()) {
          return Fail(st.error(), req);
        }
        auto created = deps->reports.CreateDefinition(ctx.actor, d);
        if (!created.ok()) {
          return Fail(created.error(), req);
        }
        return http::JsonResponse(201, DefinitionJson(*created));
      }));

  router.Add("DELETE", "/api/v1/reports/definitions/{id}",
             guard.Guard(Action::kManageReports,
                         [deps](http::Request& req, const AuthContext& ctx) {
                           const auto id = ParsePositive(req.path_params["id"]);
                           if (!id) {
                             return Fail(core::Error::NotFound("report definition", "보고서 정의"),
                                         req);
                           }
                           if (auto s = deps->reports.DeleteDefinition(ctx.actor, *id); !s.ok()) {
                             return Fail(s.error(), req);
                           }
                           http::Response res;
                           res.status = 204;
                           return res;
                         }));

  router.Post(
      "/api/v1/reports/definitions/{id}/editions",
      guard.Guard(Action::kManageReports, [deps](http::Request& req, const AuthContext& ctx) {
        const auto id = ParsePositive(req.path_params["id"]);
        if (!id) {
          return Fail(core::Error::NotFound("report definition", "보고서 정의"), req);
        }
        auto body = http::ParseJsonObject(req);
        if (!body.ok()) {
          return Fail(body.error(), req);
        }
        http::ObjectReader r(*body, {"from", "to"});
        const auto from_text = r.RequiredString("from");
        const auto to_text = r.RequiredString("to");
        const auto from = core::ParseDate(from_text);
        const auto to = core::ParseDate(to_text);
        if (!from_text.empty() && !from) {
          r.Add({"from", "invalid_date", "Must be a date (YYYY-MM-DD).",
                 "날짜(YYYY-MM-DD) 형식이어야 합니다."});
        }
        if (!to_text.empty() && !to) {
          r.Add({"to", "invalid_date", "Must be a date (YYYY-MM-DD).",
                 "날짜(YYYY-MM-DD) 형식이어야 합니다."});
        }
        if (auto st = r.Finish(); !st.ok()) {
          return Fail(st.error(), req);
        }
        auto produced = deps->reports.Produce(ctx.actor, *id, {*from, *to});
        if (!produced.ok()) {
          return Fail(produced.error(), req);
        }
        Json body_out = EditionJson(produced->edition);
        body_out["report"] = ReportJson(produced->report);
        return http::JsonResponse(201, body_out);
      }));

  router.Get("/api/v1/reports/editions",
             guard.Guard(Action::kViewReports, [deps](http::Request& req, const AuthContext& ctx) {
               std::vector<core::FieldViolation> v;
               const auto definition = QueryId(req, "definition_id", v);
               if (!v.empty()) {
                 return Fail(core::Error::Validation(std::move(v)), req);
               }
               auto list = deps->reports.ListEditions(ctx.actor, definition);
               if (!list.ok()) {
                 return Fail(list.error(), req);
               }
               Json items = Json::array();
               for (const auto& e : *list) {
                 items.push_back(EditionJson(e));
               }
               return http::JsonResponse(200, {{"items", items}});
             }));

  router.Get("/api/v1/reports/editions/{id}",
             guard.Guard(Action::kViewReports, [deps](http::Request& req, const AuthContext& ctx) {
               std::vector<core::FieldViolation> v;
               const auto format = FormatOf(req, v);
               if (!v.empty()) {
                 return Fail(core::Error::Validation(std::move(v)), req);
               }
               const auto id = ParsePositive(req.path_params["id"]);
               if (!id) {
                 return Fail(core::Error::NotFound("report edition", "보고서 발행본"), req);
               }
               auto view = deps->reports.GetEdition(ctx.actor, *id);
               if (!view.ok()) {
                 return Fail(view.error(), req);
               }
               auto heading = HeadingOf(*deps, view->edition.parameters.scope);
               heading.edition_text = "발행본 " + std::to_string(view->edition.id) + " · " +
                                      view->edition.definition_name + " · SHA-256 " +
                                      view->edition.content_sha256;
               return Answer(view->report, *format, heading,
                             "caredesk-edition-" + std::to_string(view->edition.id),
                             {{"edition", EditionJson(view->edition)}}, req);
             }));

  router.Get(
      "/api/v1/work-reports",
      guard.Guard(Action::kViewWorkReport,
                  [deps, &clock](http::Request& req, const AuthContext& ctx) {
                    std::vector<core::FieldViolation> v;
                    const auto subject = SubjectOf(req, ctx, v);
                    const auto week = QueryDate(req, "week", v, false);
                    if (!v.empty()) {
                      return Fail(core::Error::Validation(std::move(v)), req);
                    }
                    auto report = deps->reports.WorkReportOf(
                        ctx.actor, *subject, week.value_or(core::KstDate(clock.Now())));
                    if (!report.ok()) {
                      return Fail(report.error(), req);
                    }
                    auto res = http::JsonResponse(200, WorkReportJson(*report));
                    res.headers.emplace_back(
                        "ETag", "\"" + std::to_string(report->comment.version) + "\"");
                    return res;
                  }));

  router.Add(
      "PUT", "/api/v1/work-reports/comment",
      guard.Guard(Action::kCommentWorkReport,
                  [deps](http::Request& req, const AuthContext& ctx) {
                    auto if_match = IfMatchVersion(req);
                    if (!if_match.ok()) {
                      return Fail(if_match.error(), req);
                    }
                    auto body = http::ParseJsonObject(req);
                    if (!body.ok()) {
                      return Fail(body.error(), req);
                    }
                    http::ObjectReader r(*body, {"user_id", "dong_id", "week", "comment"});
                    const auto user = r.OptionalId("user_id");
                    const auto dong = r.OptionalId("dong_id");
                    const auto week_text = r.RequiredString("week");
                    const auto comment = r.OptionalString("comment").value_or("");
                    const auto week = core::ParseDate(week_text);
                    if (!week_text.empty() && !week) {
                      r.Add({"week", "invalid_date", "Must be a date (YYYY-MM-DD).",
                             "날짜(YYYY-MM-DD) 형식이어야 합니다."});
                    }
                    if (user && dong) {
                      r.Add({"dong_id", "conflict", "Give user_id or dong_id, not both.",
                             "user_id와 dong_id 중 하나만 주세요."});
                    }
                    if (auto st = r.Finish(); !st.ok()) {
                      return Fail(st.error(), req);
                    }
                    const core::WorkReportSubject subject =
                        dong ? core::WorkReportSubject{core::WorkReportSubjectKind::kDong, *dong}
                             : core::WorkReportSubject{core::WorkReportSubjectKind::kUser,
                                                       user ? *user : ctx.actor.user_id};
                    auto saved = deps->reports.CommentWorkReport(
                        ctx.actor, subject, *week, comment, if_match->value_or(0));
                    if (!saved.ok()) {
                      return Fail(saved.error(), req);
                    }
                    auto res = http::JsonResponse(200, WorkReportJson(*saved));
                    res.headers.emplace_back(
                        "ETag", "\"" + std::to_string(saved->comment.version) + "\"");
                    return res;
                  }));
}

}  // namespace caredesk::app
