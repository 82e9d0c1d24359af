#include "storage/sql/sql_case_repository.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "core/search_terms.hpp"
#include "core/text.hpp"
#include "core/working_days.hpp"
#include "storage/sql/json_columns.hpp"
#include "storage/sql/sql_identity_repository.hpp"
#include "storage/sql/sql_outbox_repository.hpp"

namespace caredesk::storage::sql {
namespace {

using core::Bytes;
using core::CaseFile;
using core::Error;
using core::Result;
using core::Status;
using core::TimePoint;

constexpr int kMaxListLimit = 500;
constexpr int kMaxWorkLimit = 1000;
constexpr int kMaxCalendarLimit = 5000;
constexpr int kMaxResidentMatches = 100;
// IN lists and multi-row inserts are padded to a power of two up to this many
// values, so that each connection prepares (and caches) few distinct statements.
constexpr std::size_t kMaxBatch = 256;
constexpr std::size_t kBirthYearDigits = 4;

// A data key in the clear, or nullopt once it has been destroyed (erased).
using DataKey = std::optional<Bytes>;

std::string S(std::string_view v) { return std::string(v); }
std::int64_t B(bool v) { return v ? 1 : 0; }
Value IdOrNull(std::int64_t id) { return id == 0 ? Value(Null{}) : Value(id); }
Value OptId(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(Null{}); }
Value OptTime(const std::optional<TimePoint>& t) { return t ? Value(ToMicros(*t)) : Value(Null{}); }

std::int64_t NowMicros() { return ToMicros(std::chrono::system_clock::now()); }

// "case.summary:42": binds the record kind, field and row id to a sealed value.
std::string Context(std::string_view field, std::int64_t id) {
  std::string out(field);
  out += ':';
  out += std::to_string(id);
  return out;
}

std::string_view AsText(const Bytes& b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// --- JSON text columns ------------------------------------------------------------

std::string StringsToJson(const std::vector<std::string>& values) {
  return Dump(nlohmann::json(values));
}

std::vector<std::string> StringsFromJson(const std::string& text, std::string_view column) {
  std::vector<std::string> out;
  for (const auto& item : ParseJson(text, column)) {
    if (item.is_string()) {
      out.push_back(item.get<std::string>());
    }
  }
  return out;
}

std::string PausesToJson(const std::vector<std::pair<std::string, std::string>>& pauses) {
  auto j = nlohmann::json::array();
  for (const auto& [from, to] : pauses) {
    j.push_back({from, to});
  }
  return Dump(j);
}

std::vector<std::pair<std::string, std::string>> PausesFromJson(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& item : ParseJson(text, "clock_pauses")) {
    if (item.is_array() && item.size() == 2 && item[0].is_string() && item[1].is_string()) {
      out.emplace_back(item[0].get<std::string>(), item[1].get<std::string>());
    }
  }
  return out;
}

// --- Reading rows -------------------------------------------------------------------

// Reads the columns of one row left to right.
class RowReader {
 public:
  RowReader(const Rows& rows, std::size_t row) : rows_(rows), row_(row) {}
  std::int64_t Int() { return rows_.Int(row_, col_++); }
  bool Bool() { return Int() != 0; }
  std::string Text() { return rows_.Text(row_, col_++); }
  std::optional<std::int64_t> OptInt() {
    const std::size_t c = col_++;
    return rows_.IsNull(row_, c) ? std::nullopt : std::optional(rows_.Int(row_, c));
  }
  // 0 for NULL.
  std::int64_t IdOrZero() { return OptInt().value_or(0); }
  TimePoint Time() { return FromMicros(Int()); }
  std::optional<TimePoint> OptTime() {
    auto v = OptInt();
    return v ? std::optional(FromMicros(*v)) : std::nullopt;
  }
  const Value& Raw() { return rows_.rows.at(row_).at(col_++); }

 private:
  const Rows& rows_;
  std::size_t row_;
  std::size_t col_ = 0;
};

template <typename T>
T ParseOr(const std::string& code, T fallback) {
  return core::Parse<T>(code).value_or(fallback);
}

// --- Data keys and sealed fields -------------------------------------------------------

std::string DataKeyContext(std::int64_t id) { return Context("data_key", id); }

struct NewDataKey {
  std::int64_t id = 0;
  Bytes key;
};

// Stores a fresh data key, sealed by the current master key.
NewDataKey CreateDataKey(Connection& c, const core::Sealer& sealer) {
  const auto r =
      c.Execute("INSERT INTO data_keys (created_at) VALUES ($1) RETURNING id", {NowMicros()});
  NewDataKey k{r.Int(0, 0), sealer.NewDataKey()};
  const Bytes sealed = sealer.Seal(AsText(k.key), DataKeyContext(k.id));
  c.Execute("UPDATE data_keys SET sealed_key = $1, key_id = $2 WHERE id = $3",
            {Blob{sealed}, static_cast<std::int64_t>(sealer.KeyIdOf(sealed)), k.id});
  return k;
}

// Destroys the only copy of a data key: everything it sealed is gone for good.
void DestroyDataKey(Connection& c, std::int64_t id) {
  c.Execute(
      "UPDATE data_keys SET sealed_key = NULL, destroyed_at = COALESCE(destroyed_at, $1) "
      "WHERE id = $2",
      {NowMicros(), id});
}

// The data key in the clear; nullopt when destroyed (NULL sealed_key).
Result<DataKey> OpenDataKey(const core::Sealer& sealer, std::int64_t id, const Value& sealed) {
  const auto* blob = std::get_if<Blob>(&sealed);
  if (blob == nullptr) {
    return DataKey{};
  }
  auto opened = sealer.Open(blob->bytes, DataKeyContext(id));
  if (!opened.ok()) {
    return std::move(opened).error();
  }
  return DataKey{Bytes(opened->begin(), opened->end())};
}

// Opens the data keys of many rows, each once.
class KeyCache {
 public:
  explicit KeyCache(const core::Sealer& sealer) : sealer_(sealer) {}
  Result<DataKey> Get(std::int64_t id, const Value& sealed) {
    if (auto it = keys_.find(id); it != keys_.end()) {
      return it->second;
    }
    auto key = OpenDataKey(sealer_, id, sealed);
    if (key.ok()) {
      keys_.emplace(id, *key);
    }
    return key;
  }

 private:
  const core::Sealer& sealer_;
  std::map<std::int64_t, DataKey> keys_;
};

// NULL for an empty value or a destroyed key; otherwise the value sealed with `key`.
Value SealField(const core::Sealer& sealer, const DataKey& key, std::string_view plaintext,
                std::string_view field, std::int64_t id) {
  if (!key || plaintext.empty()) {
    return Null{};
  }
  return Blob{sealer.SealWith(*key, plaintext, Context(field, id))};
}

// Opens sealed fields with one data key, remembering the first failure so that
// a row can be read field by field and checked once. A destroyed key or a NULL
// column reads as empty.
class Opener {
 public:
  Opener(const core::Sealer& sealer, const DataKey& key) : sealer_(sealer), key_(key) {}

  std::string operator()(const Value& sealed, std::string_view field, std::int64_t id) {
    const auto* blob = std::get_if<Blob>(&sealed);
    if (!key_ || blob == nullptr || error_) {
      return {};
    }
    auto opened = sealer_.OpenWith(*key_, blob->bytes, Context(field, id));
    if (!opened.ok()) {
      error_ = std::move(opened).error();
      return {};
    }
    return std::move(*opened);
  }

  bool ok() const { return !error_.has_value(); }
  Error error() const { return *error_; }

 private:
  const core::Sealer& sealer_;
  const DataKey& key_;
  std::optional<Error> error_;
};

// --- Batching ---------------------------------------------------------------------------

// Splits `values` into chunks of at most kMaxBatch, each padded with its last
// value to a power-of-two length (callers' statements must tolerate repeats).
std::vector<std::vector<Value>> PaddedChunks(const std::vector<Value>& values) {
  std::vector<std::vector<Value>> out;
  for (std::size_t start = 0; start < values.size(); start += kMaxBatch) {
    const std::size_t end = std::min(values.size(), start + kMaxBatch);
    std::vector<Value> chunk(values.begin() + static_cast<std::ptrdiff_t>(start),
                             values.begin() + static_cast<std::ptrdiff_t>(end));
    std::size_t padded = 1;
    while (padded < chunk.size()) {
      padded *= 2;
    }
    chunk.resize(padded, chunk.back());
    out.push_back(std::move(chunk));
  }
  return out;
}

// "$first, $first+1, ..., $first+n-1".
std::string Placeholders(std::size_t first, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += "$" + std::to_string(first + i);
  }
  return out;
}

// --- Search postings -------------------------------------------------------------------

void AddTerms(std::set<std::string>& terms, std::string_view text) {
  for (auto& t : core::DocumentTerms(text)) {
    terms.insert(std::move(t));
  }
}

// Adds the postings of `terms` for `case_id`; existing postings stay.
void IndexTerms(Connection& c, const core::BlindIndexer& indexer, core::CaseId case_id,
                const std::set<std::string>& terms) {
  if (terms.empty()) {
    return;
  }
  std::set<std::string> tokens;
  for (const auto& t : terms) {
    tokens.insert(indexer.Token("ngram", t));
  }
  std::vector<Value> values(tokens.begin(), tokens.end());
  for (auto& chunk : PaddedChunks(values)) {
    std::string sql = "INSERT INTO case_terms (token, case_id) VALUES ";
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      sql += (i > 0 ? ", ($" : "($") + std::to_string(i + 2) + ", $1)";
    }
    sql += " ON CONFLICT DO NOTHING";
    Params params{case_id};
    params.insert(params.end(), std::make_move_iterator(chunk.begin()),
                  std::make_move_iterator(chunk.end()));
    c.Execute(sql, params);
  }
}

// --- Residents ------------------------------------------------------------------------------

constexpr std::string_view kResidentSelect =
    "SELECT r.id, r.district_id, r.dong_id, r.data_key_id, r.name_sealed, r.birth_date_sealed, "
    "r.phone_sealed, r.address_sealed, r.rrn_sealed, r.safety_note_sealed, r.living_alone, "
    "r.members, r.disability, r.housing_type, r.tags, r.rrn_legal_basis, r.erased, r.created_at, "
    "r.version, r.flagged_malicious, r.contact_by, k.sealed_key FROM residents r "
    "JOIN data_keys k ON k.id = r.data_key_id ";

