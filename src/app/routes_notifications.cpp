// Notifications (core/notification_service.hpp), admins only:
//
//   GET    /api/v1/notification-templates                      every kind and channel in effect
//   PUT    /api/v1/notification-templates/{kind}/{channel}     {"body": ...}
//   DELETE /api/v1/notification-templates/{kind}/{channel}     back to the built-in text
//   POST   /api/v1/notification-templates/{kind}/{channel}/preview  {"body"} -> example text
//   GET    /api/v1/outbox?status=&before=&limit=               messages, newest first, + counts
//   POST   /api/v1/outbox/{id}/requeue                         a dead message back to pending
//
// The outbox list names kinds, channels, statuses, attempts and case numbers: never a phone
// number or an e-mail address (they are not in the outbox at all).
#include "app/route_helpers.hpp"
#include "app/routes.hpp"
#include "core/notification_service.hpp"

namespace caredesk::app {
namespace {

using core::Action;
using core::AuthContext;
using http::Json;

Json TemplateJson(const core::TemplateView& v) {
  Json placeholders = Json::array();
  for (const auto p : v.placeholders) {
    placeholders.push_back(std::string(p));
  }
  return {{"kind", std::string(core::Code(v.t.kind))},
          {"channel", std::string(core::Code(v.t.channel))},
          {"audience", core::ForResident(v.t.kind) ? "resident" : "staff"},
          {"body", v.t.body},
          {"builtin", v.builtin},
          {"builtin_body", v.builtin_body},
          {"placeholders", placeholders},
          {"updated_by", v.builtin ? Json(nullptr) : Json(v.t.updated_by)},
          {"updated_at", v.builtin ? Json(nullptr) : OptionalTime(v.t.updated_at)}};
}

Json MessageJson(const core::OutboxMessage& m) {
  return {
      {"id", m.id},
      {"kind", std::string(core::Code(m.n.kind))},
      {"audience", core::ForResident(m.n.kind) ? "resident" : "staff"},
      {"channel", m.channel ? Json(std::string(core::Code(*m.channel))) : Json(nullptr)},
      {"status", std::string(core::Code(m.status))},
      {"attempts", m.attempts},
      {"case_id", m.n.case_id ? Json(*m.n.case_id) : Json(nullptr)},
      {"case_number", m.case_number.empty() ? Json(nullptr) : Json(m.case_number)},
      {"created_at", Iso8601(m.created_at)},
      {"next_attempt_at",
       m.status == core::OutboxStatus::kPending ? Json(Iso8601(m.next_attempt_at)) : Json(nullptr)},
      {"sent_at", OptionalTime(m.sent_at)},
      {"last_error", m.last_error}};
}

struct KindChannel {
  core::NotificationKind kind;
  core::NotificationChannel channel;
};

std::optional<KindChannel> KindChannelOf(const http::Request& req) {
  const auto k = req.path_params.find("kind");
  const auto c = req.path_params.find("channel");
  if (k == req.path_params.end() || c == req.path_params.end()) {
    return std::nullopt;
  }
  const auto kind = core::Parse<core::NotificationKind>(k->second);
  const auto channel = core::Parse<core::NotificationChannel>(c->second);
  if (!kind || !channel) {
    return std::nullopt;
  }
  if (!core::GoesBy(*kind, *channel)) {
    return std::nullopt;
  }
  return KindChannel{*kind, *channel};
}

core::Error NoTemplate() { return core::Error::NotFound("Template", "알림 문구"); }

core::Result<std::string> BodyOf(const http::Request& req) {
  auto body = http::ParseJsonObject(req);
  if (!body.ok()) {
    return std::move(body).error();
  }
  http::ObjectReader r(*body, {"body"});
  auto text = r.RequiredString("body");
  if (auto s = r.Finish(); !s.ok()) {
    return s.error();
  }
  return text;
}

}  // namespace

void RegisterNotificationRoutes(http::Router& router, const AuthGuard& guard,
                                core::NotificationService& notifications) {
  router.Get("/api/v1/notification-templates",
             guard.Guard(Action::kManageNotifications,
                         [&notifications](http::Request& req, const AuthContext& ctx) {
                           auto list = notifications.Templates(ctx.actor);
                           if (!list.ok()) {
                             return Fail(list.error(), req);
                           }
                           Json items = Json::array();
                           for (const auto& t : *list) {
                             items.push_back(TemplateJson(t));
                           }
                           return http::JsonResponse(200, {{"items", items}});
                         }));

  router.Add("PUT", "/api/v1/notification-templates/{kind}/{channel}",
             guard.Guard(Action::kManageNotifications, [&notifications](http::Request& req,
                                                                        const AuthContext& ctx) {
               const auto kc = KindChannelOf(req);
               if (!kc) {
                 return Fail(NoTemplate(), req);
               }
               auto body = BodyOf(req);
               if (!body.ok()) {
                 return Fail(body.error(), req);
               }
               auto t = notifications.PutTemplate(ctx.actor, kc->kind, kc->channel, *body);
               if (!t.ok()) {
                 return Fail(t.error(), req);
               }
               return http::JsonResponse(200, {{"template", TemplateJson(*t)}});
             }));

  router.Add("DELETE", "/api/v1/notification-templates/{kind}/{channel}",
             guard.Guard(Action::kManageNotifications,
                         [&notifications](http::Request& req, const AuthContext& ctx) {
                           const auto kc = KindChannelOf(req);
                           if (!kc) {
                             return Fail(NoTemplate(), req);
                           }
                           auto t = notifications.ResetTemplate(ctx.actor, kc->kind, kc->channel);
                           if (!t.ok()) {
                             return Fail(t.error(), req);
                           }
                           return http::JsonResponse(200, {{"template", TemplateJson(*t)}});
                         }));

  router.Post("/api/v1/notification-templates/{kind}/{channel}/preview",
              guard.Guard(Action::kManageNotifications, [&notifications](http::Request& req,
                                                                         const AuthContext& ctx) {
                const auto kc = KindChannelOf(req);
                if (!kc) {
                  return Fail(NoTemplate(), req);
                }
                auto body = BodyOf(req);
                if (!body.ok()) {
                  return Fail(body.error(), req);
                }
                auto text = notifications.Preview(ctx.actor, kc->kind, kc->channel, *body);
                if (!text.ok()) {
                  return Fail(text.error(), req);
                }
                return http::JsonResponse(200, {{"text", *text}});
              }));

  router.Get(
      "/api/v1/outbox",
      guard.Guard(Action::kManageNotifications, [&notifications](http::Request& req,
                                                                 const AuthContext& ctx) {
        core::OutboxQuery q;
        std::vector<core::FieldViolation> v;
        if (const auto s = req.QueryParam("status"); s && !s->empty()) {
          q.status = core::Parse<core::OutboxStatus>(*s);
          if (!q.status) {
            v.push_back({"status", "invalid", "Use pending, sent, skipped or dead.",
                         "pending, sent, skipped, dead 중 하나여야 합니다."});
          }
        }
        if (const auto b = req.QueryParam("before"); b && !b->empty()) {
          q.before_id = ParsePositive(*b);
          if (!q.before_id) {
            v.push_back({"before", "invalid", "Must be a message id.", "알림 번호여야 합니다."});
          }
        }
        if (const auto l = req.QueryParam("limit"); l && !l->empty()) {
          const auto n = ParsePositive(*l);
          constexpr std::int64_t kMaxLimit = 200;
          if (!n || *n > kMaxLimit) {
            v.push_back({"limit", "invalid", "Must be 1 to 200.", "1부터 200 사이여야 합니다."});
          } else {
            q.limit = static_cast<int>(*n);
          }
        }
        if (!v.empty()) {
          return Fail(core::Error::Validation(std::move(v)), req);
        }
        auto view = notifications.Outbox(ctx.actor, q);
        if (!view.ok()) {
          return Fail(view.error(), req);
        }
        Json items = Json::array();
        for (const auto& m : view->messages) {
          items.push_back(MessageJson(m));
        }
        Json counts = Json::object();
        for (const auto& [status, n] : view->counts) {
          counts[std::string(core::Code(status))] = n;
        }
        return http::JsonResponse(
            200, {{"items", items},
                  {"counts", counts},
                  {"next_before", view->next_before ? Json(*view->next_before) : Json(nullptr)}});
      }));

  router.Post("/api/v1/outbox/{id}/requeue",
              guard.Guard(Action::kManageNotifications,
                          [&notifications](http::Request& req, const AuthContext& ctx) {
                            const auto it = req.path_params.find("id");
                            const auto id = it == req.path_params.end() ? std::nullopt
                                                                        : ParsePositive(it->second);
                            if (!id) {
                              return Fail(core::Error::NotFound("Outbox message", "알림"), req);
                            }
                            if (auto s = notifications.Requeue(ctx.actor, *id); !s.ok()) {
                              return Fail(s.error(), req);
                            }
                            return http::JsonResponse(200, {{"requeued", true}});
                          }));
}

}  // namespace caredesk::app
