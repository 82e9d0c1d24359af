// Automated check-ins (core/checkin_service.hpp):
//
//   POST /api/v1/residents/{id}/devices      register a care robot / call service (secret shown
//   once) GET  /api/v1/residents/{id}/devices      the resident's devices POST
//   /api/v1/devices/{id}/deactivate     stop accepting its reports POST /api/v1/checkins a device's
//   report, no session: signed with
//        X-Device-Id, X-Timestamp (Unix seconds), X-Nonce (16-64 of [A-Za-z0-9_-]) and
//        X-Signature = hex HMAC-SHA256(secret, "POST\n/api/v1/checkins\n" + timestamp + "\n" +
//        nonce + "\n" + body); body {"result": ..., "observed_at": RFC 3339, optional}.
#include <spdlog/spdlog.h>

#include "app/route_helpers.hpp"
#include "app/routes.hpp"
#include "core/checkin_service.hpp"

namespace caredesk::app {
namespace {

using core::Action;
using core::AuthContext;
using http::Json;

Json DeviceJson(const core::CheckinDevice& d) {
  return {{"id", d.id},
          {"resident_id", d.resident_id},
          {"owner_id", d.owner_id},
          {"device_uid", d.device_uid},
          {"label", d.label},
          {"kind", d.kind},
          {"active", d.active},
          {"created_at", Iso8601(d.created_at)},
          {"last_result",
           d.last_result ? Json(std::string(core::Code(*d.last_result))) : Json(nullptr)},
          {"last_at", OptionalTime(d.last_at)},
          {"missed_in_a_row", d.missed_in_a_row},
          {"open_case_id", d.open_case ? Json(*d.open_case) : Json(nullptr)}};
}

std::optional<std::int64_t> IdParam(const http::Request& req) {
  const auto it = req.path_params.find("id");
  return it == req.path_params.end() ? std::nullopt : ParsePositive(it->second);
}

}  // namespace

void RegisterCheckinRoutes(http::Router& router, const AuthGuard& guard,
                           core::CheckinService& checkins) {
  router.Post(
      "/api/v1/residents/{id}/devices",
      guard.Guard(Action::kCreateCase, [&checkins](http::Request& req, const AuthContext& ctx) {
        const auto id = IdParam(req);
        if (!id) {
          return Fail(core::Error::NotFound("Resident", "대상자"), req);
        }
        auto body = http::ParseJsonObject(req);
        if (!body.ok()) {
          return Fail(body.error(), req);
        }
        http::ObjectReader r(*body, {"device_uid", "label", "kind"});
        core::NewCheckinDevice in;
        in.device_uid = r.RequiredString("device_uid");
        in.label = r.RequiredString("label");
        in.kind = r.OptionalString("kind").value_or("robot");
        if (auto s = r.Finish(); !s.ok()) {
          return Fail(s.error(), req);
        }
        auto registered = checkins.Register(ctx.actor, *id, in);
        if (!registered.ok()) {
          return Fail(registered.error(), req);
        }
        return http::JsonResponse(
            201, {{"device", DeviceJson(registered->device)}, {"secret", registered->secret}});
      }));

  router.Get(
      "/api/v1/residents/{id}/devices",
      guard.Guard(Action::kCreateCase, [&checkins](http::Request& req, const AuthContext& ctx) {
        const auto id = IdParam(req);
        if (!id) {
          return Fail(core::Error::NotFound("Resident", "대상자"), req);
        }
        auto list = checkins.List(ctx.actor, *id);
        if (!list.ok()) {
          return Fail(list.error(), req);
        }
        Json items = Json::array();
        for (const auto& d : *list) {
          items.push_back(DeviceJson(d));
        }
        return http::JsonResponse(200, {{"items", items}});
      }));

  router.Post(
      "/api/v1/devices/{id}/deactivate",
      guard.Guard(Action::kCreateCase, [&checkins](http::Request& req, const AuthContext& ctx) {
        const auto id = IdParam(req);
        if (!id) {
          return Fail(core::Error::NotFound("Check-in device", "안부 확인 기기"), req);
        }
        auto d = checkins.Deactivate(ctx.actor, *id);
        if (!d.ok()) {
          return Fail(d.error(), req);
        }
        return http::JsonResponse(200, {{"device", DeviceJson(*d)}});
      }));

  router.Post("/api/v1/checkins", [&checkins](http::Request& req) {
    core::SignedCheckin report;
    report.device_uid = std::string(req.Header("x-device-id"));
    report.timestamp = std::string(req.Header("x-timestamp"));
    report.nonce = std::string(req.Header("x-nonce"));
    report.signature = std::string(req.Header("x-signature"));
    report.body = req.body;
    report.ip = req.remote_ip;
    // The body's problems are answered after the signature is checked (CheckinService).
    if (auto body = http::ParseJsonObject(req); !body.ok()) {
      report.body_error = body.error();
    } else {
      http::ObjectReader r(*body, {"result", "observed_at"});
      report.result = r.RequiredString("result");
      if (auto at = r.OptionalString("observed_at")) {
        report.observed_at = ParseRfc3339(*at);
        if (!report.observed_at) {
          report.body_error = core::Error::Validation(
              {{"observed_at", "invalid", "Must be RFC 3339, e.g. 2026-12-01T09:00:00+09:00.",
                "RFC 3339 형식이어야 합니다. 예: 2026-12-01T09:00:00+09:00"}});
        }
      }
      if (auto s = r.Finish(); !s.ok() && !report.body_error) {
        report.body_error = s.error();
      }
    }
    auto outcome = checkins.Receive(report);
    if (!outcome.ok()) {
      const auto& e = outcome.error();
      if (e.code == core::ErrorCode::kInternal || e.code == core::ErrorCode::kUnavailable) {
        spdlog::error("check-in device={} not handled: {} {}", report.device_uid.substr(0, 64),
                      e.message, e.internal_detail);
      } else if (e.code != core::ErrorCode::kValidationFailed) {
        spdlog::warn("check-in refused ip={} {}", req.remote_ip, e.internal_detail);
      }
      return Fail(e, req);
    }
    if (outcome->decision.escalate) {
      spdlog::info("check-in device={} {}: case={} ({})", outcome->device.device_uid,
                   outcome->decision.reason, *outcome->case_id,
                   outcome->new_case ? "new case" : "follow-up added");
    }
    return http::JsonResponse(
        202,
        {{"received", true},
         {"escalated", outcome->decision.escalate},
         {"reason", outcome->decision.escalate ? Json(outcome->decision.reason) : Json(nullptr)}});
  });
}

}  // namespace caredesk::app
