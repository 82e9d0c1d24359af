// The resident portal (core/portal_service.hpp), no session:
//
//   GET  /api/v1/portal/choices   the dongs and categories the form offers
//   POST /api/v1/portal/requests  ask anything, or report a neighbour: 201 with the receipt
//   POST /api/v1/portal/lookup    {receipt, phone_last4}: the status, next step and answers
//
// Both POSTs are limited per client address (portal.*_per_hour); the lookup also per
// receipt. JSON only (415 otherwise), so a cross-site form cannot post here.
#include <spdlog/spdlog.h>

#include <memory>

#include "app/route_helpers.hpp"
#include "app/routes.hpp"
#include "core/portal_service.hpp"
#include "http/rate_limiter.hpp"

namespace caredesk::app {
namespace {

using http::Json;

// A form is a few thousand characters; anything much larger is not a resident typing.
constexpr std::size_t kMaxPortalBodyBytes = 16 * 1024;

Json DateOrNull(const std::optional<core::Date>& d) {
  return d ? Json(core::FormatDate(*d)) : Json(nullptr);
}

Json CategoryJson(std::string_view code) {
  const auto info = core::FindCategory(code);
  return {{"code", code},
          {"label_ko", info ? info->label_ko : code},
          {"label_en", info ? info->label_en : code}};
}

Json PublicViewJson(const core::PublicCaseView& v) {
  Json answers = Json::array();
  for (const auto& a : v.answers) {
    answers.push_back({{"at", Iso8601(a.at)}, {"text", a.text}});
  }
  return {{"receipt", v.receipt},
          {"received_on", v.received_on},
          {"status",
           {{"code", v.status.code},
            {"label_ko", v.status.label_ko},
            {"label_en", v.status.label_en},
            {"explanation_ko", v.status.explanation_ko}}},
          {"category", CategoryJson(v.category)},
          {"dong_name", v.dong_name},
          {"third_party", v.third_party},
          {"next_step_on", DateOrNull(v.next_step_on)},
          {"resolved_on", DateOrNull(v.resolved_on)},
          {"answers", answers}};
}

http::Response TooMany(const http::Request& req, int retry_after_seconds, const std::string& what) {
  spdlog::warn("portal {} refused: too many from ip={} request_id={}", what, req.remote_ip,
               req.request_id);
  auto e = core::Error::Make(core::ErrorCode::kRateLimited,
                             "Too many requests from this address. Try again later.",
                             "요청이 너무 많습니다. 잠시 뒤에 다시 해 주세요.");
  e.retry_after_seconds = retry_after_seconds;
  return Fail(e, req);
}

// Per-hour limits as token buckets: the whole hour's allowance may come at once.
std::shared_ptr<http::RateLimiter> HourlyLimiter(int per_hour) {
  constexpr double kSecondsPerHour = 3600.0;
  return std::make_shared<http::RateLimiter>(per_hour / kSecondsPerHour, per_hour);
}

core::Result<Json> ReadBody(const http::Request& req) {
  if (req.body.size() > kMaxPortalBodyBytes) {
    return core::Error::Make(core::ErrorCode::kPayloadTooLarge, "The form is too large.",
                             "보낸 내용이 너무 깁니다. 줄여서 다시 보내 주세요.");
  }
  return http::ParseJsonObject(req);
}

}  // namespace

void RegisterPortalRoutes(http::Router& router, core::PortalService& portal,
                          const PortalConfig& config) {
  router.Get("/api/v1/portal/choices", [&portal](http::Request& req) {
    auto choices = portal.Choices();
    if (!choices.ok()) {
      return Fail(choices.error(), req);
    }
    Json dongs = Json::array();
    for (const auto& d : choices->dongs) {
      dongs.push_back({{"id", d.id}, {"name", d.name}});
    }
    Json categories = Json::array();
    for (const auto& c : choices->categories) {
      categories.push_back({{"code", c.code}, {"label_ko", c.label_ko}, {"label_en", c.label_en}});
    }
    Json ways = Json::array();
    for (const auto w : core::AllValues<core::ContactWay>()) {
      ways.push_back({{"code", core::Code(w)}, {"label_ko", core::LabelKo(w)}});
    }
    Json times = Json::array();
    for (const auto t : core::AllValues<core::ContactTime>()) {
      times.push_back({{"code", core::Code(t)}, {"label_ko", core::LabelKo(t)}});
    }
    auto response = http::JsonResponse(200, {{"district_name", choices->district_name},
                                             {"dongs", dongs},
                                             {"categories", categories},
                                             {"contact_ways", ways},
                                             {"contact_times", times}});
    return response;
  });

  auto submissions = HourlyLimiter(config.submissions_per_hour);
  router.Post("/api/v1/portal/requests", [&portal, submissions](http::Request& req) {
    const auto now = std::chrono::steady_clock::now();
    if (!submissions->Allow(req.remote_ip, now)) {
      return TooMany(req, submissions->RetryAfterSeconds(req.remote_ip, now), "submission");
    }
    auto body = ReadBody(req);
    if (!body.ok()) {
      return Fail(body.error(), req);
    }
    http::ObjectReader r(*body, {"kind", "text", "category", "dong_id", "name", "phone",
                                 "contact_way", "contact_time", "texts", "place", "reporter_name",
                                 "reporter_phone", "relation", "website", "easy_read"});
    core::PortalRequest in;
    in.kind = r.OptionalString("kind").value_or("ask");
    in.text = r.OptionalString("text").value_or("");
    in.category = r.OptionalString("category").value_or("");
    in.dong_id = r.OptionalId("dong_id");
    in.name = r.OptionalString("name").value_or("");
    in.phone = r.OptionalString("phone").value_or("");
    in.contact_way = r.OptionalString("contact_way").value_or("call");
    in.contact_time = r.OptionalString("contact_time").value_or("any");
    in.texts = r.OptionalBool("texts").value_or(true);
    in.place = r.OptionalString("place").value_or("");
    in.reporter_name = r.OptionalString("reporter_name").value_or("");
    in.reporter_phone = r.OptionalString("reporter_phone").value_or("");
    in.relation = r.OptionalString("relation").value_or("");
    in.website = r.OptionalString("website").value_or("");
    (void)r.OptionalBool("easy_read");  // which form was used; the request is the same
    if (auto s = r.Finish(); !s.ok()) {
      return Fail(s.error(), req);
    }
    auto receipt = portal.Submit(in, req.remote_ip);
    if (!receipt.ok()) {
      return Fail(receipt.error(), req);
    }
    if (receipt->accepted_as_robot) {
      spdlog::warn("portal submission dropped: honeypot filled ip={} request_id={}", req.remote_ip,
                   req.request_id);
      return http::JsonResponse(202, {{"accepted", true}});
    }
    return http::JsonResponse(201, {{"accepted", true},
                                    {"receipt", receipt->receipt},
                                    {"received_on", receipt->received_on},
                                    {"next_step_on", DateOrNull(receipt->next_step_on)},
                                    {"dong_name", receipt->dong_name},
                                    {"lookup_possible", receipt->lookup_possible}});
  });

  auto lookups = HourlyLimiter(config.lookups_per_hour);
  router.Post("/api/v1/portal/lookup", [&portal, lookups](http::Request& req) {
    const auto now = std::chrono::steady_clock::now();
    if (!lookups->Allow(req.remote_ip, now)) {
      return TooMany(req, lookups->RetryAfterSeconds(req.remote_ip, now), "lookup");
    }
    auto body = ReadBody(req);
    if (!body.ok()) {
      return Fail(body.error(), req);
    }
    http::ObjectReader r(*body, {"receipt", "phone_last4"});
    const auto receipt = r.RequiredString("receipt");
    const auto last4 = r.RequiredString("phone_last4");
    if (auto s = r.Finish(); !s.ok()) {
      return Fail(s.error(), req);
    }
    auto view = portal.Lookup(receipt, last4, req.remote_ip);
    if (!view.ok()) {
      if (view.error().code == core::ErrorCode::kRateLimited) {
        spdlog::warn("portal lookup refused: receipt locked ip={} request_id={}", req.remote_ip,
                     req.request_id);
      }
      return Fail(view.error(), req);
    }
    auto response = http::JsonResponse(200, PublicViewJson(*view));
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  });
}

}  // namespace caredesk::app
