#include "storage/sql/migrations.hpp"

#include <chrono>

namespace caredesk::storage::sql {
namespace {

// Arbitrary constant that identifies CareDesk's migration lock in pg_locks.
constexpr std::int64_t kMigrationLockKey = 0x43617265446573;  // "CareDes"

constexpr std::string_view kV1Directory = R"SQL(
CREATE TABLE districts (
  id {{pk}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);
CREATE TABLE dongs (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  name TEXT NOT NULL,
  short_name TEXT NOT NULL,
  UNIQUE (district_id, name)
);
CREATE TABLE desks (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  dong_id {{bigint}} REFERENCES dongs(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('dong_center', 'district_desk')),
  UNIQUE (district_id, name)
);
CREATE TABLE agencies (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('internal', 'external')),
  contact TEXT NOT NULL,
  response_hours INTEGER NOT NULL CHECK (response_hours > 0),
  version {{bigint}} NOT NULL DEFAULT 1,
  UNIQUE (district_id, name)
);
CREATE TABLE agency_categories (
  agency_id {{bigint}} NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
  category TEXT NOT NULL,
  PRIMARY KEY (agency_id, category)
);
CREATE INDEX agency_categories_by_category ON agency_categories (category);
)SQL";

// Accounts, sessions and the tamper-evident access records. Times are
// microseconds since the Unix epoch (UTC) on both backends.
constexpr std::string_view kV2Identity = R"SQL(
CREATE TABLE users (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  login TEXT NOT NULL,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('counselor', 'case_manager', 'agency_officer', 'supervisor',
                                     'auditor', 'admin')),
  dong_id {{bigint}} REFERENCES dongs(id),
  agency_id {{bigint}} REFERENCES agencies(id),
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 1,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until {{bigint}},
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_secret_sealed {{blob}},
  active INTEGER NOT NULL DEFAULT 1,
  version {{bigint}} NOT NULL DEFAULT 1,
  UNIQUE (district_id, login)
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id {{bigint}} NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at {{bigint}} NOT NULL,
  last_seen_at {{bigint}} NOT NULL,
  expires_at {{bigint}} NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  second_factor_pending INTEGER NOT NULL DEFAULT 0,
  revoked_at {{bigint}}
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE access_records (
  id {{bigint}} PRIMARY KEY,
  at {{bigint}} NOT NULL,
  user_id {{bigint}} NOT NULL,
  role TEXT NOT NULL,
  ip TEXT NOT NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  purpose TEXT NOT NULL,
  outcome TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX access_records_by_user ON access_records (user_id, id);
CREATE INDEX access_records_by_target ON access_records (target_type, target_id, id);
CREATE INDEX access_records_by_time ON access_records (at);
)SQL";

// Residents, cases and everything that belongs to a case. Personal fields are
// sealed (BLOB *_sealed columns) with a per-resident data key, or a per-case
// key for a case without a resident; the data keys are stored sealed by the
// master key, and destroying one (sealed_key = NULL) shreds every field it
// sealed. Lookups use keyed blind indexes; search uses keyed bigram postings.
// Times are microseconds since the Unix epoch (UTC); dates are YYYY-MM-DD text.
// User ids (counselor, owner, ...) carry no foreign key: 0/NULL means nobody.
constexpr std::string_view kV3Cases = R"SQL(
CREATE TABLE data_keys (
  id {{pk}},
  sealed_key {{blob}},
  key_id {{bigint}},
  created_at {{bigint}} NOT NULL,
  destroyed_at {{bigint}}
);
CREATE TABLE residents (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  dong_id {{bigint}} REFERENCES dongs(id),
  data_key_id {{bigint}} NOT NULL REFERENCES data_keys(id),
  name_sealed {{blob}},
  birth_date_sealed {{blob}},
  phone_sealed {{blob}},
  address_sealed {{blob}},
  rrn_sealed {{blob}},
  safety_note_sealed {{blob}},
  birth_year INTEGER,
  name_birth_index TEXT,
  phone_index TEXT,
  living_alone INTEGER NOT NULL DEFAULT 0,
  members INTEGER NOT NULL DEFAULT 1,
  disability INTEGER NOT NULL DEFAULT 0,
  housing_type TEXT NOT NULL DEFAULT 'unknown',
  tags TEXT NOT NULL DEFAULT '[]',
  rrn_legal_basis TEXT NOT NULL DEFAULT '',
  erased INTEGER NOT NULL DEFAULT 0,
  created_at {{bigint}} NOT NULL,
  version {{bigint}} NOT NULL DEFAULT 1
);
CREATE INDEX residents_by_name_birth ON residents (district_id, name_birth_index);
CREATE INDEX residents_by_phone ON residents (district_id, phone_index);
CREATE INDEX residents_by_data_key ON residents (data_key_id);
CREATE TABLE case_number_sequences (
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  year INTEGER NOT NULL,
  next_seq {{bigint}} NOT NULL,
  PRIMARY KEY (district_id, year)
);
CREATE TABLE cases (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  number TEXT NOT NULL,
  year INTEGER NOT NULL,
  seq {{bigint}} NOT NULL,
  dong_id {{bigint}} NOT NULL REFERENCES dongs(id),
  desk_id {{bigint}} REFERENCES desks(id),
  channel TEXT NOT NULL,
  reporter_kind TEXT NOT NULL,
  reporter_name_sealed {{blob}},
  reporter_relation TEXT NOT NULL DEFAULT '',
  reporter_contact_sealed {{blob}},
  resident_id {{bigint}} REFERENCES residents(id),
  data_key_id {{bigint}} NOT NULL REFERENCES data_keys(id),
  primary_category TEXT NOT NULL,
  secondary_categories TEXT NOT NULL DEFAULT '[]',
  urgency TEXT NOT NULL,
  status TEXT NOT NULL,
  counselor_id {{bigint}} NOT NULL,
  case_manager_id {{bigint}},
  summary_sealed {{blob}},
  resolution_note_sealed {{blob}},
  close_note_sealed {{blob}},
  waiting_on_resident INTEGER NOT NULL DEFAULT 0,
  received_on TEXT NOT NULL DEFAULT '',
  deadline_extended INTEGER NOT NULL DEFAULT 0,
  clock_pauses TEXT NOT NULL DEFAULT '[]',
  opened_at {{bigint}} NOT NULL,
  resolved_at {{bigint}},
  closed_at {{bigint}},
  next_due_at {{bigint}},
  version {{bigint}} NOT NULL DEFAULT 1,
  UNIQUE (district_id, number),
  UNIQUE (district_id, year, seq)
);
CREATE INDEX cases_by_dong ON cases (district_id, dong_id, id);
CREATE INDEX cases_by_status ON cases (district_id, status, id);
CREATE INDEX cases_by_urgency ON cases (district_id, urgency, id);
CREATE INDEX cases_by_counselor ON cases (counselor_id, id);
CREATE INDEX cases_by_case_manager ON cases (case_manager_id, id);
CREATE INDEX cases_by_resident ON cases (resident_id);
CREATE INDEX cases_by_next_due ON cases (next_due_at);
CREATE TABLE case_categories (
  case_id {{bigint}} NOT NULL REFERENCES cases(id),
  category TEXT NOT NULL,
  PRIMARY KEY (case_id, category)
);
CREATE INDEX case_categories_by_category ON case_categories (category, case_id);
CREATE TABLE case_shares (
  case_id {{bigint}} NOT NULL REFERENCES cases(id),
  user_id {{bigint}} NOT NULL,
  PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_shares_by_user ON case_shares (user_id, case_id);
CREATE TABLE consultations (
  id {{pk}},
  case_id {{bigint}} NOT NULL REFERENCES cases(id),
  counselor_id {{bigint}} NOT NULL,
  at {{bigint}} NOT NULL,
  kind TEXT NOT NULL,
  notes_sealed {{blob}},
  outcome_sealed {{blob}}
);
CREATE INDEX consultations_by_case ON consultations (case_id, id);
CREATE TABLE referrals (
  id {{pk}},
  case_id {{bigint}} NOT NULL REFERENCES cases(id),
  agency_id {{bigint}} NOT NULL REFERENCES agencies(id),
  status TEXT NOT NULL,
  referred_by {{bigint}} NOT NULL,
  consent_given_by_sealed {{blob}},
  consent_recorded_by {{bigint}} NOT NULL DEFAULT 0,
  consent_at {{bigint}} NOT NULL,
  consent_scope TEXT NOT NULL DEFAULT '[]',
  consent_until TEXT NOT NULL DEFAULT '',
  request_note_sealed {{blob}},
  sent_at {{bigint}} NOT NULL,
  accept_due_at {{bigint}} NOT NULL,
  responded_at {{bigint}},
  responded_by {{bigint}} NOT NULL DEFAULT 0,
  decline_reason TEXT,
  decline_note_sealed {{blob}},
  completed_at {{bigint}},
  outcome_sealed {{blob}},
  version {{bigint}} NOT NULL DEFAULT 1
);
CREATE INDEX referrals_by_case ON referrals (case_id, id);
CREATE INDEX referrals_by_agency ON referrals (agency_id, id);
CREATE INDEX referrals_by_due ON referrals (status, accept_due_at);
CREATE INDEX referrals_by_referrer ON referrals (referred_by, status, accept_due_at);
CREATE TABLE follow_ups (
  id {{pk}},
  case_id {{bigint}} NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL,
  due_at {{bigint}} NOT NULL,
  owner_id {{bigint}} NOT NULL,
  recurrence_days INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  result TEXT,
  note_sealed {{blob}},
  done_at {{bigint}},
  done_by {{bigint}} NOT NULL DEFAULT 0,
  created_at {{bigint}} NOT NULL
);
CREATE INDEX follow_ups_by_case ON follow_ups (case_id, id);
CREATE INDEX follow_ups_by_due ON follow_ups (status, due_at);
CREATE INDEX follow_ups_by_owner ON follow_ups (owner_id, status, due_at);
CREATE TABLE case_events (
  id {{pk}},
  case_id {{bigint}} NOT NULL REFERENCES cases(id),
  at {{bigint}} NOT NULL,
  actor_id {{bigint}} NOT NULL,
  kind TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX case_events_by_case ON case_events (case_id, id);
CREATE TABLE case_terms (
  token TEXT NOT NULL,
  case_id {{bigint}} NOT NULL REFERENCES cases(id),
  PRIMARY KEY (token, case_id)
);
CREATE INDEX case_terms_by_case ON case_terms (case_id);
CREATE TABLE holidays (
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  date TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (district_id, date)
);
)SQL";

// Background jobs run once per tick across several app servers: a server
// holds a job's lease until it expires.
constexpr std::string_view kV4JobLeases = R"SQL(
CREATE TABLE job_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at {{bigint}} NOT NULL,
  last_run_at {{bigint}}
);
CREATE INDEX data_keys_by_key_id ON data_keys (key_id);
)SQL";

