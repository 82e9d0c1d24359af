// Open311 GeoReport v2 at /open311/v2/ (core/open311_service.hpp), in XML and JSON:
//
//   GET  services.{format}                 the service list
//   GET  services/{code}.{format}          a service definition (its attributes)
//   POST requests.{format}                 a new request (form-encoded, api_key required)
//   GET  requests.{format}                 requests: service_request_id, service_code,
//                                          start_date, end_date, status; page, page_size
//   GET  requests/{id}.{format}            one request (also request/{id}, as in the Swagger)
//   GET  tokens/{token}.{format}           the request a token stands for
//
// Errors are the spec's list of {code, description} with that HTTP status. The admins'
// API for the apps' keys is under /api/v1/open311/clients.
#include <spdlog/spdlog.h>

#include <cstdio>

#include "app/route_helpers.hpp"
#include "app/routes.hpp"
#include "core/open311_service.hpp"

namespace caredesk::app {
namespace {

using core::Open311Request;
using http::Json;

constexpr std::string_view kXmlHeader = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

enum class Format { kJson, kXml };

// A tiny XML writer: elements with escaped text, nothing else is needed here.
class Xml {
 public:
  Xml() { out_ = kXmlHeader; }
  Xml& Open(std::string_view name) {
    out_ += "<" + std::string(name) + ">";
    return *this;
  }
  Xml& Close(std::string_view name) {
    out_ += "</" + std::string(name) + ">";
    return *this;
  }
  Xml& Text(std::string_view name, std::string_view text) {
    Open(name);
    for (const char c : text) {
      switch (c) {
        case '<':
          out_ += "&lt;";
          break;
        case '>':
          out_ += "&gt;";
          break;
        case '&':
          out_ += "&amp;";
          break;
        case '"':
          out_ += "&quot;";
          break;
        case '\'':
          out_ += "&apos;";
          break;
        default:
          // Control characters other than tab and newlines are not allowed in XML 1.0.
          if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            out_.push_back(c);
          }
      }
    }
    return Close(name);
  }
  Xml& Bool(std::string_view name, bool v) { return Text(name, v ? "true" : "false"); }
  std::string str() const { return out_; }

 private:
  std::string out_;
};

// W3C date-times in Korean time: 2026-12-02T11:30:00+09:00.
std::string W3c(core::TimePoint t) {
  const auto kst = std::chrono::floor<std::chrono::seconds>(t) + std::chrono::hours(9);
  const auto day = std::chrono::floor<std::chrono::days>(kst);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{kst - day};
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02ld:%02ld:%02ld+09:00",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()));
  return buf;
}

Json TextOrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }
Json TimeOrNull(const std::optional<core::TimePoint>& t) {
  return t ? Json(W3c(*t)) : Json(nullptr);
}

std::optional<Format> FormatOf(const http::Request& req) {
  const auto it = req.path_params.find("format");
  if (it == req.path_params.end()) {
    return std::nullopt;
  }
  if (it->second == "json") {
    return Format::kJson;
  }
  if (it->second == "xml") {
    return Format::kXml;
  }
  return std::nullopt;
}

http::Response Respond(Format f, int status, const Json& json, const std::string& xml) {
  http::Response r;
  r.status = status;
  if (f == Format::kJson) {
    r.content_type = "application/json; charset=utf-8";
    r.body = json.dump();
  } else {
    r.content_type = "text/xml; charset=utf-8";
    r.body = xml;
  }
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  return r;
}

http::Response Open311Fail(Format f, const core::Error& e, const http::Request& req) {
  // The spec knows 403 (api_key), 404 (not found) and 400 for every other problem.
  int status = http::HttpStatus(e.code);
  if (status >= 400 && status < 500 && status != 403 && status != 404) {
    status = 400;
  }
  const std::string description = e.message + (e.message_ko.empty() ? "" : " / " + e.message_ko);
  if (status >= 500) {
    spdlog::error("open311 request_id={} failed: {}", req.request_id, e.internal_detail);
  }
  Xml xml;
  xml.Open("errors").Open("error").Text("code", std::to_string(status));
  xml.Text("description", description).Close("error").Close("errors");
  auto r = Respond(f, status, Json::array({{{"code", status}, {"description", description}}}),
                   xml.str());
  r.log_detail = e.internal_detail;
  return r;
}

http::Response UnknownFormat(const http::Request& req) {
  return Open311Fail(Format::kJson,
                     core::Error::Make(core::ErrorCode::kNotFound,
                                       "Unknown format: use .xml or .json.",
                                       "형식은 .xml 또는 .json입니다."),
                     req);
}

