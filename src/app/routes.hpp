// Thin HTTP handlers: decode, call the port or core, encode.
#pragma once

#include "app/auth_guard.hpp"
#include "app/config.hpp"
#include "app/triage_service.hpp"
#include "core/auth_service.hpp"
#include "core/case_service.hpp"
#include "core/checkin_service.hpp"
#include "core/directory.hpp"
#include "core/notification_service.hpp"
#include "core/open311_service.hpp"
#include "core/report_service.hpp"
#include "core/portal_service.hpp"
#include "core/screening_service.hpp"
#include "core/ports/directory_repository.hpp"
#include "core/triage.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "storage/storage.hpp"

namespace caredesk::app {

// GET /healthz, /readyz, /metrics.
void RegisterHealthRoutes(http::Router& router, storage::Storage& storage, http::Metrics& metrics);

// The district's organisation: dongs, desks, categories, agencies.
void RegisterDirectoryRoutes(http::Router& router, const AuthGuard& guard,
                             core::DirectoryRepository& directory, const core::District& district);

// Sign-in, sessions, accounts and the access records.
void RegisterAuthRoutes(http::Router& router, core::AuthService& auth, const AuthGuard& guard,
                        core::AccessLog& access_log, bool secure_cookie);

// Residents, cases, referrals, follow-ups, today's work, holidays.
void RegisterCaseRoutes(http::Router& router, const AuthGuard& guard, core::CaseService& cases,
                        core::HolidayRepository& holidays, core::AccessLog& access_log,
                        core::DistrictId district, const core::Clock& clock);

// The own secret iCalendar feed (GET/POST/DELETE /api/v1/auth/me/calendar-feed) and the feed
// itself (GET /api/v1/calendar-feeds/{token}.ics, no session).
void RegisterCalendarRoutes(http::Router& router, const AuthGuard& guard, core::CaseService& cases,
                            core::UserRepository& users, core::CalendarFeedRepository& feeds,
                            core::AccessLog& access_log, const core::RandomSource& random,
                            const core::Digester& digester, const core::Clock& clock,
                            core::DistrictId district);

// Check-in devices of residents and their signed reports (POST /api/v1/checkins, no session).
void RegisterCheckinRoutes(http::Router& router, const AuthGuard& guard,
                           core::CheckinService& checkins);

// The blind-spot screening: runs and their outreach lists, outcomes, the funnel, the model.
void RegisterScreeningRoutes(http::Router& router, const AuthGuard& guard,
                             core::ScreeningService& screening);

// The resident portal, no session: GET /api/v1/portal/choices, POST /api/v1/portal/requests,
// POST /api/v1/portal/lookup (limited per client address by `config`).
void RegisterPortalRoutes(http::Router& router, core::PortalService& portal,
                          const PortalConfig& config);

// Open311 GeoReport v2 at /open311/v2/ (XML and JSON; api_key for POST), and the admins'
// register of apps: GET/POST /api/v1/open311/clients, POST /api/v1/open311/clients/{id}/deactivate.
void RegisterOpen311Routes(http::Router& router, const AuthGuard& guard,
                           core::Open311Service& open311, const core::District& district);

// Message templates and the outbox (admins): GET/PUT/DELETE /api/v1/notification-templates/...,
// GET /api/v1/outbox, POST /api/v1/outbox/{id}/requeue.
void RegisterNotificationRoutes(http::Router& router, const AuthGuard& guard,
                                core::NotificationService& notifications);

// Triage of an intake text (POST /api/v1/triage), the model's figures and retraining
// (GET /api/v1/triage/model, POST /api/v1/triage/retrain).
void RegisterTriageRoutes(http::Router& router, const AuthGuard& guard, TriageService& triage,
                          core::CaseRepository& cases, core::DirectoryRepository& directory,
                          core::AccessLog& access_log, core::DistrictId district,
                          const core::Clock& clock);

// Performance reports: GET /api/v1/reports/kinds, /run (json, csv, xlsx), definitions
// (GET/POST, DELETE /{id}, POST /{id}/editions), editions (GET, GET /{id}); weekly work
// reports: GET /api/v1/work-reports, PUT /api/v1/work-reports/comment.
void RegisterReportRoutes(http::Router& router, const AuthGuard& guard,
                          core::ReportService& reports, core::DirectoryRepository& directory,
                          core::UserRepository& users, const core::District& district,
                          const core::Clock& clock);

}  // namespace caredesk::app