// Residents marked after repeated malicious submissions (악성 민원).
constexpr std::string_view kV5ResidentFlags = R"SQL(
ALTER TABLE residents ADD COLUMN flagged_malicious INTEGER NOT NULL DEFAULT 0;
)SQL";

// Sub-categories an administrator adds under the fixed top-level categories.
constexpr std::string_view kV6SubCategories = R"SQL(
CREATE TABLE subcategories (
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  code TEXT NOT NULL,
  parent TEXT NOT NULL,
  label_ko TEXT NOT NULL,
  label_en TEXT NOT NULL,
  PRIMARY KEY (district_id, code)
);
)SQL";

// Statutory deadlines per top-level category (민원 처리기한), editable by an administrator.
constexpr std::string_view kV7ClockRules = R"SQL(
CREATE TABLE clock_rules (
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  category TEXT NOT NULL,
  answer_working_days INTEGER NOT NULL CHECK (answer_working_days BETWEEN 1 AND 90),
  extension_working_days INTEGER NOT NULL CHECK (extension_working_days BETWEEN 0 AND 90),
  progress_notice_days INTEGER NOT NULL CHECK (progress_notice_days BETWEEN 1 AND 365),
  PRIMARY KEY (district_id, category)
);
)SQL";

// The day the resident was told how their case is progressing (the 30-day notice).
constexpr std::string_view kV8ProgressNotice = R"SQL(
ALTER TABLE cases ADD COLUMN progress_notice_on TEXT NOT NULL DEFAULT '';
)SQL";