Result<core::Resident> ResidentAt(const core::Sealer& sealer, const Rows& rows, std::size_t i) {
  RowReader row(rows, i);
  core::Resident r;
  r.id = row.Int();
  r.district_id = row.Int();
  r.dong_id = row.OptInt();
  const std::int64_t key_id = row.Int();
  const Value& name = row.Raw();
  const Value& birth_date = row.Raw();
  const Value& phone = row.Raw();
  const Value& address = row.Raw();
  const Value& rrn = row.Raw();
  const Value& safety_note = row.Raw();
  r.household.living_alone = row.Bool();
  r.household.members = static_cast<int>(row.Int());
  r.household.disability = row.Bool();
  r.household.housing = ParseOr(row.Text(), core::HousingType::kUnknown);
  r.tags = StringsFromJson(row.Text(), "residents.tags");
  r.rrn_legal_basis = row.Text();
  r.erased = row.Bool();
  r.created_at = row.Time();
  r.version = row.Int();
  r.flagged_malicious = row.Bool();
  r.contact_by = ParseOr(row.Text(), core::ContactPreference::kSms);
  auto key = OpenDataKey(sealer, key_id, row.Raw());
  if (!key.ok()) {
    return std::move(key).error();
  }
  if (r.erased || !*key) {
    r.erased = true;
    return r;
  }
  Opener open(sealer, *key);
  r.name = open(name, "resident.name", r.id);
  r.birth_date = open(birth_date, "resident.birth_date", r.id);
  r.phone = open(phone, "resident.phone", r.id);
  r.address = open(address, "resident.address", r.id);
  r.rrn = open(rrn, "resident.rrn", r.id);
  r.safety_note = open(safety_note, "resident.safety_note", r.id);
  if (!open.ok()) {
    return open.error();
  }
  return r;
}

Result<std::vector<core::Resident>> ResidentsAt(const core::Sealer& sealer, const Rows& rows) {
  std::vector<core::Resident> out;
  out.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto r = ResidentAt(sealer, rows, i);
    if (!r.ok()) {
      return std::move(r).error();
    }
    out.push_back(std::move(*r));
  }
  return out;
}

Result<core::Resident> SelectResident(Connection& c, const core::Sealer& sealer,
                                      core::DistrictId district, core::ResidentId id) {
  const auto rows =
      c.Execute(S(kResidentSelect) + "WHERE r.id = $1 AND r.district_id = $2", {id, district});
  if (rows.empty()) {
    return Error::NotFound("Resident", "대상자");
  }
  return ResidentAt(sealer, rows, 0);
}

// Blind index of name + birth date: NULL unless both are known.
Value NameBirthIndex(const core::BlindIndexer& indexer, std::string_view name,
                     std::string_view birth_date) {
  std::string normalized(core::Trim(name));
  const std::string_view birth = core::Trim(birth_date);
  if (normalized.empty() || birth.empty()) {
    return Null{};
  }
  std::transform(normalized.begin(), normalized.end(), normalized.begin(), [](char ch) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  });
  normalized += '|';
  normalized += birth;
  return indexer.Token("name_birth", normalized);
}

Value PhoneIndex(const core::BlindIndexer& indexer, std::string_view phone) {
  const std::string digits = core::NormalizePhone(phone);
  if (digits.empty()) {
    return Null{};
  }
  return indexer.Token("phone", digits);
}

Value BirthYear(std::string_view birth_date) {
  if (birth_date.size() < kBirthYearDigits ||
      !std::all_of(birth_date.begin(), birth_date.begin() + kBirthYearDigits,
                   [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) != 0; })) {
    return Null{};
  }
  return static_cast<std::int64_t>(std::stoi(std::string(birth_date.substr(0, kBirthYearDigits))));
}

// Writes every mutable field of resident `id`, sealed with `key`.
void WriteResident(Connection& c, const core::Sealer& sealer, const core::BlindIndexer& indexer,
                   const core::Resident& r, core::ResidentId id, const Bytes& key) {
  const DataKey k = key;
  c.Execute(
      "UPDATE residents SET dong_id = $1, name_sealed = $2, birth_date_sealed = $3, "
      "phone_sealed = $4, address_sealed = $5, rrn_sealed = $6, safety_note_sealed = $7, "
      "birth_year = $8, name_birth_index = $9, phone_index = $10, living_alone = $11, "
      "members = $12, disability = $13, housing_type = $14, tags = $15, rrn_legal_basis = $16, "
      "flagged_malicious = $18, contact_by = $19 WHERE id = $17",
      {OptId(r.dong_id), SealField(sealer, k, r.name, "resident.name", id),
       SealField(sealer, k, r.birth_date, "resident.birth_date", id),
       SealField(sealer, k, r.phone, "resident.phone", id),
       SealField(sealer, k, r.address, "resident.address", id),
       SealField(sealer, k, r.rrn, "resident.rrn", id),
       SealField(sealer, k, r.safety_note, "resident.safety_note", id), BirthYear(r.birth_date),
       NameBirthIndex(indexer, r.name, r.birth_date), PhoneIndex(indexer, r.phone),
       B(r.household.living_alone), static_cast<std::int64_t>(r.household.members),
       B(r.household.disability), S(core::Code(r.household.housing)), StringsToJson(r.tags),
       r.rrn_legal_basis, id, B(r.flagged_malicious), S(core::Code(r.contact_by))});
}

Error ErasedError() {
  return Error::Make(core::ErrorCode::kConflict,
                     "This resident's personal data was erased; it can no longer be changed or "
                     "linked to a case.",
                     "이 대상자의 개인정보는 파기되어 더 이상 변경하거나 상담 건에 연결할 수 "
                     "없습니다.");
}

Error StaleError(std::string_view what_en, std::string_view what_ko) {
  return Error::Make(core::ErrorCode::kPreconditionFailed,
                     "This " + S(what_en) + " was changed by someone else. Reload and try again.",
                     "다른 사용자가 이 " + S(what_ko) +
                         "을(를) 먼저 변경했습니다. 새로 고친 뒤 다시 시도해 주세요.");
}

// --- Cases: rows ---------------------------------------------------------------------------

constexpr std::string_view kCaseSelect =
    "SELECT c.id, c.district_id, c.number, c.dong_id, c.desk_id, c.channel, c.reporter_kind, "
    "c.reporter_name_sealed, c.reporter_relation, c.reporter_contact_sealed, c.resident_id, "
    "c.data_key_id, c.primary_category, c.secondary_categories, c.urgency, c.status, "
    "c.counselor_id, c.case_manager_id, c.summary_sealed, c.resolution_note_sealed, "
    "c.close_note_sealed, c.waiting_on_resident, c.received_on, c.deadline_extended, "
    "c.clock_pauses, c.opened_at, c.resolved_at, c.closed_at, c.next_due_at, c.version, "
    "c.progress_notice_on, k.sealed_key FROM cases c JOIN data_keys k ON k.id = c.data_key_id ";

struct CaseRow {
  core::Case c;
  std::int64_t data_key_id = 0;
  DataKey key;
  std::optional<TimePoint> next_due_at;
};

Result<CaseRow> CaseRowAt(KeyCache& keys, const core::Sealer& sealer, const Rows& rows,
                          std::size_t i) {
  RowReader row(rows, i);
  CaseRow out;
  core::Case& c = out.c;
  c.id = row.Int();
  c.district_id = row.Int();
  c.number = row.Text();
  c.dong_id = row.Int();
  c.desk_id = row.OptInt();
  c.channel = ParseOr(row.Text(), core::Channel::kVisit);
  c.reporter.kind = ParseOr(row.Text(), core::ReporterKind::kSelf);
  const Value& reporter_name = row.Raw();
  c.reporter.relation = row.Text();
  const Value& reporter_contact = row.Raw();
  c.resident_id = row.OptInt();
  out.data_key_id = row.Int();
  c.primary_category = row.Text();
  c.secondary_categories = StringsFromJson(row.Text(), "cases.secondary_categories");
  c.urgency = ParseOr(row.Text(), core::Urgency::kNormal);
  c.status = ParseOr(row.Text(), core::CaseStatus::kReceived);
  c.counselor_id = row.Int();
  c.case_manager_id = row.IdOrZero();
  const Value& summary = row.Raw();
  const Value& resolution_note = row.Raw();
  const Value& close_note = row.Raw();
  c.waiting_on_resident = row.Bool();
  c.received_on = row.Text();
  c.deadline_extended = row.Bool();
  c.clock_pauses = PausesFromJson(row.Text());
  c.opened_at = row.Time();
  c.resolved_at = row.OptTime();
  c.closed_at = row.OptTime();
  out.next_due_at = row.OptTime();
  c.version = row.Int();
  c.progress_notice_on = row.Text();
  auto key = keys.Get(out.data_key_id, row.Raw());
  if (!key.ok()) {
    return std::move(key).error();
  }
  out.key = std::move(*key);
  c.erased = !out.key.has_value();
  Opener open(sealer, out.key);
  c.reporter.name = open(reporter_name, "case.reporter_name", c.id);
  c.reporter.contact = open(reporter_contact, "case.reporter_contact", c.id);
  c.summary = open(summary, "case.summary", c.id);
  c.resolution_note = open(resolution_note, "case.resolution_note", c.id);
  c.close_note = open(close_note, "case.close_note", c.id);
  if (!open.ok()) {
    return open.error();
  }
  return out;
}

// Fills in `shared_with` of every case, with one query per batch of ids.
void LoadShares(Connection& c, const std::vector<core::Case*>& cases) {
  if (cases.empty()) {
    return;
  }
  std::map<core::CaseId, core::Case*> by_id;
  std::vector<Value> ids;
  for (auto* k : cases) {
    k->shared_with.clear();
    by_id[k->id] = k;
    ids.emplace_back(k->id);
  }
  for (const auto& chunk : PaddedChunks(ids)) {
    const auto r =
        c.Execute("SELECT DISTINCT case_id, user_id FROM case_shares WHERE case_id IN (" +
                      Placeholders(1, chunk.size()) + ") ORDER BY case_id, user_id",
                  chunk);
    for (std::size_t i = 0; i < r.size(); ++i) {
      by_id.at(r.Int(i, 0))->shared_with.push_back(r.Int(i, 1));
    }
  }
}

