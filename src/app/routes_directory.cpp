#include "app/route_helpers.hpp"
#include "app/routes.hpp"
#include "core/taxonomy.hpp"
#include "http/json_io.hpp"

namespace caredesk::app {
namespace {

using http::Json;

Json ToJson(const core::Dong& d) {
  return {{"id", d.id}, {"name", d.name}, {"short_name", d.short_name}};
}

Json ToJson(const core::Desk& d) {
  return {{"id", d.id},
          {"name", d.name},
          {"kind", core::DeskKindCode(d.kind)},
          {"dong_id", d.dong_id ? Json(*d.dong_id) : Json(nullptr)}};
}

Json ToJson(const core::Agency& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"kind", core::AgencyKindCode(a.kind)},
          {"categories", a.categories},
          {"contact", a.contact},
          {"response_hours", a.response_hours},
          {"version", a.version}};
}

template <typename T>
http::Response ListResponse(const core::Result<std::vector<T>>& items, const http::Request& req) {
  if (!items.ok()) {
    return http::ErrorResponse(items.error(), req.request_id);
  }
  Json out = Json::array();
  for (const auto& item : *items) {
    out.push_back(ToJson(item));
  }
  return http::JsonResponse(200, {{"items", out}});
}

constexpr std::size_t kMaxAgencyCategories = 32;

// The fields of an agency body, read by one set of rules for POST and PATCH.
// `create`: every field but contact is required. Otherwise an absent field is
// kept, and a present one is read exactly as POST reads it (so a null name,
// kind, categories or response_hours is "required", a null contact clears it).
core::Result<core::AgencyPatch> ReadAgencyFields(const Json& body, bool create) {
  http::ObjectReader r(body, {"name", "kind", "categories", "contact", "response_hours"});
  core::AgencyPatch fields;
  auto given = [&](const char* field) { return create || body.contains(field); };
  if (given("name")) {
    fields.name = r.RequiredString("name");
  }
  if (given("kind")) {
    fields.kind = r.RequiredString("kind");
  }
  if (given("categories")) {
    fields.categories = r.RequiredStringArray("categories", kMaxAgencyCategories);
  }
  if (given("contact")) {
    fields.contact = r.OptionalString("contact").value_or("");
  }
  if (given("response_hours")) {
    fields.response_hours = r.RequiredInt("response_hours", 1, core::kMaxResponseHours);
  }
  if (auto s = r.Finish(); !s.ok()) {
    return s.error();
  }
  return fields;
}

http::Response AgencyResponse(int status, const core::Agency& agency) {
  auto res = http::JsonResponse(status, ToJson(agency));
  res.headers.emplace_back("ETag", "\"" + std::to_string(agency.version) + "\"");
  return res;
}

}  // namespace