// A user's interface language and large-text setting, kept on the server so
// that they follow the user from one computer to the next.
constexpr std::string_view kV9UserPreferences = R"SQL(
ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'ko' CHECK (locale IN ('ko', 'en'));
ALTER TABLE users ADD COLUMN large_text INTEGER NOT NULL DEFAULT 0;
)SQL";

// Each user's saved case-list filters: a name and the list's query parameters
// as a JSON object of strings (codes, ids and dates; never search words).
constexpr std::string_view kV10SavedFilters = R"SQL(
CREATE TABLE saved_filters (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  user_id {{bigint}} NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  query TEXT NOT NULL DEFAULT '{}',
  created_at {{bigint}} NOT NULL
);
CREATE INDEX saved_filters_by_user ON saved_filters (user_id, id);
)SQL";

// Counselors' corrections of the triage's top suggestion, as training examples. The text (the
// case's summary) is sealed with the case's data key, like the summary itself.
constexpr std::string_view kV11TriageCorrections = R"SQL(
CREATE TABLE triage_corrections (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  case_id {{bigint}} NOT NULL REFERENCES cases(id),
  data_key_id {{bigint}} NOT NULL REFERENCES data_keys(id),
  category TEXT NOT NULL,
  suggested TEXT NOT NULL,
  text_sealed {{blob}} NOT NULL,
  created_at {{bigint}} NOT NULL
);
CREATE INDEX triage_corrections_by_district ON triage_corrections (district_id, id);
CREATE INDEX triage_corrections_by_case ON triage_corrections (case_id);
)SQL";