constexpr std::string_view kConsultationColumns =
    "id, case_id, counselor_id, at, kind, notes_sealed, outcome_sealed, answer_sealed";

Result<std::vector<core::Consultation>> LoadConsultations(Connection& c, const core::Sealer& sealer,
                                                          const DataKey& key, core::CaseId id) {
  const auto rows = c.Execute(
      "SELECT " + S(kConsultationColumns) + " FROM consultations WHERE case_id = $1 ORDER BY id",
      {id});
  std::vector<core::Consultation> out;
  Opener open(sealer, key);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    RowReader row(rows, i);
    core::Consultation x;
    x.id = row.Int();
    x.case_id = row.Int();
    x.counselor_id = row.Int();
    x.at = row.Time();
    x.kind = ParseOr(row.Text(), core::ConsultationKind::kVisit);
    x.notes = open(row.Raw(), "consultation.notes", x.id);
    x.outcome = open(row.Raw(), "consultation.outcome", x.id);
    x.answer = open(row.Raw(), "consultation.answer", x.id);
    out.push_back(std::move(x));
  }
  if (!open.ok()) {
    return open.error();
  }
  return out;
}

constexpr std::string_view kReferralColumns =
    "r.id, r.case_id, r.agency_id, r.status, r.referred_by, r.consent_given_by_sealed, "
    "r.consent_recorded_by, r.consent_at, r.consent_scope, r.consent_until, "
    "r.request_note_sealed, r.sent_at, r.accept_due_at, r.responded_at, r.responded_by, "
    "r.decline_reason, r.decline_note_sealed, r.completed_at, r.outcome_sealed, r.version";

core::Referral ReferralAt(Opener& open, RowReader& row) {
  core::Referral x;
  x.id = row.Int();
  x.case_id = row.Int();
  x.agency_id = row.Int();
  x.status = ParseOr(row.Text(), core::ReferralStatus::kSent);
  x.referred_by = row.Int();
  x.consent.given_by = open(row.Raw(), "referral.consent_given_by", x.id);
  x.consent.recorded_by = row.Int();
  x.consent.at = row.Time();
  x.consent.scope = StringsFromJson(row.Text(), "referrals.consent_scope");
  x.consent.until = row.Text();
  x.request_note = open(row.Raw(), "referral.request_note", x.id);
  x.sent_at = row.Time();
  x.accept_due_at = row.Time();
  x.responded_at = row.OptTime();
  x.responded_by = row.Int();
  const std::string reason = row.Text();
  if (!reason.empty()) {
    x.decline_reason = core::Parse<core::DeclineReason>(reason);
  }
  x.decline_note = open(row.Raw(), "referral.decline_note", x.id);
  x.completed_at = row.OptTime();
  x.outcome = open(row.Raw(), "referral.outcome", x.id);
  x.version = row.Int();
  return x;
}

Result<std::vector<core::Referral>> LoadReferrals(Connection& c, const core::Sealer& sealer,
                                                  const DataKey& key, core::CaseId id) {
  const auto rows = c.Execute(
      "SELECT " + S(kReferralColumns) + " FROM referrals r WHERE r.case_id = $1 ORDER BY r.id",
      {id});
  std::vector<core::Referral> out;
  Opener open(sealer, key);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    RowReader row(rows, i);
    out.push_back(ReferralAt(open, row));
  }
  if (!open.ok()) {
    return open.error();
  }
  return out;
}

constexpr std::string_view kFollowUpColumns =
    "id, case_id, kind, due_at, owner_id, recurrence_days, status, result, note_sealed, done_at, "
    "done_by, created_at";

Result<std::vector<core::FollowUp>> LoadFollowUps(Connection& c, const core::Sealer& sealer,
                                                  const DataKey& key, core::CaseId id) {
  const auto rows = c.Execute(
      "SELECT " + S(kFollowUpColumns) + " FROM follow_ups WHERE case_id = $1 ORDER BY id", {id});
  std::vector<core::FollowUp> out;
  Opener open(sealer, key);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    RowReader row(rows, i);
    core::FollowUp x;
    x.id = row.Int();
    x.case_id = row.Int();
    x.kind = ParseOr(row.Text(), core::FollowUpKind::kCounseling);
    x.due_at = row.Time();
    x.owner_id = row.Int();
    x.recurrence_days = static_cast<int>(row.Int());
    x.status = ParseOr(row.Text(), core::FollowUpStatus::kOpen);
    const std::string result = row.Text();
    if (!result.empty()) {
      x.result = core::Parse<core::FollowUpResult>(result);
    }
    x.note = open(row.Raw(), "follow_up.note", x.id);
    x.done_at = row.OptTime();
    x.done_by = row.Int();
    x.created_at = row.Time();
    out.push_back(std::move(x));
  }
  if (!open.ok()) {
    return open.error();
  }
  return out;
}

struct LoadedCase {
  CaseFile file;
  std::int64_t data_key_id = 0;
  DataKey key;
};

Result<LoadedCase> LoadCaseFile(Connection& c, const core::Sealer& sealer,
                                core::DistrictId district, core::CaseId id) {
  const auto rows =
      c.Execute(S(kCaseSelect) + "WHERE c.id = $1 AND c.district_id = $2", {id, district});
  if (rows.empty()) {
    return Error::NotFound("Case", "상담 건");
  }
  KeyCache keys(sealer);
  auto row = CaseRowAt(keys, sealer, rows, 0);
  if (!row.ok()) {
    return std::move(row).error();
  }
  LoadedCase out;
  out.file.c = std::move(row->c);
  out.data_key_id = row->data_key_id;
  out.key = std::move(row->key);
  LoadShares(c, {&out.file.c});
  auto consultations = LoadConsultations(c, sealer, out.key, id);
  if (!consultations.ok()) {
    return std::move(consultations).error();
  }
  out.file.consultations = std::move(*consultations);
  auto referrals = LoadReferrals(c, sealer, out.key, id);
  if (!referrals.ok()) {
    return std::move(referrals).error();
  }
  out.file.referrals = std::move(*referrals);
  auto follow_ups = LoadFollowUps(c, sealer, out.key, id);
  if (!follow_ups.ok()) {
    return std::move(follow_ups).error();
  }
  out.file.follow_ups = std::move(*follow_ups);
  return out;
}

// --- Cases: writes ------------------------------------------------------------------------

// Writes every mutable column of case `id` (not its number, district or opening time).
void WriteCase(Connection& c, const core::Sealer& sealer, const core::Case& k, core::CaseId id,
               std::int64_t data_key_id, const DataKey& key,
               const std::optional<TimePoint>& next_due_at) {
  c.Execute(
      "UPDATE cases SET dong_id = $1, desk_id = $2, channel = $3, reporter_kind = $4, "
      "reporter_name_sealed = $5, reporter_relation = $6, reporter_contact_sealed = $7, "
      "resident_id = $8, data_key_id = $9, primary_category = $10, secondary_categories = $11, "
      "urgency = $12, status = $13, counselor_id = $14, case_manager_id = $15, "
      "summary_sealed = $16, resolution_note_sealed = $17, close_note_sealed = $18, "
      "waiting_on_resident = $19, received_on = $20, deadline_extended = $21, "
      "clock_pauses = $22, resolved_at = $23, closed_at = $24, next_due_at = $25, "
      "progress_notice_on = $27 WHERE id = $26",
      {k.dong_id,
       OptId(k.desk_id),
       S(core::Code(k.channel)),
       S(core::Code(k.reporter.kind)),
       SealField(sealer, key, k.reporter.name, "case.reporter_name", id),
       k.reporter.relation,
       SealField(sealer, key, k.reporter.contact, "case.reporter_contact", id),
       OptId(k.resident_id),
       data_key_id,
       k.primary_category,
       StringsToJson(k.secondary_categories),
       S(core::Code(k.urgency)),
       S(core::Code(k.status)),
       k.counselor_id,
       IdOrNull(k.case_manager_id),
       SealField(sealer, key, k.summary, "case.summary", id),
       SealField(sealer, key, k.resolution_note, "case.resolution_note", id),
       SealField(sealer, key, k.close_note, "case.close_note", id),
       B(k.waiting_on_resident),
       k.received_on,
       B(k.deadline_extended),
       PausesToJson(k.clock_pauses),
       OptTime(k.resolved_at),
       OptTime(k.closed_at),
       OptTime(next_due_at),
       id,
       k.progress_notice_on});
  // Categories (primary and secondary) for the list filter, and shares.
  c.Execute("DELETE FROM case_categories WHERE case_id = $1", {id});
  std::set<std::string> categories(k.secondary_categories.begin(), k.secondary_categories.end());
  categories.insert(k.primary_category);
  for (const auto& category : categories) {
    c.Execute("INSERT INTO case_categories (case_id, category) VALUES ($1, $2)", {id, category});
  }
  c.Execute("DELETE FROM case_shares WHERE case_id = $1", {id});
  for (const auto user : std::set<core::UserId>(k.shared_with.begin(), k.shared_with.end())) {
    c.Execute("INSERT INTO case_shares (case_id, user_id) VALUES ($1, $2)", {id, user});
  }
}

void WriteConsultation(Connection& c, const core::Sealer& sealer, const DataKey& key,
                       const core::Consultation& x, std::int64_t id) {
  c.Execute(
      "UPDATE consultations SET counselor_id = $1, at = $2, kind = $3, notes_sealed = $4, "
      "outcome_sealed = $5, answer_sealed = $6 WHERE id = $7",
      {x.counselor_id, ToMicros(x.at), S(core::Code(x.kind)),
       SealField(sealer, key, x.notes, "consultation.notes", id),
       SealField(sealer, key, x.outcome, "consultation.outcome", id),
       SealField(sealer, key, x.answer, "consultation.answer", id), id});
}