// Query or form text into fields, in order (a[b][]=1&a[b][]=2 keeps both).
core::FormFields ParseForm(std::string_view text) {
  core::FormFields out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto amp = text.find('&', start);
    if (amp == std::string_view::npos) {
      amp = text.size();
    }
    const auto pair = text.substr(start, amp - start);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      out.emplace_back(http::PercentDecode(pair.substr(0, eq), true),
                       eq == std::string_view::npos ? std::string()
                                                    : http::PercentDecode(pair.substr(eq + 1), true));
    }
    start = amp + 1;
  }
  return out;
}

std::map<std::string, std::string> QueryMap(const http::Request& req) {
  std::map<std::string, std::string> out;
  for (auto& [k, v] : ParseForm(req.query)) {
    out.emplace(std::move(k), std::move(v));
  }
  return out;
}

// Open311's jurisdiction_id: optional with one jurisdiction; another one does not exist here.
bool OtherJurisdiction(const std::map<std::string, std::string>& q, const std::string& ours) {
  const auto it = q.find("jurisdiction_id");
  return it != q.end() && !it->second.empty() && it->second != ours;
}

void RequestXml(Xml& x, const Open311Request& r) {
  x.Open("request");
  x.Text("service_request_id", r.service_request_id);
  x.Text("status", core::Code(r.status));
  x.Text("status_notes", r.status_notes);
  x.Text("service_name", r.service_name);
  x.Text("service_code", r.service_code);
  x.Text("description", "");
  x.Text("agency_responsible", r.agency_responsible);
  x.Text("service_notice", r.service_notice);
  x.Text("requested_datetime", W3c(r.requested_datetime));
  x.Text("updated_datetime", r.updated_datetime ? W3c(*r.updated_datetime) : "");
  x.Text("expected_datetime", r.expected_datetime ? W3c(*r.expected_datetime) : "");
  x.Text("address", r.address);
  x.Text("address_id", r.address_id);
  x.Text("zipcode", r.zipcode);
  x.Text("lat", r.point ? Json(r.point->lat).dump() : "");
  x.Text("long", r.point ? Json(r.point->lon).dump() : "");
  x.Text("media_url", r.media_url);
  x.Close("request");
}

Json RequestJson(const Open311Request& r) {
  return {{"service_request_id", r.service_request_id},
          {"status", core::Code(r.status)},
          {"status_notes", TextOrNull(r.status_notes)},
          {"service_name", TextOrNull(r.service_name)},
          {"service_code", r.service_code},
          // Descriptions may name people: they stay in the case, not in a public feed.
          {"description", nullptr},
          {"agency_responsible", TextOrNull(r.agency_responsible)},
          {"service_notice", TextOrNull(r.service_notice)},
          {"requested_datetime", W3c(r.requested_datetime)},
          {"updated_datetime", TimeOrNull(r.updated_datetime)},
          {"expected_datetime", TimeOrNull(r.expected_datetime)},
          {"address", TextOrNull(r.address)},
          {"address_id", TextOrNull(r.address_id)},
          {"zipcode", TextOrNull(r.zipcode)},
          {"lat", r.point ? Json(r.point->lat) : Json(nullptr)},
          {"long", r.point ? Json(r.point->lon) : Json(nullptr)},
          {"media_url", TextOrNull(r.media_url)}};
}

http::Response Requests(Format f, const std::vector<Open311Request>& list) {
  Json json = Json::array();
  Xml xml;
  xml.Open("service_requests");
  for (const auto& r : list) {
    json.push_back(RequestJson(r));
    RequestXml(xml, r);
  }
  xml.Close("service_requests");
  return Respond(f, 200, json, xml.str());
}

Json ClientJson(const core::Open311Client& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"active", c.active},
          {"created_at", Iso8601(c.created_at)},
          {"last_used_at", OptionalTime(c.last_used_at)}};
}

}  // namespace