// Each staff member's secret calendar feed (iCalendar, RFC 5545) for the phone: only the SHA-256
// of its token is kept, like a session's. A new feed revokes the one before.
constexpr std::string_view kV12CalendarFeeds = R"SQL(
CREATE TABLE calendar_feeds (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  user_id {{bigint}} NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at {{bigint}} NOT NULL,
  revoked_at {{bigint}}
);
CREATE INDEX calendar_feeds_by_user ON calendar_feeds (user_id, id);
)SQL";

// Check-in devices (care robots, automatic call services) registered to residents, and what they
// reported. The device's HMAC secret is sealed by the master key (the server must verify with
// it); each nonce is kept so that no signed request is accepted twice.
constexpr std::string_view kV13Checkins = R"SQL(
CREATE TABLE checkin_devices (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  resident_id {{bigint}} NOT NULL REFERENCES residents(id),
  owner_id {{bigint}} NOT NULL REFERENCES users(id),
  device_uid TEXT NOT NULL,
  label TEXT NOT NULL,
  kind TEXT NOT NULL,
  secret_sealed {{blob}} NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at {{bigint}} NOT NULL,
  last_result TEXT,
  last_at {{bigint}},
  missed_in_a_row INTEGER NOT NULL DEFAULT 0,
  open_case_id {{bigint}} REFERENCES cases(id),
  UNIQUE (district_id, device_uid)
);
CREATE INDEX checkin_devices_by_resident ON checkin_devices (resident_id);
CREATE TABLE checkins (
  id {{pk}},
  device_id {{bigint}} NOT NULL REFERENCES checkin_devices(id),
  nonce TEXT NOT NULL,
  result TEXT NOT NULL,
  reported_at {{bigint}} NOT NULL,
  received_at {{bigint}} NOT NULL,
  UNIQUE (device_id, nonce)
);
)SQL";