std::int64_t InsertConsultation(Connection& c, const core::Sealer& sealer, const DataKey& key,
                                core::CaseId case_id, const core::Consultation& x) {
  const auto r = c.Execute(
      "INSERT INTO consultations (case_id, counselor_id, at, kind) VALUES ($1, $2, $3, $4) "
      "RETURNING id",
      {case_id, x.counselor_id, ToMicros(x.at), S(core::Code(x.kind))});
  const std::int64_t id = r.Int(0, 0);
  WriteConsultation(c, sealer, key, x, id);
  return id;
}

// `bump`: the referral changed, so its version moves on.
void WriteReferral(Connection& c, const core::Sealer& sealer, const DataKey& key,
                   const core::Referral& x, std::int64_t id, bool bump) {
  c.Execute(
      "UPDATE referrals SET agency_id = $1, status = $2, referred_by = $3, "
      "consent_given_by_sealed = $4, consent_recorded_by = $5, consent_at = $6, "
      "consent_scope = $7, consent_until = $8, request_note_sealed = $9, sent_at = $10, "
      "accept_due_at = $11, responded_at = $12, responded_by = $13, decline_reason = $14, "
      "decline_note_sealed = $15, completed_at = $16, outcome_sealed = $17, "
      "version = version + $18 WHERE id = $19",
      {x.agency_id, S(core::Code(x.status)), x.referred_by,
       SealField(sealer, key, x.consent.given_by, "referral.consent_given_by", id),
       x.consent.recorded_by, ToMicros(x.consent.at), StringsToJson(x.consent.scope),
       x.consent.until, SealField(sealer, key, x.request_note, "referral.request_note", id),
       ToMicros(x.sent_at), ToMicros(x.accept_due_at), OptTime(x.responded_at), x.responded_by,
       x.decline_reason ? Value(S(core::Code(*x.decline_reason))) : Value(Null{}),
       SealField(sealer, key, x.decline_note, "referral.decline_note", id), OptTime(x.completed_at),
       SealField(sealer, key, x.outcome, "referral.outcome", id), B(bump), id});
}

void InsertReferral(Connection& c, const core::Sealer& sealer, const DataKey& key,
                    core::CaseId case_id, const core::Referral& x) {
  const auto r = c.Execute(
      "INSERT INTO referrals (case_id, agency_id, status, referred_by, consent_at, sent_at, "
      "accept_due_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      {case_id, x.agency_id, S(core::Code(x.status)), x.referred_by, ToMicros(x.consent.at),
       ToMicros(x.sent_at), ToMicros(x.accept_due_at)});
  WriteReferral(c, sealer, key, x, r.Int(0, 0), /*bump=*/false);
}

void WriteFollowUp(Connection& c, const core::Sealer& sealer, const DataKey& key,
                   const core::FollowUp& x, std::int64_t id) {
  c.Execute(
      "UPDATE follow_ups SET kind = $1, due_at = $2, owner_id = $3, recurrence_days = $4, "
      "status = $5, result = $6, note_sealed = $7, done_at = $8, done_by = $9, created_at = $10 "
      "WHERE id = $11",
      {S(core::Code(x.kind)), ToMicros(x.due_at), x.owner_id,
       static_cast<std::int64_t>(x.recurrence_days), S(core::Code(x.status)),
       x.result ? Value(S(core::Code(*x.result))) : Value(Null{}),
       SealField(sealer, key, x.note, "follow_up.note", id), OptTime(x.done_at), x.done_by,
       ToMicros(x.created_at), id});
}

void InsertFollowUp(Connection& c, const core::Sealer& sealer, const DataKey& key,
                    core::CaseId case_id, const core::FollowUp& x) {
  const auto r = c.Execute(
      "INSERT INTO follow_ups (case_id, kind, due_at, owner_id, status, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      {case_id, S(core::Code(x.kind)), ToMicros(x.due_at), x.owner_id, S(core::Code(x.status)),
       ToMicros(x.created_at)});
  WriteFollowUp(c, sealer, key, x, r.Int(0, 0));
}

void AppendEvents(Connection& c, core::CaseId case_id, const std::vector<core::CaseEvent>& events) {
  for (const auto& e : events) {
    c.Execute(
        "INSERT INTO case_events (case_id, at, actor_id, kind, data) VALUES ($1, $2, $3, $4, $5)",
        {case_id, ToMicros(e.at), e.actor_id, e.kind, e.data.empty() ? S("{}") : e.data});
  }
}

// Field-wise equality with what is stored (times at microsecond precision).
bool SameTime(TimePoint a, TimePoint b) { return ToMicros(a) == ToMicros(b); }
bool SameTime(const std::optional<TimePoint>& a, const std::optional<TimePoint>& b) {
  return a.has_value() == b.has_value() && (!a || SameTime(*a, *b));
}

bool SameConsultation(const core::Consultation& a, const core::Consultation& b) {
  return a.counselor_id == b.counselor_id && SameTime(a.at, b.at) && a.kind == b.kind &&
         a.notes == b.notes && a.outcome == b.outcome && a.answer == b.answer;
}

bool SameReferral(const core::Referral& a, const core::Referral& b) {
  return a.agency_id == b.agency_id && a.status == b.status && a.referred_by == b.referred_by &&
         a.consent.given_by == b.consent.given_by &&
         a.consent.recorded_by == b.consent.recorded_by && SameTime(a.consent.at, b.consent.at) &&
         a.consent.scope == b.consent.scope && a.consent.until == b.consent.until &&
         a.request_note == b.request_note && SameTime(a.sent_at, b.sent_at) &&
         SameTime(a.accept_due_at, b.accept_due_at) && SameTime(a.responded_at, b.responded_at) &&
         a.responded_by == b.responded_by && a.decline_reason == b.decline_reason &&
         a.decline_note == b.decline_note && SameTime(a.completed_at, b.completed_at) &&
         a.outcome == b.outcome;
}

bool SameFollowUp(const core::FollowUp& a, const core::FollowUp& b) {
  return a.kind == b.kind && SameTime(a.due_at, b.due_at) && a.owner_id == b.owner_id &&
         a.recurrence_days == b.recurrence_days && a.status == b.status && a.result == b.result &&
         a.note == b.note && SameTime(a.done_at, b.done_at) && a.done_by == b.done_by &&
         SameTime(a.created_at, b.created_at);
}

template <typename T>
std::map<std::int64_t, const T*> ById(const std::vector<T>& items) {
  std::map<std::int64_t, const T*> out;
  for (const auto& x : items) {
    out[x.id] = &x;
  }
  return out;
}

Error ForeignChild(std::string_view what_en, std::string_view what_ko, std::int64_t id) {
  auto e = Error::NotFound(what_en, what_ko);
  e.internal_detail = S(what_en) + " " + std::to_string(id) + " does not belong to this case";
  return e;
}

// Writes the children of `file` to case `id`: inserts those with id 0,
// rewrites changed ones (all of them when `rekey`, re-sealing with `key`,
// including stored ones that `file` leaves out). Collects the search terms of
// new or changed consultation text in `terms`.
Status WriteChildren(Connection& c, const core::Sealer& sealer, const DataKey& key, core::CaseId id,
                     const CaseFile& file, const CaseFile& stored, bool rekey,
                     std::set<std::string>& terms) {
  auto stored_consultations = ById(stored.consultations);
  for (const auto& x : file.consultations) {
    if (x.id == 0) {
      InsertConsultation(c, sealer, key, id, x);
      AddTerms(terms, x.notes);
      AddTerms(terms, x.outcome);
      continue;
    }
    const auto it = stored_consultations.find(x.id);
    if (it == stored_consultations.end()) {
      return ForeignChild("Consultation", "상담 기록", x.id);
    }
    const bool same = SameConsultation(x, *it->second);
    if (!same) {
      if (x.notes != it->second->notes) {
        AddTerms(terms, x.notes);
      }
      if (x.outcome != it->second->outcome) {
        AddTerms(terms, x.outcome);
      }
    }
    if (!same || rekey) {
      WriteConsultation(c, sealer, key, x, x.id);
    }
    stored_consultations.erase(it);
  }
  auto stored_referrals = ById(stored.referrals);
  for (const auto& x : file.referrals) {
    if (x.id == 0) {
      InsertReferral(c, sealer, key, id, x);
      continue;
    }
    const auto it = stored_referrals.find(x.id);
    if (it == stored_referrals.end()) {
      return ForeignChild("Referral", "연계", x.id);
    }
    const bool same = SameReferral(x, *it->second);
    if (!same || rekey) {
      WriteReferral(c, sealer, key, x, x.id, /*bump=*/!same);
    }
    stored_referrals.erase(it);
  }
  auto stored_follow_ups = ById(stored.follow_ups);
  for (const auto& x : file.follow_ups) {
    if (x.id == 0) {
      InsertFollowUp(c, sealer, key, id, x);
      continue;
    }
    const auto it = stored_follow_ups.find(x.id);
    if (it == stored_follow_ups.end()) {
      return ForeignChild("Follow-up", "사후관리", x.id);
    }
    if (!SameFollowUp(x, *it->second) || rekey) {
      WriteFollowUp(c, sealer, key, x, x.id);
    }
    stored_follow_ups.erase(it);
  }
  if (rekey) {
    // Stored children that `file` left out must not stay sealed with the old key.
    for (const auto& [child_id, x] : stored_consultations) {
      WriteConsultation(c, sealer, key, *x, child_id);
    }
    for (const auto& [child_id, x] : stored_referrals) {
      WriteReferral(c, sealer, key, *x, child_id, /*bump=*/false);
    }
    for (const auto& [child_id, x] : stored_follow_ups) {
      WriteFollowUp(c, sealer, key, *x, child_id);
    }
  }
  return {};
}

struct ResidentKey {
  std::int64_t id = 0;
  Bytes key;
};