void RegisterOpen311Routes(http::Router& router, const AuthGuard& guard,
                           core::Open311Service& open311, const core::District& district) {
  const std::string jurisdiction = district.code;
  const auto guarded = [jurisdiction](auto&& body) {
    return [jurisdiction, body](http::Request& req) -> http::Response {
      const auto f = FormatOf(req);
      if (!f) {
        return UnknownFormat(req);
      }
      const auto q = QueryMap(req);
      if (OtherJurisdiction(q, jurisdiction)) {
        return Open311Fail(*f,
                           core::Error::Make(core::ErrorCode::kNotFound,
                                             "Unknown jurisdiction_id (this server is " +
                                                 jurisdiction + ").",
                                             "없는 jurisdiction_id입니다."),
                           req);
      }
      return body(req, *f, q);
    };
  };

  router.Get("/open311/v2/services.{format}",
             guarded([](http::Request&, Format f, const std::map<std::string, std::string>&) {
               Json json = Json::array();
               Xml xml;
               xml.Open("services");
               for (const auto& s : core::Open311Services()) {
                 json.push_back({{"service_code", s.code},
                                 {"service_name", s.name},
                                 {"description", s.description},
                                 {"metadata", s.metadata()},
                                 {"type", "realtime"},
                                 {"keywords", s.keywords},
                                 {"group", s.group}});
                 xml.Open("service")
                     .Text("service_code", s.code)
                     .Text("service_name", s.name)
                     .Text("description", s.description)
                     .Bool("metadata", s.metadata())
                     .Text("type", "realtime")
                     .Text("keywords", s.keywords)
                     .Text("group", s.group)
                     .Close("service");
               }
               xml.Close("services");
               return Respond(f, 200, json, xml.str());
             }));

  router.Get("/open311/v2/services/{code}.{format}",
             guarded([](http::Request& req, Format f, const std::map<std::string, std::string>&) {
               const auto* s = core::FindOpen311Service(req.path_params["code"]);
               if (s == nullptr) {
                 return Open311Fail(f,
                                    core::Error::Make(core::ErrorCode::kNotFound,
                                                      "No service with this code.",
                                                      "그런 서비스 코드가 없습니다."),
                                    req);
               }
               Json attributes = Json::array();
               Xml xml;
               xml.Open("service_definition").Text("service_code", s->code).Open("attributes");
               for (const auto& a : s->attributes) {
                 Json values = Json::array();
                 xml.Open("attribute")
                     .Bool("variable", a.variable)
                     .Text("code", a.code)
                     .Text("datatype", core::Code(a.datatype))
                     .Bool("required", a.required)
                     .Text("datatype_description", a.datatype_description)
                     .Text("order", std::to_string(a.order))
                     .Text("description", a.description);
                 if (!a.values.empty()) {
                   xml.Open("values");
                   for (const auto& v : a.values) {
                     values.push_back({{"key", v.key}, {"name", v.name}});
                     xml.Open("value").Text("key", v.key).Text("name", v.name).Close("value");
                   }
                   xml.Close("values");
                 }
                 xml.Close("attribute");
                 Json attr = {{"variable", a.variable},
                              {"code", a.code},
                              {"datatype", core::Code(a.datatype)},
                              {"required", a.required},
                              {"datatype_description", a.datatype_description},
                              {"order", a.order},
                              {"description", a.description}};
                 if (!a.values.empty()) {
                   attr["values"] = values;
                 }
                 attributes.push_back(attr);
               }
               xml.Close("attributes").Close("service_definition");
               return Respond(f, 200, {{"service_code", s->code}, {"attributes", attributes}},
                              xml.str());
             }));

  router.Post("/open311/v2/requests.{format}",
              guarded([&open311](http::Request& req, Format f,
                                 const std::map<std::string, std::string>&) {
                const auto type = req.Header("content-type");
                if (!req.body.empty() && type.find("application/x-www-form-urlencoded") ==
                                             std::string_view::npos) {
                  return Open311Fail(
                      f,
                      core::Error::Make(core::ErrorCode::kBadRequest,
                                        "Send the request as application/x-www-form-urlencoded.",
                                        "요청은 application/x-www-form-urlencoded 형식이어야 "
                                        "합니다."),
                      req);
                }
                // The spec's fields come in the body; some clients put api_key in the query.
                auto form = ParseForm(req.query);
                for (auto& kv : ParseForm(req.body)) {
                  form.push_back(std::move(kv));
                }
                std::string api_key;
                for (const auto& [k, v] : form) {
                  if (k == "api_key") {
                    api_key = v;
                  }
                }
                auto created = open311.Submit(api_key, form, req.remote_ip);
                if (!created.ok()) {
                  if (created.error().code == core::ErrorCode::kForbidden) {
                    spdlog::warn("open311 request refused: bad api_key ip={} request_id={}",
                                 req.remote_ip, req.request_id);
                  }
                  return Open311Fail(f, created.error(), req);
                }
                Xml xml;
                xml.Open("service_requests")
                    .Open("request")
                    .Text("service_request_id", created->service_request_id)
                    .Text("token", created->token)
                    .Text("service_notice", created->service_notice)
                    .Text("account_id", created->account_id)
                    .Close("request")
                    .Close("service_requests");
                return Respond(f, 200,
                               Json::array({{{"service_request_id", created->service_request_id},
                                             {"token", created->token},
                                             {"service_notice", created->service_notice},
                                             {"account_id", TextOrNull(created->account_id)}}}),
                               xml.str());
              }));

  router.Get("/open311/v2/requests.{format}",
             guarded([&open311](http::Request& req, Format f,
                                const std::map<std::string, std::string>& q) {
               auto query = core::ParseOpen311Query(q, std::chrono::system_clock::now());
               if (!query.ok()) {
                 return Open311Fail(f, query.error(), req);
               }
               auto list = open311.List(*query);
               if (!list.ok()) {
                 return Open311Fail(f, list.error(), req);
               }
               return Requests(f, *list);
             }));

  const auto one = guarded([&open311](http::Request& req, Format f,
                                      const std::map<std::string, std::string>&) {
    const auto id = ParsePositive(req.path_params["id"]);
    auto r = id ? open311.Get(*id)
                : core::Result<Open311Request>(core::Error::Make(
                      core::ErrorCode::kNotFound, "No such service request.", "그런 요청이 없습니다."));
    if (!r.ok()) {
      return Open311Fail(f, r.error(), req);
    }
    return Requests(f, {*r});
  });
  router.Get("/open311/v2/requests/{id}.{format}", one);
  router.Get("/open311/v2/request/{id}.{format}", one);

  router.Get("/open311/v2/tokens/{token}.{format}",
             guarded([&open311](http::Request& req, Format f,
                                const std::map<std::string, std::string>&) {
               const std::string token = req.path_params["token"];
               auto id = open311.RequestIdOfToken(token);
               if (!id.ok()) {
                 return Open311Fail(f, id.error(), req);
               }
               Xml xml;
               xml.Open("service_requests")
                   .Open("request")
                   .Text("service_request_id", *id)
                   .Text("token", token)
                   .Close("request")
                   .Close("service_requests");
               return Respond(f, 200,
                              Json::array({{{"service_request_id", *id}, {"token", token}}}),
                              xml.str());
             }));

  // --- The admins' register of apps ---
  using core::Action;
  using core::AuthContext;
  router.Get("/api/v1/open311/clients",
             guard.Guard(Action::kManageOpen311Clients,
                         [&open311](http::Request& req, const AuthContext& ctx) {
                           auto list = open311.ListClients(ctx.actor);
                           if (!list.ok()) {
                             return Fail(list.error(), req);
                           }
                           Json items = Json::array();
                           for (const auto& c : *list) {
                             items.push_back(ClientJson(c));
                           }
                           return http::JsonResponse(200, {{"items", items}});
                         }));
  router.Post("/api/v1/open311/clients",
              guard.Guard(Action::kManageOpen311Clients,
                          [&open311](http::Request& req, const AuthContext& ctx) {
                            auto body = http::ParseJsonObject(req);
                            if (!body.ok()) {
                              return Fail(body.error(), req);
                            }
                            http::ObjectReader r(*body, {"name"});
                            const auto name = r.RequiredString("name");
                            if (auto s = r.Finish(); !s.ok()) {
                              return Fail(s.error(), req);
                            }
                            auto created = open311.CreateClient(ctx.actor, name);
                            if (!created.ok()) {
                              return Fail(created.error(), req);
                            }
                            return http::JsonResponse(
                                201, {{"client", ClientJson(created->client)},
                                      {"api_key", created->api_key}});
                          }));
  router.Post("/api/v1/open311/clients/{id}/deactivate",
              guard.Guard(Action::kManageOpen311Clients,
                          [&open311](http::Request& req, const AuthContext& ctx) {
                            const auto id = ParsePositive(req.path_params["id"]);
                            auto changed =
                                id ? open311.SetClientActive(ctx.actor, *id, false)
                                   : core::Result<core::Open311Client>(core::Error::NotFound(
                                         "Open311 client", "Open311 연동 앱"));
                            if (!changed.ok()) {
                              return Fail(changed.error(), req);
                            }
                            return http::JsonResponse(200, ClientJson(*changed));
                          }));
}

}  // namespace caredesk::app