// The notification outbox (written in the transaction of the change that calls for a message, so
// a gateway outage loses nothing), the templates an admin changed, how each resident wants to be
// reached (or not at all), and staff e-mail addresses. An outbox row holds no recipient: the
// phone or e-mail is looked up when it is sent.
constexpr std::string_view kV14Notifications = R"SQL(
ALTER TABLE residents ADD COLUMN contact_by TEXT NOT NULL DEFAULT 'sms';
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
CREATE TABLE outbox (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  kind TEXT NOT NULL,
  resident_id {{bigint}} REFERENCES residents(id),
  user_id {{bigint}} REFERENCES users(id),
  case_id {{bigint}} REFERENCES cases(id),
  params TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at {{bigint}} NOT NULL,
  next_attempt_at {{bigint}} NOT NULL,
  claimed_until {{bigint}} NOT NULL DEFAULT 0,
  sent_at {{bigint}},
  channel TEXT,
  body TEXT NOT NULL DEFAULT '',
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (district_id, status, next_attempt_at);
CREATE TABLE message_templates (
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_by {{bigint}} NOT NULL REFERENCES users(id),
  updated_at {{bigint}} NOT NULL,
  PRIMARY KEY (district_id, kind, channel)
);
)SQL";


// The blind-spot screening: what agencies sent (households, and their signals
// kept once per household, indicator and reported_on, so a batch sent twice is
// stored once), the model's versions, runs and their flags.
// Household ids are the agencies' own; the link to a resident appears once an
// outreach case opened for the household.
constexpr std::string_view kV15Screening = R"SQL(
CREATE TABLE screening_households (
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  household_id TEXT NOT NULL,
  dong_id {{bigint}} NOT NULL REFERENCES dongs(id),
  head_birth_year INTEGER NOT NULL,
  members INTEGER NOT NULL,
  living_alone INTEGER NOT NULL,
  disability INTEGER NOT NULL,
  housing_type TEXT NOT NULL,
  resident_id {{bigint}} REFERENCES residents(id),
  updated_at {{bigint}} NOT NULL,
  PRIMARY KEY (district_id, household_id)
);
CREATE TABLE screening_signals (
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  household_id TEXT NOT NULL,
  indicator TEXT NOT NULL,
  months INTEGER NOT NULL,
  amount_krw {{bigint}} NOT NULL,
  reported_on TEXT NOT NULL
);
CREATE UNIQUE INDEX screening_signals_by_household
  ON screening_signals (district_id, household_id, indicator, reported_on);
CREATE TABLE screening_imports (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  imported_at {{bigint}} NOT NULL,
  imported_by TEXT NOT NULL,
  source TEXT NOT NULL,
  households {{bigint}} NOT NULL,
  signals {{bigint}} NOT NULL,
  skipped {{bigint}} NOT NULL,
  batches TEXT NOT NULL
);
CREATE TABLE screening_models (
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  version INTEGER NOT NULL,
  config TEXT NOT NULL,
  created_by {{bigint}} NOT NULL,
  created_at {{bigint}} NOT NULL,
  PRIMARY KEY (district_id, version)
);
CREATE TABLE screening_runs (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  model_version INTEGER NOT NULL,
  as_of TEXT NOT NULL,
  capacity_per_dong INTEGER NOT NULL,
  created_by {{bigint}} NOT NULL,
  created_at {{bigint}} NOT NULL,
  households_scored {{bigint}} NOT NULL
);
CREATE TABLE screening_flags (
  id {{pk}},
  run_id {{bigint}} NOT NULL REFERENCES screening_runs(id),
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  household_id TEXT NOT NULL,
  dong_id {{bigint}} NOT NULL REFERENCES dongs(id),
  head_birth_year INTEGER NOT NULL,
  members INTEGER NOT NULL,
  living_alone INTEGER NOT NULL,
  disability INTEGER NOT NULL,
  housing_type TEXT NOT NULL,
  rank INTEGER NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  reasons TEXT NOT NULL,
  summary TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('listed', 'raised_again', 'under_management')),
  case_id {{bigint}} REFERENCES cases(id),
  outcome TEXT CHECK (outcome IN ('contacted', 'unreachable', 'support_linked', 'no_need')),
  outcome_detail TEXT NOT NULL DEFAULT '',
  no_need_reason TEXT NOT NULL DEFAULT '',
  outcome_at {{bigint}},
  outcome_by {{bigint}} NOT NULL DEFAULT 0
);
CREATE INDEX screening_flags_by_run ON screening_flags (run_id, dong_id, rank);
CREATE INDEX screening_flags_by_household ON screening_flags (district_id, household_id);
)SQL";