// The data key of a live resident of the district (kNotFound, or kConflict when erased).
Result<ResidentKey> ResidentDataKey(Connection& c, const core::Sealer& sealer,
                                    core::DistrictId district, core::ResidentId resident) {
  const auto r = c.Execute(
      "SELECT r.data_key_id, r.erased, k.sealed_key FROM residents r "
      "JOIN data_keys k ON k.id = r.data_key_id WHERE r.id = $1 AND r.district_id = $2",
      {resident, district});
  if (r.empty()) {
    return Error::NotFound("Resident", "대상자");
  }
  auto key = OpenDataKey(sealer, r.Int(0, 0), r.rows[0][2]);
  if (!key.ok()) {
    return std::move(key).error();
  }
  if (r.Int(0, 1) != 0 || !*key) {
    return ErasedError();
  }
  return ResidentKey{r.Int(0, 0), std::move(**key)};
}

// --- Lists -------------------------------------------------------------------------------------

constexpr std::string_view kClosedStatuses = "('resolved', 'closed')";

class Where {
 public:
  explicit Where(Params& params) : params_(params) {}
  // Adds a parameter and returns its placeholder.
  std::string Param(Value v) {
    params_.push_back(std::move(v));
    return "$" + std::to_string(params_.size());
  }
  void And(const std::string& clause) { sql_ += " AND " + clause; }
  const std::string& sql() const { return sql_; }

 private:
  Params& params_;
  std::string sql_;
};

// The condition for `scope` on cases aliased `c`.
std::string ScopeCondition(const core::CaseScope& scope, Where& where) {
  if (scope.whole_district) {
    return "1 = 1";
  }
  std::vector<std::string> parts;
  if (scope.dong_id) {
    parts.push_back("c.dong_id = " + where.Param(*scope.dong_id));
  }
  if (scope.involved_user) {
    const std::string u = where.Param(*scope.involved_user);
    parts.push_back("c.counselor_id = " + u + " OR c.case_manager_id = " + u +
                    " OR EXISTS (SELECT 1 FROM case_shares s WHERE s.case_id = c.id AND "
                    "s.user_id = " +
                    u + ")");
  }
  if (parts.empty()) {
    return "1 = 0";
  }
  std::string out = "(";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += (i > 0 ? " OR " : "") + parts[i];
  }
  return out + ")";
}

// Up to `max` of `items`, spread evenly and in order; all of them when fewer.
std::vector<std::string> Spread(const std::vector<std::string>& items, std::size_t max) {
  if (items.size() <= max) {
    return items;
  }
  if (max < 2) {
    return {items.begin(), items.begin() + static_cast<std::ptrdiff_t>(max)};
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < max; ++i) {
    out.push_back(items[i * (items.size() - 1) / (max - 1)]);
  }
  return out;
}

}  // namespace

// --- Residents ---------------------------------------------------------------------------------

Result<core::Resident> SqlCaseRepository::CreateResident(const core::Resident& resident) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<core::Resident> {
    const NewDataKey key = CreateDataKey(c, sealer_);
    const auto r = c.Execute(
        "INSERT INTO residents (district_id, data_key_id, created_at) VALUES ($1, $2, $3) "
        "RETURNING id",
        {resident.district_id, key.id, ToMicros(resident.created_at)});
    const core::ResidentId id = r.Int(0, 0);
    WriteResident(c, sealer_, indexer_, resident, id, key.key);
    return SelectResident(c, sealer_, resident.district_id, id);
  });
}

Result<core::Resident> SqlCaseRepository::GetResident(core::DistrictId district,
                                                      core::ResidentId id) {
  return db_.Transact(TxMode::kRead,
                      [&](Connection& c) { return SelectResident(c, sealer_, district, id); });
}

Result<std::vector<core::Resident>> SqlCaseRepository::FindResidentMatches(
    core::DistrictId district, const std::string& name, const std::string& birth_date,
    const std::string& phone) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::Resident>> {
    Params params{district};
    std::vector<std::string> parts;
    if (Value index = NameBirthIndex(indexer_, name, birth_date);
        !std::holds_alternative<Null>(index)) {
      params.push_back(std::move(index));
      parts.push_back("r.name_birth_index = $" + std::to_string(params.size()));
    }
    if (Value index = PhoneIndex(indexer_, phone); !std::holds_alternative<Null>(index)) {
      params.push_back(std::move(index));
      parts.push_back("r.phone_index = $" + std::to_string(params.size()));
    }
    if (parts.empty()) {
      return std::vector<core::Resident>{};
    }
    std::string where = parts[0];
    if (parts.size() > 1) {
      where = "(" + parts[0] + " OR " + parts[1] + ")";
    }
    const auto rows =
        c.Execute(S(kResidentSelect) + "WHERE r.district_id = $1 AND r.erased = 0 " + "AND " +
                      where + " ORDER BY r.id LIMIT " + std::to_string(kMaxResidentMatches),
                  params);
    return ResidentsAt(sealer_, rows);
  });
}

Result<core::Resident> SqlCaseRepository::UpdateResident(const core::Resident& resident) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<core::Resident> {
    const auto bumped = c.Execute(
        "UPDATE residents SET version = version + 1 "
        "WHERE id = $1 AND district_id = $2 AND version = $3 AND erased = 0",
        {resident.id, resident.district_id, resident.version});
    if (bumped.affected == 0) {
      auto current = SelectResident(c, sealer_, resident.district_id, resident.id);
      if (!current.ok()) {
        return std::move(current).error();
      }
      if (current->erased) {
        return ErasedError();
      }
      return StaleError("resident", "대상자");
    }
    auto key = ResidentDataKey(c, sealer_, resident.district_id, resident.id);
    if (!key.ok()) {
      return std::move(key).error();
    }
    WriteResident(c, sealer_, indexer_, resident, resident.id, key->key);
    return SelectResident(c, sealer_, resident.district_id, resident.id);
  });
}

namespace {

// Destroys resident `id`'s data key and drops every sealed field of the
// resident and of the cases sealed with it, their blind indexes and postings.
void EraseResidentIn(Connection& c, core::ResidentId id, std::int64_t key_id) {
  DestroyDataKey(c, key_id);
  c.Execute(
      "UPDATE residents SET name_sealed = NULL, birth_date_sealed = NULL, phone_sealed = NULL, "
      "address_sealed = NULL, rrn_sealed = NULL, safety_note_sealed = NULL, birth_year = NULL, "
      "name_birth_index = NULL, phone_index = NULL, "
      "version = version + CASE WHEN erased = 0 THEN 1 ELSE 0 END, erased = 1 WHERE id = $1",
      {id});
  // The ciphertext is unreadable without the key; drop it and the search
  // postings of every case sealed with that key anyway.
  const std::string sealed_cases = "(SELECT id FROM cases WHERE data_key_id = $1)";
  c.Execute("DELETE FROM case_terms WHERE case_id IN " + sealed_cases, {key_id});
  c.Execute(
      "UPDATE consultations SET notes_sealed = NULL, outcome_sealed = NULL, answer_sealed = NULL "
      "WHERE case_id IN " +
          sealed_cases,
      {key_id});
  c.Execute(
      "UPDATE referrals SET consent_given_by_sealed = NULL, request_note_sealed = NULL, "
      "decline_note_sealed = NULL, outcome_sealed = NULL WHERE case_id IN " +
          sealed_cases,
      {key_id});
  c.Execute("UPDATE follow_ups SET note_sealed = NULL WHERE case_id IN " + sealed_cases, {key_id});
  // Corrections under the key, and those of its cases sealed before a resident was linked.
  c.Execute("DELETE FROM triage_corrections WHERE data_key_id = $1 OR case_id IN " + sealed_cases,
            {key_id});
  c.Execute(
      "UPDATE cases SET reporter_name_sealed = NULL, reporter_contact_sealed = NULL, "
      "summary_sealed = NULL, resolution_note_sealed = NULL, close_note_sealed = NULL "
      "WHERE data_key_id = $1",
      {key_id});
}

}  // namespace

Status SqlCaseRepository::EraseResident(core::DistrictId district, core::ResidentId id) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    const auto r = c.Execute("SELECT data_key_id FROM residents WHERE id = $1 AND district_id = $2",
                             {id, district});
    if (r.empty()) {
      return Error::NotFound("Resident", "대상자");
    }
    EraseResidentIn(c, id, r.Int(0, 0));
    return {};
  });
}

Result<int> SqlCaseRepository::AnonymiseClosedCases(core::DistrictId district,
                                                    core::TimePoint closed_before, int limit) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<int> {
    const auto now = NowMicros();
    const auto due = c.Execute(
        "SELECT c.id, c.resident_id FROM cases c JOIN data_keys k ON k.id = c.data_key_id "
        "WHERE c.district_id = $1 AND c.status = 'closed' AND c.closed_at < $2 "
        "AND k.sealed_key IS NOT NULL ORDER BY c.id LIMIT $3",
        {district, ToMicros(closed_before), static_cast<std::int64_t>(limit)});
    std::set<core::ResidentId> residents;
    for (std::size_t i = 0; i < due.size(); ++i) {
      const auto case_id = due.Int(i, 0);
      if (!due.IsNull(i, 1)) {
        residents.insert(due.Int(i, 1));
      }
      // A key destroyed at birth: the case now reads as erased, like a shredded one.
      const auto gone = c.Execute(
          "INSERT INTO data_keys (created_at, destroyed_at) VALUES ($1, $1) RETURNING id", {now});
      c.Execute("DELETE FROM case_terms WHERE case_id = $1", {case_id});
      c.Execute(
          "UPDATE consultations SET notes_sealed = NULL, outcome_sealed = NULL, answer_sealed = NULL WHERE case_id = $1",
          {case_id});
      c.Execute(
          "UPDATE referrals SET consent_given_by_sealed = NULL, request_note_sealed = NULL, "
          "decline_note_sealed = NULL, outcome_sealed = NULL WHERE case_id = $1",
          {case_id});
      c.Execute("UPDATE follow_ups SET note_sealed = NULL WHERE case_id = $1", {case_id});
      c.Execute("DELETE FROM triage_corrections WHERE case_id = $1", {case_id});
      c.Execute(
          "UPDATE cases SET reporter_name_sealed = NULL, reporter_contact_sealed = NULL, "
          "summary_sealed = NULL, resolution_note_sealed = NULL, close_note_sealed = NULL, "
          "resident_id = NULL, data_key_id = $1, version = version + 1 WHERE id = $2",
          {gone.Int(0, 0), case_id});
      core::CaseEvent e;
      e.at = core::TimePoint(std::chrono::microseconds(now));
      e.kind = "anonymised";
      e.data = "{\"reason\":\"retention\"}";
      AppendEvents(c, case_id, {e});
    }
    // A resident left with no case is erased too.
    for (const auto rid : residents) {
      const auto left = c.Execute("SELECT COUNT(*) FROM cases WHERE resident_id = $1", {rid});
      if (left.Int(0, 0) > 0) {
        continue;
      }
      const auto r = c.Execute("SELECT data_key_id FROM residents WHERE id = $1", {rid});
      if (!r.empty()) {
        EraseResidentIn(c, rid, r.Int(0, 0));
      }
    }
    return static_cast<int>(due.size());
  });
}

