// Triage of an intake text (POST /api/v1/triage: categories with the words that
// point to them, crisis with the words that triggered it, agencies), and the
// model's figures and retraining for the admin screen (GET /api/v1/triage/model,
// POST /api/v1/triage/retrain). The text of a triage is neither kept nor logged,
// and reading it is no access to personal records; retraining reads the
// counselors' corrections, which are, and records that read.
#include "app/route_helpers.hpp"
#include "app/routes.hpp"
#include "app/triage_files.hpp"
#include "core/triage_rules.hpp"

namespace caredesk::app {
namespace {

using core::Action;
using core::AuthContext;
using http::Json;

// The "text" of a {"text": ...} body, or the error response.
core::Result<std::string> ReadText(http::Request& req) {
  auto body = http::ParseJsonObject(req);
  if (!body.ok()) {
    return std::move(body).error();
  }
  http::ObjectReader r(*body, {"text"});
  auto text = r.RequiredString("text");
  if (auto s = r.Finish(); !s.ok()) {
    return std::move(s).error();
  }
  return text;
}

Json ModelJson(const core::Triage& triage) {
  Json out = {{"version", triage.model_name()}, {"has_model", triage.has_model()}};
  if (const auto* m = triage.model(); m != nullptr) {
    out["crisis_threshold"] = m->crisis_threshold;
  }
  return out;
}

}  // namespace

void RegisterTriageRoutes(http::Router& router, const AuthGuard& guard, TriageService& triage,
                          core::CaseRepository& cases, core::DirectoryRepository& directory,
                          core::AccessLog& access_log, core::DistrictId district,
                          const core::Clock& clock) {
  // `district` by value: the parameter is gone when the handler runs.
  router.Post(
      "/api/v1/triage",
      guard.Guard(Action::kSuggestCategory, [&triage, &directory, district](http::Request& req,
                                                                            const AuthContext&) {
        auto text = ReadText(req);
        if (!text.ok()) {
          return Fail(text.error(), req);
        }
        const auto current = triage.Current();
        auto assessed = current->Assess(*text);
        if (!assessed.ok()) {
          return Fail(assessed.error(), req);
        }
        auto agencies = directory.ListAgencies(district);
        if (!agencies.ok()) {
          return Fail(agencies.error(), req);
        }
        Json categories = Json::array();
        for (const auto& c : assessed->categories) {
          categories.push_back({{"code", c.code},
                                {"score", c.score},
                                {"matched", core::MatchCategoryKeywords(*text, c.code)}});
        }
        Json suggested = Json::array();
        for (const auto& a : core::SuggestAgencies(assessed->categories, *text, *agencies)) {
          suggested.push_back(
              {{"id", a.id}, {"name", a.name}, {"reason", a.reason}, {"reason_en", a.reason_en}});
        }
        return http::JsonResponse(
            200, {{"categories", categories},
                  {"crisis", {{"flag", assessed->crisis.flag}, {"terms", assessed->crisis.terms}}},
                  {"agencies", suggested},
                  {"model", assessed->model}});
      }));

  router.Get("/api/v1/triage/model",
             guard.Guard(Action::kManageTriage, [&triage, &cases, district](http::Request& req,
                                                                            const AuthContext&) {
               auto corrections = cases.CountTriageCorrections(district);
               if (!corrections.ok()) {
                 return Fail(corrections.error(), req);
               }
               const auto last = triage.LastTraining();
               return http::JsonResponse(200, {{"model", ModelJson(*triage.Current())},
                                               {"model_file", triage.options().model_file},
                                               {"corrections", *corrections},
                                               {"training", last ? ToJson(*last) : Json(nullptr)}});
             }));

  router.Post("/api/v1/triage/retrain",
              guard.Guard(Action::kManageTriage, [&triage, &cases, &access_log, &clock, district](
                                                     http::Request& req, const AuthContext& ctx) {
                auto corrections = cases.ListTriageCorrections(district);
                if (!corrections.ok()) {
                  return Fail(corrections.error(), req);
                }
                // The corrections are residents' words from the cases: their read is on the record.
                if (auto a = access_log.Append(core::AllowedRecord(
                        ctx.actor, clock.Now(), "read", "triage_corrections",
                        std::to_string(corrections->size()), "triage retraining"));
                    !a.ok()) {
                  return Fail(a.error(), req);
                }
                auto started = triage.StartRetraining(ctx.actor.user_id,
                                                      CorrectionExamples(std::move(*corrections)));
                if (!started.ok()) {
                  return Fail(started.error(), req);
                }
                return http::JsonResponse(202, {{"training", ToJson(*started)}});
              }));
}

}  // namespace caredesk::app