// The resident portal: answers written for the asker (sealed like the notes),
// and wrong guesses at a receipt's phone digits (core/portal.hpp).
constexpr std::string_view kV16Portal = R"SQL(
ALTER TABLE consultations ADD COLUMN answer_sealed {{blob}};
CREATE TABLE portal_lookup_failures (
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  receipt TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  window_started_at {{bigint}},
  locked_until {{bigint}},
  updated_at {{bigint}} NOT NULL,
  PRIMARY KEY (district_id, receipt)
);
CREATE INDEX portal_lookup_failures_by_age ON portal_lookup_failures (updated_at);
)SQL";

// Open311 GeoReport v2: the civic apps (API keys stored as SHA-256) and, for each case that
// came in over Open311, its service and place as the request gave them.
constexpr std::string_view kV17Open311 = R"SQL(
CREATE TABLE open311_clients (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at {{bigint}} NOT NULL,
  last_used_at {{bigint}},
  UNIQUE (district_id, key_hash),
  UNIQUE (district_id, name)
);
CREATE TABLE open311_requests (
  case_id {{bigint}} PRIMARY KEY REFERENCES cases(id),
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  client_id {{bigint}} NOT NULL REFERENCES open311_clients(id),
  service_code TEXT NOT NULL,
  token TEXT NOT NULL,
  lat DOUBLE PRECISION,
  lon DOUBLE PRECISION,
  address TEXT NOT NULL DEFAULT '',
  address_id TEXT NOT NULL DEFAULT '',
  zipcode TEXT NOT NULL DEFAULT '',
  media_url TEXT NOT NULL DEFAULT '',
  requested_at {{bigint}} NOT NULL,
  UNIQUE (district_id, token)
);
CREATE INDEX open311_requests_by_time ON open311_requests (district_id, requested_at);
)SQL";



// Performance reports: indexes for counting by period, the saved definitions, the
// editions (written once), and the comments of the weekly work reports (sealed: staff
// may write about residents in them).
constexpr std::string_view kV18Reports = R"SQL(
CREATE INDEX cases_by_opened ON cases (district_id, opened_at);
CREATE INDEX cases_by_resolved ON cases (district_id, resolved_at);
CREATE INDEX follow_ups_by_due_at ON follow_ups (due_at);
CREATE INDEX follow_ups_by_done_at ON follow_ups (done_at);
CREATE INDEX referrals_by_sent ON referrals (sent_at);
CREATE INDEX case_events_by_kind ON case_events (kind, at);
CREATE TABLE report_definitions (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  name TEXT NOT NULL,
  owner_id {{bigint}} NOT NULL,
  kind TEXT NOT NULL,
  scope TEXT NOT NULL,
  scope_dong_id {{bigint}},
  schedule TEXT NOT NULL CHECK (schedule IN ('none', 'monthly')),
  created_at {{bigint}} NOT NULL,
  version {{bigint}} NOT NULL DEFAULT 1,
  UNIQUE (district_id, name)
);
CREATE TABLE report_editions (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  definition_id {{bigint}},
  definition_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  scope TEXT NOT NULL,
  scope_dong_id {{bigint}},
  data_as_of {{bigint}} NOT NULL,
  produced_at {{bigint}} NOT NULL,
  produced_by {{bigint}} NOT NULL,
  content TEXT NOT NULL,
  content_sha256 TEXT NOT NULL
);
CREATE UNIQUE INDEX report_editions_once ON report_editions (definition_id, period_from, period_to);
CREATE INDEX report_editions_by_district ON report_editions (district_id, id);
CREATE TABLE work_report_comments (
  id {{pk}},
  district_id {{bigint}} NOT NULL REFERENCES districts(id),
  subject_kind TEXT NOT NULL,
  subject_id {{bigint}} NOT NULL,
  week TEXT NOT NULL,
  comment_sealed {{blob}} NOT NULL,
  updated_by {{bigint}} NOT NULL,
  updated_at {{bigint}} NOT NULL,
  version {{bigint}} NOT NULL,
  UNIQUE (district_id, subject_kind, subject_id, week)
);
)SQL";

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos;
       pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

