// The smart-work calendar: each case worker's secret iCalendar feed (RFC 5545)
// of their open follow-ups and referral deadlines, for the phone's calendar.
//
//   GET    /api/v1/auth/me/calendar-feed     is there one, since when
//   POST   /api/v1/auth/me/calendar-feed     a new secret address (shown once; the old one stops)
//   DELETE /api/v1/auth/me/calendar-feed     stop it
//   GET    /api/v1/calendar-feeds/{token}.ics   the feed, for the calendar app (no session)
//
// Only the SHA-256 of a token is stored, as for sessions. A calendar app cannot
// sign in, so the address is the credential: it names a case number, the kind
// of step, its urgency and an agency, never a resident, and it stops working
// when revoked, when the account is deactivated or no longer works on cases.
// Creating and revoking are on the access record; reading the feed is not (an
// app polls it every hour, and it holds no personal data).
#include "app/route_helpers.hpp"
#include "app/routes.hpp"
#include "core/work_calendar.hpp"

namespace caredesk::app {
namespace {

using core::Action;
using core::AuthContext;
using http::Json;

constexpr std::string_view kFeedPrefix = "/api/v1/calendar-feeds/";
constexpr std::string_view kFeedSuffix = ".ics";
constexpr std::size_t kTokenBytes = 32;

http::Response FeedNotFound(const http::Request& req) {
  // The same answer for a wrong, revoked or deactivated address: nothing to learn from it.
  return Fail(core::Error::NotFound("Calendar feed", "달력 연결"), req);
}

}  // namespace

void RegisterCalendarRoutes(http::Router& router, const AuthGuard& guard, core::CaseService& cases,
                            core::UserRepository& users, core::CalendarFeedRepository& feeds,
                            core::AccessLog& access_log, const core::RandomSource& random,
                            const core::Digester& digester, const core::Clock& clock,
                            core::DistrictId district) {
  auto record = [&access_log, &clock](const AuthContext& ctx, const std::string& action) {
    return access_log.Append(core::AllowedRecord(ctx.actor, clock.Now(), action, "calendar_feed",
                                                 std::to_string(ctx.actor.user_id)));
  };

  router.Get(
      "/api/v1/auth/me/calendar-feed",
      guard.Guard(Action::kViewCases, [&feeds](http::Request& req, const AuthContext& ctx) {
        auto active = feeds.Active(ctx.actor.user_id);
        if (!active.ok()) {
          return Fail(active.error(), req);
        }
        return http::JsonResponse(
            200, {{"active", active->has_value()},
                  {"created_at", *active ? Json(Iso8601((*active)->created_at)) : Json(nullptr)}});
      }));

  router.Post(
      "/api/v1/auth/me/calendar-feed",
      guard.Guard(Action::kViewCases, [&feeds, &random, &digester, &clock, record, district](
                                          http::Request& req, const AuthContext& ctx) {
        const std::string token = random.RandomHex(kTokenBytes);
        auto feed =
            feeds.Replace(district, ctx.actor.user_id, digester.Sha256Hex(token), clock.Now());
        if (!feed.ok()) {
          return Fail(feed.error(), req);
        }
        if (auto a = record(ctx, "create"); !a.ok()) {
          return Fail(a.error(), req);
        }
        return http::JsonResponse(
            201, {{"path", std::string(kFeedPrefix) + token + std::string(kFeedSuffix)},
                  {"created_at", Iso8601(feed->created_at)}});
      }));

  router.Add("DELETE", "/api/v1/auth/me/calendar-feed",
             guard.Guard(Action::kViewCases,
                         [&feeds, &clock, record](http::Request& req, const AuthContext& ctx) {
                           if (auto s = feeds.RevokeAll(ctx.actor.user_id, clock.Now()); !s.ok()) {
                             return Fail(s.error(), req);
                           }
                           if (auto a = record(ctx, "revoke"); !a.ok()) {
                             return Fail(a.error(), req);
                           }
                           http::Response res;
                           res.status = 204;
                           return res;
                         }));

  router.Get(std::string(kFeedPrefix) + "{file}", [&cases, &users, &feeds, &digester, &clock,
                                                   district](http::Request& req) {
    const std::string& file = req.path_params.at("file");
    if (file.size() != 2 * kTokenBytes + kFeedSuffix.size() || !file.ends_with(kFeedSuffix)) {
      return FeedNotFound(req);
    }
    const std::string token = file.substr(0, 2 * kTokenBytes);
    auto feed = feeds.Find(digester.Sha256Hex(token));
    if (!feed.ok()) {
      return feed.error().code == core::ErrorCode::kNotFound ? FeedNotFound(req)
                                                             : Fail(feed.error(), req);
    }
    auto user = users.Get(feed->user_id);
    if (!user.ok() || !user->active || user->district_id != district) {
      return FeedNotFound(req);
    }
    auto events = cases.WorkCalendar(core::ActorOf(*user, req.remote_ip));
    if (!events.ok()) {
      const auto code = events.error().code;
      return code == core::ErrorCode::kForbidden || code == core::ErrorCode::kNotFound
                 ? FeedNotFound(req)
                 : Fail(events.error(), req);
    }
    http::Response res;
    res.content_type = "text/calendar; charset=utf-8";
    res.body = core::RenderICalendar("CareDesk 업무 · " + user->display_name, *events, clock.Now());
    res.headers.emplace_back("Content-Disposition", "inline; filename=\"caredesk.ics\"");
    return res;
  });
}

}  // namespace caredesk::app