void RegisterDirectoryRoutes(http::Router& router, const AuthGuard& guard,
                             core::DirectoryRepository& directory, const core::District& district) {
  using core::Action;
  using core::AuthContext;
  router.Get("/api/v1/district",
             guard.Guard(Action::kViewDirectory, [&district](http::Request&, const AuthContext&) {
               return http::JsonResponse(
                   200, {{"id", district.id}, {"code", district.code}, {"name", district.name}});
             }));
  router.Get("/api/v1/dongs",
             guard.Guard(Action::kViewDirectory, [&](http::Request& req, const AuthContext&) {
               return ListResponse(directory.ListDongs(district.id), req);
             }));
  router.Get("/api/v1/desks",
             guard.Guard(Action::kViewDirectory, [&](http::Request& req, const AuthContext&) {
               return ListResponse(directory.ListDesks(district.id), req);
             }));
  router.Get("/api/v1/categories",
             guard.Guard(Action::kViewDirectory, [&](http::Request& req, const AuthContext&) {
               auto subs = directory.ListSubCategories(district.id);
               if (!subs.ok()) {
                 return http::ErrorResponse(subs.error(), req.request_id);
               }
               Json out = Json::array();
               for (const auto& c : core::Categories()) {
                 Json children = Json::array();
                 for (const auto& s : *subs) {
                   if (s.parent == c.code) {
                     children.push_back(
                         {{"code", s.code}, {"label_ko", s.label_ko}, {"label_en", s.label_en}});
                   }
                 }
                 out.push_back({{"code", c.code},
                                {"label_ko", c.label_ko},
                                {"label_en", c.label_en},
                                {"subcategories", children}});
               }
               return http::JsonResponse(200, {{"items", out}});
             }));
  router.Post("/api/v1/categories/{code}/subcategories",
              guard.Guard(Action::kManageDirectory, [&](http::Request& req, const AuthContext&) {
                auto body = http::ParseJsonObject(req);
                if (!body.ok()) {
                  return http::ErrorResponse(body.error(), req.request_id);
                }
                http::ObjectReader r(*body, {"slug", "label_ko", "label_en"});
                const auto slug = r.RequiredString("slug");
                const auto label_ko = r.RequiredString("label_ko");
                const auto label_en = r.OptionalString("label_en").value_or("");
                if (auto s = r.Finish(); !s.ok()) {
                  return http::ErrorResponse(s.error(), req.request_id);
                }
                const auto& parent = req.path_params.at("code");
                if (!core::FindCategory(parent)) {
                  return http::ErrorResponse(core::Error::NotFound("Category", "상담 분야"),
                                             req.request_id);
                }
                auto sub = core::ValidateNewSubCategory(parent, slug, label_ko, label_en);
                if (!sub.ok()) {
                  return http::ErrorResponse(sub.error(), req.request_id);
                }
                auto created = directory.CreateSubCategory(district.id, *sub);
                if (!created.ok()) {
                  return http::ErrorResponse(created.error(), req.request_id);
                }
                return http::JsonResponse(201, {{"code", created->code},
                                                {"parent", created->parent},
                                                {"label_ko", created->label_ko},
                                                {"label_en", created->label_en}});
              }));
  router.Get("/api/v1/agencies",
             guard.Guard(Action::kViewDirectory, [&](http::Request& req, const AuthContext&) {
               return ListResponse(directory.ListAgencies(district.id), req);
             }));
  router.Get("/api/v1/agencies/{id}", guard.Guard(Action::kViewDirectory, [&](http::Request& req,
                                                                              const AuthContext&) {
    const auto id = ParsePositive(req.path_params.at("id"));
    if (!id) {
      return http::ErrorResponse(core::Error::NotFound("Agency", "연계 기관"), req.request_id);
    }
    auto agency = directory.GetAgency(district.id, *id);
    if (!agency.ok()) {
      return http::ErrorResponse(agency.error(), req.request_id);
    }
    return AgencyResponse(200, *agency);
  }));
  router.Post("/api/v1/agencies", guard.Guard(Action::kManageDirectory, [&](http::Request& req,
                                                                            const AuthContext&) {
    auto body = http::ParseJsonObject(req);
    if (!body.ok()) {
      return http::ErrorResponse(body.error(), req.request_id);
    }
    auto fields = ReadAgencyFields(*body, true);
    if (!fields.ok()) {
      return http::ErrorResponse(fields.error(), req.request_id);
    }
    const core::NewAgency input{*fields->name, *fields->kind, *fields->categories, *fields->contact,
                                *fields->response_hours};
    auto agency = core::ValidateNewAgency(input, district.id);
    if (!agency.ok()) {
      return http::ErrorResponse(agency.error(), req.request_id);
    }
    auto created = directory.CreateAgency(*agency);
    if (!created.ok()) {
      return http::ErrorResponse(created.error(), req.request_id);
    }
    auto res = AgencyResponse(201, *created);
    res.headers.emplace_back("Location", "/api/v1/agencies/" + std::to_string(created->id));
    return res;
  }));
  // Changing an agency, like registering one, is not recorded in the access
  // records: the agency directory holds no personal data.
  router.Add("PATCH", "/api/v1/agencies/{id}",
             guard.Guard(Action::kManageDirectory, [&](http::Request& req, const AuthContext&) {
               const auto id = ParsePositive(req.path_params.at("id"));
               if (!id) {
                 return http::ErrorResponse(core::Error::NotFound("Agency", "연계 기관"),
                                            req.request_id);
               }
               auto if_match = IfMatchVersion(req);
               if (!if_match.ok()) {
                 return http::ErrorResponse(if_match.error(), req.request_id);
               }
               auto body = http::ParseJsonObject(req);
               if (!body.ok()) {
                 return http::ErrorResponse(body.error(), req.request_id);
               }
               auto patch = ReadAgencyFields(*body, false);
               if (!patch.ok()) {
                 return http::ErrorResponse(patch.error(), req.request_id);
               }
               auto current = directory.GetAgency(district.id, *id);
               if (!current.ok()) {
                 return http::ErrorResponse(current.error(), req.request_id);
               }
               auto changed = core::ApplyAgencyPatch(*current, *patch, *if_match);
               if (!changed.ok()) {
                 return http::ErrorResponse(changed.error(), req.request_id);
               }
               if (!core::AgencyChanged(*current, *changed)) {
                 return AgencyResponse(200, *current);  // nothing to write: the version stays
               }
               auto saved = directory.UpdateAgency(*changed);
               if (!saved.ok()) {
                 return http::ErrorResponse(saved.error(), req.request_id);
               }
               return AgencyResponse(200, *saved);
             }));
}

}  // namespace caredesk::app