std::int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr std::string_view kCreateLedger = R"SQL(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at {{bigint}} NOT NULL
)
)SQL";

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kAll = {
      {1, "directory", kV1Directory},
      {2, "identity", kV2Identity},
      {3, "cases", kV3Cases},
      {4, "job_leases", kV4JobLeases},
      {5, "resident_flags", kV5ResidentFlags},
      {6, "subcategories", kV6SubCategories},
      {7, "clock_rules", kV7ClockRules},
      {8, "progress_notice", kV8ProgressNotice},
      {9, "user_preferences", kV9UserPreferences},
      {10, "saved_filters", kV10SavedFilters},
      {11, "triage_corrections", kV11TriageCorrections},
      {12, "calendar_feeds", kV12CalendarFeeds},
      {13, "checkins", kV13Checkins},
      {14, "notifications", kV14Notifications},
      {15, "screening", kV15Screening},
      {16, "portal", kV16Portal},
      {17, "open311", kV17Open311},
      {18, "reports", kV18Reports},
  };
  return kAll;
}

std::string RenderForDialect(std::string_view script, Dialect dialect) {
  std::string s(script);
  const bool pg = dialect == Dialect::kPostgres;
  ReplaceAll(s, "{{pk}}",
             pg ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY");
  ReplaceAll(s, "{{bigint}}", pg ? "BIGINT" : "INTEGER");
  ReplaceAll(s, "{{blob}}", pg ? "BYTEA" : "BLOB");
  return s;
}

core::Result<int> SchemaVersion(Database& db) {
  return db.Transact(TxMode::kRead, [&](Connection& c) -> core::Result<int> {
    // The ledger may not exist yet on a fresh database.
    const auto exists =
        db.dialect() == Dialect::kPostgres
            ? c.Execute(
                  "SELECT COUNT(*) FROM information_schema.tables "
                  "WHERE table_schema = current_schema() AND table_name = 'schema_migrations'",
                  {})
            : c.Execute(
                  "SELECT COUNT(*) FROM sqlite_master "
                  "WHERE type = 'table' AND name = 'schema_migrations'",
                  {});
    if (exists.Int(0, 0) == 0) {
      return 0;
    }
    const auto r = c.Execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
    return static_cast<int>(r.Int(0, 0));
  });
}

core::Result<MigrationReport> Migrate(Database& db) {
  MigrationReport report;
  auto before = SchemaVersion(db);
  if (!before.ok()) {
    return std::move(before).error();
  }
  report.from_version = *before;
  for (const auto& m : Migrations()) {
    auto applied = db.Transact(TxMode::kWrite, [&](Connection& c) -> core::Result<bool> {
      if (c.dialect() == Dialect::kPostgres) {
        c.Execute("SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey});
      }
      c.ExecuteScript(RenderForDialect(kCreateLedger, c.dialect()));
      const auto done = c.Execute("SELECT 1 FROM schema_migrations WHERE version = $1",
                                  {static_cast<std::int64_t>(m.version)});
      if (!done.empty()) {
        return false;
      }
      c.ExecuteScript(RenderForDialect(m.script, c.dialect()));
      c.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                {static_cast<std::int64_t>(m.version), std::string(m.name), NowMicros()});
      return true;
    });
    if (!applied.ok()) {
      auto e = std::move(applied).error();
      e.internal_detail = "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                          "): " + e.internal_detail;
      return e;
    }
    if (*applied) {
      report.applied.push_back(m.version);
    }
  }
  auto after = SchemaVersion(db);
  if (!after.ok()) {
    return std::move(after).error();
  }
  report.to_version = *after;
  return report;
}

}  // namespace caredesk::storage::sql