// --- Cases
// ----------------------------------------------------------------------------------------

Result<CaseFile> SqlCaseRepository::CreateCase(const CaseFile& file,
                                               std::vector<core::CaseEvent> events,
                                               std::vector<core::Notification> notifications) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<CaseFile> {
    const core::Case& k = file.c;
    std::int64_t data_key_id = 0;
    DataKey key;
    if (k.resident_id) {
      auto resident_key = ResidentDataKey(c, sealer_, k.district_id, *k.resident_id);
      if (!resident_key.ok()) {
        return std::move(resident_key).error();
      }
      data_key_id = resident_key->id;
      key = std::move(resident_key->key);
    } else {
      NewDataKey own = CreateDataKey(c, sealer_);
      data_key_id = own.id;
      key = std::move(own.key);
    }
    const auto dong = c.Execute("SELECT short_name FROM dongs WHERE id = $1 AND district_id = $2",
                                {k.dong_id, k.district_id});
    if (dong.empty()) {
      return Error::NotFound("Dong", "동");
    }
    const int year = core::KstDate(k.opened_at).year;
    // One statement: concurrent creators (even on other servers) each get their own number.
    const auto seq = c.Execute(
        "INSERT INTO case_number_sequences (district_id, year, next_seq) VALUES ($1, $2, 2) "
        "ON CONFLICT (district_id, year) "
        "DO UPDATE SET next_seq = case_number_sequences.next_seq + 1 RETURNING next_seq - 1",
        {k.district_id, static_cast<std::int64_t>(year)});
    const std::int64_t sequence = seq.Int(0, 0);
    const auto inserted = c.Execute(
        "INSERT INTO cases (district_id, number, year, seq, dong_id, channel, reporter_kind, "
        "data_key_id, primary_category, urgency, status, counselor_id, opened_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        {k.district_id, core::FormatCaseNumber(year, dong.Text(0, 0), sequence),
         static_cast<std::int64_t>(year), sequence, k.dong_id, S(core::Code(k.channel)),
         S(core::Code(k.reporter.kind)), data_key_id, k.primary_category, S(core::Code(k.urgency)),
         S(core::Code(k.status)), k.counselor_id, ToMicros(k.opened_at)});
    const core::CaseId id = inserted.Int(0, 0);
    WriteCase(c, sealer_, k, id, data_key_id, key, file.NextStepDue());
    std::set<std::string> terms;
    AddTerms(terms, k.summary);
    for (const auto& x : file.consultations) {
      InsertConsultation(c, sealer_, key, id, x);
      AddTerms(terms, x.notes);
      AddTerms(terms, x.outcome);
    }
    for (const auto& x : file.referrals) {
      InsertReferral(c, sealer_, key, id, x);
    }
    for (const auto& x : file.follow_ups) {
      InsertFollowUp(c, sealer_, key, id, x);
    }
    AppendEvents(c, id, events);
    IndexTerms(c, indexer_, id, terms);
    InsertNotifications(c, k.district_id, notifications, id);
    auto loaded = LoadCaseFile(c, sealer_, k.district_id, id);
    if (!loaded.ok()) {
      return std::move(loaded).error();
    }
    return std::move(loaded->file);
  });
}

Result<CaseFile> SqlCaseRepository::GetCase(core::DistrictId district, core::CaseId id) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<CaseFile> {
    auto loaded = LoadCaseFile(c, sealer_, district, id);
    if (!loaded.ok()) {
      return std::move(loaded).error();
    }
    return std::move(loaded->file);
  });
}

Result<CaseFile> SqlCaseRepository::SaveCase(const CaseFile& file, std::int64_t expected_version,
                                             std::vector<core::CaseEvent> events,
                                             std::vector<core::Notification> notifications) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<CaseFile> {
    const core::Case& k = file.c;
    // Claims the version first: this also locks the row on PostgreSQL, so a
    // concurrent save of the same case waits here and then finds it stale.
    const auto claimed = c.Execute(
        "UPDATE cases SET version = version + 1 WHERE id = $1 AND district_id = $2 AND version = "
        "$3",
        {k.id, k.district_id, expected_version});
    if (claimed.affected == 0) {
      const auto exists = c.Execute("SELECT 1 FROM cases WHERE id = $1 AND district_id = $2",
                                    {k.id, k.district_id});
      if (exists.empty()) {
        return Error::NotFound("Case", "상담 건");
      }
      return StaleError("case", "상담 건");
    }
    auto stored = LoadCaseFile(c, sealer_, k.district_id, k.id);
    if (!stored.ok()) {
      return std::move(stored).error();
    }
    const core::Case& old = stored->file.c;
    if (k.dong_id != old.dong_id) {
      const auto dong = c.Execute("SELECT 1 FROM dongs WHERE id = $1 AND district_id = $2",
                                  {k.dong_id, k.district_id});
      if (dong.empty()) {
        return Error::NotFound("Dong", "동");
      }
    }

    // The data key: the resident's when linked to one, else the case's own.
    std::int64_t data_key_id = stored->data_key_id;
    DataKey key = stored->key;
    std::optional<std::int64_t> retired_key;  // a case's own key, replaced by a resident's
    if (k.resident_id != old.resident_id) {
      if (k.resident_id) {
        auto resident_key = ResidentDataKey(c, sealer_, k.district_id, *k.resident_id);
        if (!resident_key.ok()) {
          return std::move(resident_key).error();
        }
        if (!old.resident_id) {
          retired_key = data_key_id;
        }
        data_key_id = resident_key->id;
        key = std::move(resident_key->key);
      } else {
        NewDataKey own = CreateDataKey(c, sealer_);
        data_key_id = own.id;
        key = std::move(own.key);
      }
    }
    const bool rekey = data_key_id != stored->data_key_id;

    WriteCase(c, sealer_, k, k.id, data_key_id, key, std::nullopt);
    std::set<std::string> terms;
    if (k.summary != old.summary) {
      AddTerms(terms, k.summary);
    }
    auto children = WriteChildren(c, sealer_, key, k.id, file, stored->file, rekey, terms);
    if (!children.ok()) {
      return std::move(children).error();
    }
    AppendEvents(c, k.id, events);
    InsertNotifications(c, k.district_id, notifications, k.id);
    if (key) {
      IndexTerms(c, indexer_, k.id, terms);
    }
    if (retired_key) {
      DestroyDataKey(c, *retired_key);
    }
    auto saved = LoadCaseFile(c, sealer_, k.district_id, k.id);
    if (!saved.ok()) {
      return std::move(saved).error();
    }
    // The next step as stored, including children `file` left out.
    c.Execute("UPDATE cases SET next_due_at = $1 WHERE id = $2",
              {OptTime(saved->file.NextStepDue()), k.id});
    return std::move(saved->file);
  });
}

Result<std::vector<core::CaseSummary>> SqlCaseRepository::ListCases(core::DistrictId district,
                                                                    const core::CaseFilter& f) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::CaseSummary>> {
    Params params{district};
    Where where(params);
    where.And(ScopeCondition(f.scope, where));
    if (f.dong_id) {
      where.And("c.dong_id = " + where.Param(*f.dong_id));
    }
    if (f.status) {
      where.And("c.status = " + where.Param(S(core::Code(*f.status))));
    }
    if (f.open) {
      where.And(S(*f.open ? "c.status NOT IN " : "c.status IN ") + S(kClosedStatuses));
    }
    if (f.category) {
      // A top-level code also matches its sub-categories ("housing" finds "housing.jeonse").
      const std::string exact = where.Param(*f.category);
      const std::string below = where.Param(*f.category + ".%");
      where.And(
          "EXISTS (SELECT 1 FROM case_categories cc WHERE cc.case_id = c.id AND (cc.category = " +
          exact + " OR cc.category LIKE " + below + "))");
    }
    if (f.counselor_id) {
      where.And("c.counselor_id = " + where.Param(*f.counselor_id));
    }
    if (f.urgency) {
      where.And("c.urgency = " + where.Param(S(core::Code(*f.urgency))));
    }
    if (f.channel) {
      where.And("c.channel = " + where.Param(S(core::Code(*f.channel))));
    }
    if (f.opened_from) {
      where.And("c.opened_at >= " + where.Param(ToMicros(*f.opened_from)));
    }
    if (f.opened_to) {
      where.And("c.opened_at < " + where.Param(ToMicros(*f.opened_to)));
    }
    if (f.overdue_at) {
      where.And("c.status NOT IN " + S(kClosedStatuses) + " AND c.next_due_at < " +
                where.Param(ToMicros(*f.overdue_at)));
    }
    if (f.before_id > 0) {
      where.And("c.id < " + where.Param(f.before_id));
    }
    const std::string limit = where.Param(std::int64_t{std::clamp(f.limit, 1, kMaxListLimit)});
    const auto rows = c.Execute(S(kCaseSelect) + "WHERE c.district_id = $1" + where.sql() +
                                    " ORDER BY c.id DESC LIMIT " + limit,
                                params);
    std::vector<core::CaseSummary> out;
    out.reserve(rows.size());
    KeyCache keys(sealer_);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto row = CaseRowAt(keys, sealer_, rows, i);
      if (!row.ok()) {
        return std::move(row).error();
      }
      out.push_back(core::CaseSummary{std::move(row->c), row->next_due_at});
    }
    std::vector<core::Case*> cases;
    cases.reserve(out.size());
    for (auto& s : out) {
      cases.push_back(&s.c);
    }
    LoadShares(c, cases);
    return out;
  });
}

