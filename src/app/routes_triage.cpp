// Triage of an intake text: POST /api/v1/triage (categories, crisis, agencies)
// and POST /api/v1/triage/suggest (the first answer shape, which the intake
// screen still reads). Both run the same core::Triage. The text is neither
// kept nor logged, and reading it is no access to personal records.
#include "app/route_helpers.hpp"
#include "app/routes.hpp"
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

}  // namespace

void RegisterTriageRoutes(http::Router& router, const AuthGuard& guard, const core::Triage& triage,
                          core::DirectoryRepository& directory, core::DistrictId district) {
  // `district` by value: the parameter is gone when the handler runs.
  const auto handler = [&triage, &directory, district](http::Request& req, const AuthContext&) {
    auto text = ReadText(req);
    if (!text.ok()) {
      return Fail(text.error(), req);
    }
    auto assessed = triage.Assess(*text);
    if (!assessed.ok()) {
      return Fail(assessed.error(), req);
    }
    auto agencies = directory.ListAgencies(district);
    if (!agencies.ok()) {
      return Fail(agencies.error(), req);
    }
    Json categories = Json::array();
    for (const auto& c : assessed->categories) {
      categories.push_back({{"code", c.code}, {"score", c.score}});
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
  };
  router.Post("/api/v1/triage", guard.Guard(Action::kSuggestCategory, handler));

  // The first shape: suggestions with the keywords of each category found in the text.
  router.Post(
      "/api/v1/triage/suggest",
      guard.Guard(Action::kSuggestCategory, [&triage](http::Request& req, const AuthContext&) {
        auto text = ReadText(req);
        if (!text.ok()) {
          return Fail(text.error(), req);
        }
        auto assessed = triage.Assess(*text);
        if (!assessed.ok()) {
          return Fail(assessed.error(), req);
        }
        Json suggestions = Json::array();
        for (const auto& c : assessed->categories) {
          suggestions.push_back({{"category", c.code},
                                 {"score", c.score},
                                 {"matched", core::MatchCategoryKeywords(*text, c.code)}});
        }
        return http::JsonResponse(
            200,
            {{"suggestions", suggestions},
             {"crisis", {{"flag", assessed->crisis.flag}, {"matched", assessed->crisis.terms}}},
             {"model", assessed->model}});
      }));
}

}  // namespace caredesk::app