Result<std::vector<core::CaseId>> SqlCaseRepository::SearchCases(
    core::DistrictId district, const core::CaseScope& scope, const std::vector<std::string>& tokens,
    core::CaseId before_id, int limit) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::CaseId>> {
    std::vector<std::string> terms;
    std::set<std::string> seen;
    for (const auto& t : tokens) {
      if (!t.empty() && seen.insert(t).second) {
        terms.push_back(t);
      }
    }
    if (terms.empty()) {
      return std::vector<core::CaseId>{};
    }
    Params params;
    Where where(params);
    std::string sql = "SELECT t0.case_id FROM case_terms t0";
    const auto used = Spread(terms, kMaxSearchTokens);
    const std::string first = where.Param(indexer_.Token("ngram", used[0]));
    for (std::size_t i = 1; i < used.size(); ++i) {
      const std::string t = "t" + std::to_string(i);
      sql += " JOIN case_terms ";
      sql += t;
      sql += " ON ";
      sql += t;
      sql += ".case_id = t0.case_id AND ";
      sql += t;
      sql += ".token = ";
      sql += where.Param(indexer_.Token("ngram", used[i]));
    }
    sql += " JOIN cases c ON c.id = t0.case_id WHERE t0.token = " + first;
    where.And("c.district_id = " + where.Param(district));
    where.And(ScopeCondition(scope, where));
    if (before_id > 0) {
      where.And("t0.case_id < " + where.Param(before_id));
    }
    const std::string n = where.Param(std::int64_t{std::clamp(limit, 1, kMaxListLimit)});
    const auto rows = c.Execute(sql + where.sql() + " ORDER BY t0.case_id DESC LIMIT " + n, params);
    std::vector<core::CaseId> out;
    out.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      out.push_back(rows.Int(i, 0));
    }
    return out;
  });
}

Result<core::CaseId> SqlCaseRepository::FindCaseByNumber(core::DistrictId district,
                                                         const std::string& number) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<core::CaseId> {
    const auto r = c.Execute("SELECT id FROM cases WHERE district_id = $1 AND number = $2",
                             {district, number});
    if (r.empty()) {
      return Error::NotFound("Case", "상담 건");
    }
    return r.Int(0, 0);
  });
}

Result<std::vector<core::CaseEvent>> SqlCaseRepository::ListEvents(core::DistrictId district,
                                                                   core::CaseId id) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::CaseEvent>> {
    const auto exists =
        c.Execute("SELECT 1 FROM cases WHERE id = $1 AND district_id = $2", {id, district});
    if (exists.empty()) {
      return Error::NotFound("Case", "상담 건");
    }
    const auto rows = c.Execute(
        "SELECT id, case_id, at, actor_id, kind, data FROM case_events WHERE case_id = $1 "
        "ORDER BY id",
        {id});
    std::vector<core::CaseEvent> out;
    out.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      RowReader row(rows, i);
      core::CaseEvent e;
      e.id = row.Int();
      e.case_id = row.Int();
      e.at = row.Time();
      e.actor_id = row.Int();
      e.kind = row.Text();
      e.data = row.Text();
      out.push_back(std::move(e));
    }
    return out;
  });
}

Result<core::CaseId> SqlCaseRepository::CaseOfFollowUp(core::DistrictId district,
                                                       core::FollowUpId id) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<core::CaseId> {
    const auto r = c.Execute(
        "SELECT f.case_id FROM follow_ups f JOIN cases c ON c.id = f.case_id "
        "WHERE f.id = $1 AND c.district_id = $2",
        {id, district});
    if (r.empty()) {
      return Error::NotFound("Follow-up", "사후관리");
    }
    return r.Int(0, 0);
  });
}

Result<core::CaseId> SqlCaseRepository::CaseOfReferral(core::DistrictId district,
                                                       core::ReferralId id) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<core::CaseId> {
    const auto r = c.Execute(
        "SELECT r.case_id FROM referrals r JOIN cases c ON c.id = r.case_id "
        "WHERE r.id = $1 AND c.district_id = $2",
        {id, district});
    if (r.empty()) {
      return Error::NotFound("Referral", "연계");
    }
    return r.Int(0, 0);
  });
}

Result<std::vector<core::WorkItem>> SqlCaseRepository::ListWork(core::DistrictId district,
                                                                const core::WorkFilter& f) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::WorkItem>> {
    Params params{district, ToMicros(f.due_before)};
    Where follow_up_where(params);
    Where referral_where(params);
    if (f.owner_id) {
      const std::string owner = follow_up_where.Param(*f.owner_id);
      follow_up_where.And("f.owner_id = " + owner);
      referral_where.And("r.referred_by = " + owner);
    }
    if (f.dong_id) {
      const std::string dong = follow_up_where.Param(*f.dong_id);
      follow_up_where.And("c.dong_id = " + dong);
      referral_where.And("c.dong_id = " + dong);
    }
    static constexpr std::string_view kUrgencyRank =
        "CASE c.urgency WHEN 'crisis' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END AS urgency_rank";
    const std::string limit =
        follow_up_where.Param(std::int64_t{std::clamp(f.limit, 1, kMaxWorkLimit)});
    const std::string sql =
        "SELECT item_kind, item_id, case_id, number, dong_id, urgency, primary_category, "
        "step_kind, owner_id, due_at, agency_id FROM ("
        "SELECT 0 AS item_kind, f.id AS item_id, f.case_id AS case_id, c.number AS number, "
        "c.dong_id AS dong_id, c.urgency AS urgency, c.primary_category AS primary_category, "
        "f.kind AS step_kind, f.owner_id AS owner_id, f.due_at AS due_at, "
        "CAST(NULL AS BIGINT) AS agency_id, " +
        S(kUrgencyRank) +
        " FROM follow_ups f JOIN cases c ON c.id = f.case_id "
        "WHERE c.district_id = $1 AND f.status = 'open' AND f.due_at < $2" +
        follow_up_where.sql() +
        " UNION ALL "
        "SELECT 1, r.id, r.case_id, c.number, c.dong_id, c.urgency, c.primary_category, "
        "'referral', r.referred_by, r.accept_due_at, r.agency_id, " +
        S(kUrgencyRank) +
        " FROM referrals r JOIN cases c ON c.id = r.case_id "
        "WHERE c.district_id = $1 AND r.status = 'sent' AND r.accept_due_at < $2" +
        referral_where.sql() + ") w ORDER BY urgency_rank, due_at, item_kind, item_id LIMIT " +
        limit;
    const auto rows = c.Execute(sql, params);
    std::vector<core::WorkItem> out;
    out.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      RowReader row(rows, i);
      core::WorkItem w;
      w.kind = row.Int() == 0 ? core::WorkItem::Kind::kFollowUp : core::WorkItem::Kind::kReferral;
      w.id = row.Int();
      w.case_id = row.Int();
      w.case_number = row.Text();
      w.dong_id = row.Int();
      w.urgency = ParseOr(row.Text(), core::Urgency::kNormal);
      w.primary_category = row.Text();
      w.step_kind = row.Text();
      w.owner_id = row.Int();
      w.due_at = row.Time();
      w.agency_id = row.OptInt();
      out.push_back(std::move(w));
    }
    return out;
  });
}

Result<core::CaseStats> SqlCaseRepository::CountCases(core::DistrictId district,
                                                      const core::CaseStatsFilter& f) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<core::CaseStats> {
    core::CaseStats out;
    Params params{district};
    Where where(params);
    if (f.dong_id) {
      where.And("c.dong_id = " + where.Param(*f.dong_id));
    }
    const std::string open = " AND c.status NOT IN " + S(kClosedStatuses);
    const auto by_status =
        c.Execute("SELECT c.status, COUNT(*) FROM cases c WHERE c.district_id = $1" + open +
                      where.sql() + " GROUP BY c.status",
                  params);
    for (std::size_t i = 0; i < by_status.size(); ++i) {
      if (const auto status = core::Parse<core::CaseStatus>(by_status.Text(i, 0))) {
        out.open_by_status.emplace_back(*status, by_status.Int(i, 1));
      }
    }
    const auto by_category =
        c.Execute("SELECT c.primary_category, COUNT(*) FROM cases c WHERE c.district_id = $1" +
                      open + where.sql() + " GROUP BY c.primary_category ORDER BY 2 DESC, 1",
                  params);
    for (std::size_t i = 0; i < by_category.size(); ++i) {
      out.open_by_category.emplace_back(by_category.Text(i, 0), by_category.Int(i, 1));
    }

    // Overdue next steps, counted the way ListWork lists them.
    Params due_params{district, ToMicros(f.now)};
    Where due_where(due_params);
    if (f.dong_id) {
      due_where.And("c.dong_id = " + due_where.Param(*f.dong_id));
    }
    const auto by_owner = c.Execute(
        "SELECT owner_id, COUNT(*) FROM ("
        "SELECT f.owner_id AS owner_id FROM follow_ups f JOIN cases c ON c.id = f.case_id "
        "WHERE c.district_id = $1 AND f.status = 'open' AND f.due_at < $2" +
            due_where.sql() +
            " UNION ALL "
            "SELECT r.referred_by FROM referrals r JOIN cases c ON c.id = r.case_id "
            "WHERE c.district_id = $1 AND r.status = 'sent' AND r.accept_due_at < $2" +
            due_where.sql() + ") w GROUP BY owner_id ORDER BY 2 DESC, 1",
        due_params);
    for (std::size_t i = 0; i < by_owner.size(); ++i) {
      out.overdue_by_owner.emplace_back(by_owner.Int(i, 0), by_owner.Int(i, 1));
    }

    // Intake per week: whole weeks after intake_from, by integer division.
    constexpr std::int64_t kWeekMicros = std::int64_t{7} * 24 * 3600 * 1000000;
    const std::int64_t from = ToMicros(f.intake_from);
    Params week_params{district, from, kWeekMicros, from + kWeekMicros * std::max(f.weeks, 0)};
    Where week_where(week_params);
    if (f.dong_id) {
      week_where.And("c.dong_id = " + week_where.Param(*f.dong_id));
    }
    const auto by_week = c.Execute(
        "SELECT (c.opened_at - $2) / $3, c.channel, COUNT(*) FROM cases c "
        "WHERE c.district_id = $1 AND c.opened_at >= $2 AND c.opened_at < $4" +
            week_where.sql() + " GROUP BY 1, 2 ORDER BY 1, 2",
        week_params);
    for (std::size_t i = 0; i < by_week.size(); ++i) {
      if (const auto channel = core::Parse<core::Channel>(by_week.Text(i, 1))) {
        out.intake.push_back({static_cast<int>(by_week.Int(i, 0)), *channel, by_week.Int(i, 2)});
      }
    }
    return out;
  });
}

Result<std::vector<core::ScheduledFollowUp>> SqlCaseRepository::ListFollowUpsDue(
    core::DistrictId district, const core::FollowUpDueFilter& f) {
  return db_.Transact(
      TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::ScheduledFollowUp>> {
        Params params{district, ToMicros(f.due_from), ToMicros(f.due_to)};
        Where where(params);
        where.And(ScopeCondition(f.scope, where));
        if (f.dong_id) {
          where.And("c.dong_id = " + where.Param(*f.dong_id));
        }
        if (f.owner_id) {
          where.And("f.owner_id = " + where.Param(*f.owner_id));
        }
        const std::string limit =
            where.Param(std::int64_t{std::clamp(f.limit, 1, kMaxCalendarLimit)});
        const auto rows = c.Execute(
            "SELECT f.id, f.case_id, c.number, c.dong_id, c.urgency, f.kind, f.status, f.result, "
            "f.owner_id, f.due_at, f.done_at FROM follow_ups f JOIN cases c ON c.id = f.case_id "
            "WHERE c.district_id = $1 AND f.status IN ('open', 'done') AND f.due_at >= $2 AND "
            "f.due_at < $3" +
                where.sql() + " ORDER BY f.due_at, f.id LIMIT " + limit,
            params);
        std::vector<core::ScheduledFollowUp> out;
        out.reserve(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
          RowReader row(rows, i);
          core::ScheduledFollowUp s;
          s.id = row.Int();
          s.case_id = row.Int();
          s.case_number = row.Text();
          s.dong_id = row.Int();
          s.urgency = ParseOr(row.Text(), core::Urgency::kNormal);
          s.kind = ParseOr(row.Text(), core::FollowUpKind::kCounseling);
          s.status = ParseOr(row.Text(), core::FollowUpStatus::kOpen);
          const std::string result = row.Text();
          if (!result.empty()) {
            s.result = core::Parse<core::FollowUpResult>(result);
          }
          s.owner_id = row.Int();
          s.due_at = row.Time();
          s.done_at = row.OptTime();
          out.push_back(std::move(s));
        }
        return out;
      });
}

Result<std::vector<core::Referral>> SqlCaseRepository::ListReferralsForAgency(
    core::DistrictId district, core::AgencyId agency, std::optional<core::ReferralStatus> status,
    int limit) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::Referral>> {
    Params params{district, agency};
    Where where(params);
    if (status) {
      where.And("r.status = " + where.Param(S(core::Code(*status))));
    }
    const std::string n = where.Param(std::int64_t{std::clamp(limit, 1, kMaxListLimit)});
    const auto rows = c.Execute(
        "SELECT " + S(kReferralColumns) +
            ", c.data_key_id, k.sealed_key FROM referrals r JOIN cases c ON c.id = r.case_id "
            "JOIN data_keys k ON k.id = c.data_key_id WHERE c.district_id = $1 AND "
            "r.agency_id = $2" +
            where.sql() + " ORDER BY r.id DESC LIMIT " + n,
        params);
    KeyCache keys(sealer_);
    std::vector<core::Referral> out;
    out.reserve(rows.size());
    constexpr std::size_t kKeyIdColumn = 20;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto key = keys.Get(rows.Int(i, kKeyIdColumn), rows.rows[i][kKeyIdColumn + 1]);
      if (!key.ok()) {
        return std::move(key).error();
      }
      Opener open(sealer_, *key);
      RowReader row(rows, i);
      out.push_back(ReferralAt(open, row));
      if (!open.ok()) {
        return open.error();
      }
    }
    return out;
  });
}

// --- Holidays
// -------------------------------------------------------------------------------------

Result<std::vector<core::HolidayRow>> SqlHolidayRepository::ListHolidays(
    core::DistrictId district) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::HolidayRow>> {
    const auto rows = c.Execute(
        "SELECT date, name FROM holidays WHERE district_id = $1 ORDER BY date", {district});
    std::vector<core::HolidayRow> out;
    out.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      out.push_back(core::HolidayRow{rows.Text(i, 0), rows.Text(i, 1)});
    }
    return out;
  });
}

core::Status SqlHolidayRepository::PutHoliday(core::DistrictId district,
                                              const core::HolidayRow& holiday) {
  std::vector<core::FieldViolation> violations;
  if (!core::ParseDate(holiday.date)) {
    violations.push_back({"date", "invalid_date", "Use a real date as YYYY-MM-DD.",
                          "날짜는 YYYY-MM-DD 형식의 올바른 날짜여야 합니다."});
  }
  if (core::Trim(holiday.name).empty()) {
    violations.push_back(
        {"name", "required", "The holiday needs a name.", "공휴일 이름을 입력해 주세요."});
  }
  if (!violations.empty()) {
    return Error::Validation(std::move(violations));
  }
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    c.Execute(
        "INSERT INTO holidays (district_id, date, name) VALUES ($1, $2, $3) "
        "ON CONFLICT (district_id, date) DO UPDATE SET name = excluded.name",
        {district, holiday.date, holiday.name});
    return {};
  });
}

core::Status SqlHolidayRepository::DeleteHoliday(core::DistrictId district,
                                                 const std::string& date) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    const auto r =
        c.Execute("DELETE FROM holidays WHERE district_id = $1 AND date = $2", {district, date});
    if (r.affected == 0) {
      return Error::NotFound("Holiday", "공휴일");
    }
    return {};
  });
}

Result<std::vector<core::ClockRuleRow>> SqlHolidayRepository::ListClockRules(
    core::DistrictId district) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::ClockRuleRow>> {
    const auto r = c.Execute(
        "SELECT category, answer_working_days, extension_working_days, progress_notice_days "
        "FROM clock_rules WHERE district_id = $1 ORDER BY category",
        {district});
    std::vector<core::ClockRuleRow> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back({r.Text(i, 0), static_cast<int>(r.Int(i, 1)), static_cast<int>(r.Int(i, 2)),
                     static_cast<int>(r.Int(i, 3))});
    }
    return out;
  });
}

core::Status SqlHolidayRepository::PutClockRule(core::DistrictId district,
                                                const core::ClockRuleRow& rule) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> core::Status {
    c.Execute(
        "INSERT INTO clock_rules (district_id, category, answer_working_days, "
        "extension_working_days, progress_notice_days) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (district_id, category) DO UPDATE SET "
        "answer_working_days = excluded.answer_working_days, "
        "extension_working_days = excluded.extension_working_days, "
        "progress_notice_days = excluded.progress_notice_days",
        {district, rule.category, static_cast<std::int64_t>(rule.answer_working_days),
         static_cast<std::int64_t>(rule.extension_working_days),
         static_cast<std::int64_t>(rule.progress_notice_days)});
    return {};
  });
}

// --- Triage corrections ---------------------------------------------------------------------

Status SqlCaseRepository::RecordTriageCorrection(core::DistrictId district,
                                                 const core::TriageCorrection& correction) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    const auto r = c.Execute(
        "SELECT c.data_key_id, k.sealed_key FROM cases c JOIN data_keys k ON k.id = c.data_key_id "
        "WHERE c.id = $1 AND c.district_id = $2",
        {correction.case_id, district});
    if (r.empty()) {
      return Error::NotFound("Case", "상담 건");
    }
    auto key = OpenDataKey(sealer_, r.Int(0, 0), r.rows[0][1]);
    if (!key.ok()) {
      return std::move(key).error();
    }
    const Value sealed =
        SealField(sealer_, *key, correction.text, "triage_correction.text", correction.case_id);
    if (std::holds_alternative<Null>(sealed)) {
      return {};  // an erased case or no text: nothing to learn from
    }
    c.Execute(
        "INSERT INTO triage_corrections (district_id, case_id, data_key_id, category, suggested, "
        "text_sealed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {district, correction.case_id, r.Int(0, 0), correction.category, correction.suggested,
         sealed, NowMicros()});
    return {};
  });
}

Result<std::int64_t> SqlCaseRepository::CountTriageCorrections(core::DistrictId district) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::int64_t> {
    return c.Execute("SELECT COUNT(*) FROM triage_corrections WHERE district_id = $1", {district})
        .Int(0, 0);
  });
}

Result<std::vector<core::TriageCorrection>> SqlCaseRepository::ListTriageCorrections(
    core::DistrictId district) {
  return db_.Transact(
      TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::TriageCorrection>> {
        const auto r = c.Execute(
            "SELECT t.case_id, t.category, t.suggested, t.text_sealed, t.data_key_id, "
            "k.sealed_key FROM triage_corrections t JOIN data_keys k ON k.id = t.data_key_id "
            "WHERE t.district_id = $1 ORDER BY t.id",
            {district});
        KeyCache keys(sealer_);
        std::vector<core::TriageCorrection> out;
        for (std::size_t i = 0; i < r.size(); ++i) {
          auto key = keys.Get(r.Int(i, 4), r.rows[i][5]);
          if (!key.ok()) {
            return std::move(key).error();
          }
          Opener open(sealer_, *key);
          core::TriageCorrection t;
          t.case_id = r.Int(i, 0);
          t.category = r.Text(i, 1);
          t.suggested = r.Text(i, 2);
          t.text = open(r.rows[i][3], "triage_correction.text", t.case_id);
          if (!open.ok()) {
            return open.error();
          }
          if (!t.text.empty()) {  // a destroyed key reads as empty
            out.push_back(std::move(t));
          }
        }
        return out;
      });
}

}  // namespace caredesk::storage::sql
