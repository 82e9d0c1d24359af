#include "storage/sql/sql_screening_repository.hpp"

#include <map>
#include <tuple>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <unordered_map>

#include "storage/sql/json_columns.hpp"
#include "storage/sql/sql_identity_repository.hpp"

namespace caredesk::storage::sql {
namespace {

using core::Error;
using core::Result;
using nlohmann::json;

// Rows per multi-row INSERT: well under both backends' parameter limits, and
// few enough statements that a million households insert in seconds.
constexpr std::size_t kHouseholdsPerInsert = 200;
constexpr std::size_t kSignalsPerInsert = 300;
constexpr int kScanPage = 5000;

double Real(const Rows& r, std::size_t row, std::size_t col) { return r.Real(row, col); }

core::Date DateColumn(const Rows& r, std::size_t row, std::size_t col) {
  const auto d = core::ParseDate(r.Text(row, col));
  if (!d) {
    throw DbError(DbErrorKind::kOther, "column " + r.columns.at(col) + " holds no date");
  }
  return *d;
}

// --- The model, stored whole as JSON (the version is its row's) -------------------

json ModelToJson(const core::ScreeningModel& m) {
  json indicators = json::array();
  for (const auto& d : m.indicators) {
    indicators.push_back({{"code", d.code},
                          {"name_ko", d.name_ko},
                          {"domain", core::Code(d.domain)},
                          {"arrears", d.arrears},
                          {"weight", d.weight},
                          {"per_month", d.per_month},
                          {"max_months", d.max_months}});
  }
  return {{"indicators", indicators},
          {"recent_days", m.recent_days},
          {"half_life_days", m.half_life_days},
          {"lookback_days", m.lookback_days},
          {"same_domain_factor", m.same_domain_factor},
          {"breadth_points", m.breadth_points},
          {"elderly_age", m.elderly_age},
          {"elderly", m.elderly},
          {"living_alone", m.living_alone},
          {"middle_aged_alone", m.middle_aged_alone},
          {"disability", m.disability},
          {"large_household_members", m.large_household_members},
          {"large_household", m.large_household},
          {"fragile_housing", m.fragile_housing},
          {"earlier_flag", m.earlier_flag},
          {"max_earlier_flags", m.max_earlier_flags},
          {"unsupported_consultation", m.unsupported_consultation},
          {"history_days", m.history_days},
          {"unreachable_before", m.unreachable_before},
          {"no_need_days", m.no_need_days},
          {"no_need_recent", m.no_need_recent},
          {"new_after_no_need", m.new_after_no_need}};
}

core::ScreeningModel ModelFromJson(const json& j, int version) {
  try {
    core::ScreeningModel m;
    m.version = version;
    m.indicators.clear();
    for (const auto& d : j.at("indicators")) {
      core::IndicatorDefinition def;
      def.code = d.at("code").get<std::string>();
      def.name_ko = d.at("name_ko").get<std::string>();
      def.domain = core::Parse<core::RiskDomain>(d.at("domain").get<std::string>())
                       .value_or(core::RiskDomain::kIncome);
      def.arrears = d.at("arrears").get<bool>();
      def.weight = d.at("weight").get<double>();
      def.per_month = d.at("per_month").get<double>();
      def.max_months = d.at("max_months").get<int>();
      m.indicators.push_back(std::move(def));
    }
    m.recent_days = j.at("recent_days").get<int>();
    m.half_life_days = j.at("half_life_days").get<int>();
    m.lookback_days = j.at("lookback_days").get<int>();
    m.same_domain_factor = j.at("same_domain_factor").get<double>();
    m.breadth_points = j.at("breadth_points").get<std::vector<double>>();
    m.elderly_age = j.at("elderly_age").get<int>();
    m.elderly = j.at("elderly").get<double>();
    m.living_alone = j.at("living_alone").get<double>();
    m.middle_aged_alone = j.at("middle_aged_alone").get<double>();
    m.disability = j.at("disability").get<double>();
    m.large_household_members = j.at("large_household_members").get<int>();
    m.large_household = j.at("large_household").get<double>();
    m.fragile_housing = j.at("fragile_housing").get<double>();
    m.earlier_flag = j.at("earlier_flag").get<double>();
    m.max_earlier_flags = j.at("max_earlier_flags").get<int>();
    m.unsupported_consultation = j.at("unsupported_consultation").get<double>();
    m.history_days = j.at("history_days").get<int>();
    m.unreachable_before = j.at("unreachable_before").get<double>();
    m.no_need_days = j.at("no_need_days").get<int>();
    m.no_need_recent = j.at("no_need_recent").get<double>();
    m.new_after_no_need = j.at("new_after_no_need").get<double>();
    return m;
  } catch (const json::exception& e) {
    throw DbError(DbErrorKind::kOther, std::string("screening model: ") + e.what());
  }
}

// --- Import -------------------------------------------------------------------

class Writer final : public core::ScreeningImportWriter {
 public:
  Writer(Connection& c, core::DistrictId district, std::int64_t now)
      : c_(c), district_(district), now_(now) {}

  void AddHouseholds(std::span<const core::StoredHousehold> households) override {
    for (std::size_t at = 0; at < households.size(); at += kHouseholdsPerInsert) {
      const auto n = std::min(kHouseholdsPerInsert, households.size() - at);
      std::string sql =
          "INSERT INTO screening_households (district_id, household_id, dong_id, "
          "head_birth_year, members, living_alone, disability, housing_type, updated_at) VALUES " +
          ValuesPlaceholders(n, 9);
      Params p;
      p.reserve(n * 9);
      for (std::size_t i = 0; i < n; ++i) {
        const auto& h = households[at + i];
        p.emplace_back(district_);
        p.emplace_back(h.household.household_id);
        p.emplace_back(h.dong_id);
        p.emplace_back(static_cast<std::int64_t>(h.household.head_birth_year));
        p.emplace_back(static_cast<std::int64_t>(h.household.members));
        p.emplace_back(static_cast<std::int64_t>(h.household.living_alone ? 1 : 0));
        p.emplace_back(static_cast<std::int64_t>(h.household.disability ? 1 : 0));
        p.emplace_back(std::string(core::Code(h.household.housing)));
        p.emplace_back(now_);
      }
      sql +=
          " ON CONFLICT (district_id, household_id) DO UPDATE SET dong_id = excluded.dong_id, "
          "head_birth_year = excluded.head_birth_year, members = excluded.members, "
          "living_alone = excluded.living_alone, disability = excluded.disability, "
          "housing_type = excluded.housing_type, updated_at = excluded.updated_at";
      c_.Execute(sql, p);
    }
  }

  void AddSignals(std::span<const core::RiskSignal> signals) override {
    // One row per household, indicator and date: a repeated row updates it (the
    // later wins, within a statement too, where PostgreSQL refuses a second update).
    std::map<std::tuple<std::string_view, std::string_view, core::Date>, const core::RiskSignal*>
        rows;
    for (const auto& s : signals) {
      rows[{s.household_id, s.indicator, s.reported_on}] = &s;
      batches_.insert(s.reported_on);
    }
    std::vector<const core::RiskSignal*> unique;
    unique.reserve(rows.size());
    for (const auto& [key, s] : rows) {
      unique.push_back(s);
    }
    for (std::size_t at = 0; at < unique.size(); at += kSignalsPerInsert) {
      const auto n = std::min(kSignalsPerInsert, unique.size() - at);
      std::string sql =
          "INSERT INTO screening_signals (district_id, household_id, indicator, months, "
          "amount_krw, reported_on) VALUES " +
          ValuesPlaceholders(n, 6);
      Params p;
      p.reserve(n * 6);
      for (std::size_t i = 0; i < n; ++i) {
        const auto& s = *unique[at + i];
        p.emplace_back(district_);
        p.emplace_back(s.household_id);
        p.emplace_back(s.indicator);
        p.emplace_back(static_cast<std::int64_t>(s.months));
        p.emplace_back(s.amount_krw);
        p.emplace_back(core::FormatDate(s.reported_on));
      }
      sql +=
          " ON CONFLICT (district_id, household_id, indicator, reported_on) DO UPDATE SET "
          "months = excluded.months, amount_krw = excluded.amount_krw";
      c_.Execute(sql, p);
    }
  }

  bool HouseholdKnown(const std::string& household_id) override {
    return !c_.Execute(
                  "SELECT 1 FROM screening_households WHERE district_id = $1 AND household_id = $2",
                  {district_, household_id})
                .empty();
  }

  const std::set<core::Date>& batches() const { return batches_; }

 private:
  Connection& c_;
  core::DistrictId district_;
  std::int64_t now_;
  std::set<core::Date> batches_;
};

core::ScreeningImport ImportFrom(const Rows& r, std::size_t i) {
  core::ScreeningImport s;
  s.id = r.Int(i, 0);
  s.district_id = r.Int(i, 1);
  s.imported_at = FromMicros(r.Int(i, 2));
  s.imported_by = r.Text(i, 3);
  s.source = r.Text(i, 4);
  s.households = r.Int(i, 5);
  s.signals = r.Int(i, 6);
  s.skipped = r.Int(i, 7);
  for (const auto& d : ParseJson(r.Text(i, 8), "batches")) {
    if (const auto date = core::ParseDate(d.get<std::string>())) {
      s.batches.push_back(*date);
    }
  }
  return s;
}

// --- Runs and flags -----------------------------------------------------------

constexpr std::string_view kRunColumns =
    "r.id, r.district_id, r.model_version, r.as_of, r.capacity_per_dong, r.created_by, "
    "r.created_at, r.households_scored, "
    "(SELECT COUNT(*) FROM screening_flags f WHERE f.run_id = r.id AND f.state <> "
    "'under_management'), "
    "(SELECT COUNT(*) FROM screening_flags f WHERE f.run_id = r.id AND f.state = 'raised_again'), "
    "(SELECT COUNT(*) FROM screening_flags f WHERE f.run_id = r.id AND f.state = "
    "'under_management'), "
    "(SELECT COUNT(*) FROM screening_flags f WHERE f.run_id = r.id AND f.case_id IS NOT NULL "
    "AND f.state <> 'under_management')";

core::ScreeningRun RunFrom(const Rows& r, std::size_t i) {
  core::ScreeningRun run;
  run.id = r.Int(i, 0);
  run.district_id = r.Int(i, 1);
  run.model_version = static_cast<int>(r.Int(i, 2));
  run.as_of = DateColumn(r, i, 3);
  run.capacity_per_dong = static_cast<int>(r.Int(i, 4));
  run.created_by = r.Int(i, 5);
  run.created_at = FromMicros(r.Int(i, 6));
  run.households_scored = r.Int(i, 7);
  run.listed = r.Int(i, 8);
  run.raised_again = r.Int(i, 9);
  run.under_management = r.Int(i, 10);
  run.cases_created = r.Int(i, 11);
  return run;
}

constexpr std::string_view kFlagColumns =
    "id, run_id, district_id, household_id, dong_id, head_birth_year, members, living_alone, "
    "disability, housing_type, rank, score, reasons, summary, state, case_id, outcome, "
    "outcome_detail, no_need_reason, outcome_at, outcome_by";

core::OutreachFlag FlagFrom(const Rows& r, std::size_t i) {
  core::OutreachFlag f;
  f.id = r.Int(i, 0);
  f.run_id = r.Int(i, 1);
  f.district_id = r.Int(i, 2);
  f.household.household.household_id = r.Text(i, 3);
  f.household.dong_id = r.Int(i, 4);
  f.household.household.head_birth_year = static_cast<int>(r.Int(i, 5));
  f.household.household.members = static_cast<int>(r.Int(i, 6));
  f.household.household.living_alone = r.Int(i, 7) != 0;
  f.household.household.disability = r.Int(i, 8) != 0;
  f.household.household.housing =
      core::Parse<core::HousingType>(r.Text(i, 9)).value_or(core::HousingType::kOther);
  f.rank = static_cast<int>(r.Int(i, 10));
  f.score = Real(r, i, 11);
  for (const auto& reason : ParseJson(r.Text(i, 12), "reasons")) {
    f.reasons.push_back({reason.value("code", ""), reason.value("text_ko", ""),
                         reason.value("points", 0.0)});
  }
  f.summary_ko = r.Text(i, 13);
  f.state = core::Parse<core::FlagState>(r.Text(i, 14)).value_or(core::FlagState::kListed);
  if (!r.IsNull(i, 15)) {
    f.case_id = r.Int(i, 15);
  }
  if (!r.IsNull(i, 16)) {
    f.outcome = core::Parse<core::OutreachOutcome>(r.Text(i, 16));
  }
  f.outcome_detail = r.Text(i, 17);
  f.no_need_reason = r.Text(i, 18);
  if (!r.IsNull(i, 19)) {
    f.outcome_at = FromMicros(r.Int(i, 19));
  }
  f.outcome_by = r.Int(i, 20);
  return f;
}

Error FlagNotFound() { return Error::NotFound("Outreach household", "발굴 대상 가구"); }
Error RunNotFound() { return Error::NotFound("Screening run", "선별 실행"); }

}  // namespace

Result<core::ScreeningImport> SqlScreeningRepository::Import(
    const core::ScreeningImport& record,
    const std::function<Result<core::ScreeningImport>(core::ScreeningImportWriter&)>& feed) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<core::ScreeningImport> {
    Writer writer(c, record.district_id, ToMicros(record.imported_at));
    auto fed = feed(writer);
    if (!fed.ok()) {
      return fed;
    }
    core::ScreeningImport out = *fed;
    out.district_id = record.district_id;
    out.imported_at = record.imported_at;
    out.batches.assign(writer.batches().begin(), writer.batches().end());
    json batches = json::array();
    for (const auto& d : out.batches) {
      batches.push_back(core::FormatDate(d));
    }
    const auto r = c.Execute(
        "INSERT INTO screening_imports (district_id, imported_at, imported_by, source, households, "
        "signals, skipped, batches) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        {out.district_id, ToMicros(out.imported_at), out.imported_by, out.source, out.households,
         out.signals, out.skipped, Dump(batches)});
    out.id = r.Int(0, 0);
    // A large import leaves PostgreSQL's planner statistics behind until autovacuum
    // comes round: a run straight after it then scans instead of using the indexes.
    if (c.dialect() == Dialect::kPostgres) {
      c.Execute("ANALYZE screening_households, screening_signals", {});
    }
    return out;
  });
}

Result<std::vector<core::ScreeningImport>> SqlScreeningRepository::ListImports(
    core::DistrictId district) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::ScreeningImport>> {
    const auto r = c.Execute(
        "SELECT id, district_id, imported_at, imported_by, source, households, signals, skipped, "
        "batches FROM screening_imports WHERE district_id = $1 ORDER BY id DESC",
        {district});
    std::vector<core::ScreeningImport> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(ImportFrom(r, i));
    }
    return out;
  });
}

Result<std::optional<core::ScreeningModel>> SqlScreeningRepository::LatestModel(
    core::DistrictId district) {
  return db_.Transact(TxMode::kRead,
                      [&](Connection& c) -> Result<std::optional<core::ScreeningModel>> {
                        const auto r = c.Execute(
                            "SELECT version, config FROM screening_models WHERE district_id = $1 "
                            "ORDER BY version DESC LIMIT 1",
                            {district});
                        if (r.empty()) {
                          return std::optional<core::ScreeningModel>();
                        }
                        return std::optional<core::ScreeningModel>(ModelFromJson(
                            ParseJson(r.Text(0, 1), "config"), static_cast<int>(r.Int(0, 0))));
                      });
}

Result<core::ScreeningModel> SqlScreeningRepository::GetModel(core::DistrictId district,
                                                              int version) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<core::ScreeningModel> {
    const auto r = c.Execute(
        "SELECT version, config FROM screening_models WHERE district_id = $1 AND version = $2",
        {district, static_cast<std::int64_t>(version)});
    if (r.empty()) {
      return Error::NotFound("Screening model version", "선별 모델 버전");
    }
    return ModelFromJson(ParseJson(r.Text(0, 1), "config"), version);
  });
}

Result<core::ScreeningModel> SqlScreeningRepository::SaveModel(core::DistrictId district,
                                                               const core::ScreeningModel& model,
                                                               core::UserId by,
                                                               core::TimePoint at) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<core::ScreeningModel> {
    const auto r = c.Execute(
        "SELECT COALESCE(MAX(version), 0) FROM screening_models WHERE district_id = $1",
        {district});
    // Version 1 is the built-in default; the first saved edit is version 2.
    const std::int64_t version = std::max<std::int64_t>(r.Int(0, 0), 1) + 1;
    c.Execute(
        "INSERT INTO screening_models (district_id, version, config, created_by, created_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        {district, version, Dump(ModelToJson(model)), by, ToMicros(at)});
    auto saved = model;
    saved.version = static_cast<int>(version);
    return saved;
  });
}

core::Status SqlScreeningRepository::ScanHouseholds(core::DistrictId district, core::Date since,
                                                    const core::HouseholdVisitor& visit) {
  // The history first: it concerns the few households screened or served before.
  std::unordered_map<std::string, core::HouseholdHistory> history;
  auto loaded = db_.Transact(TxMode::kRead, [&](Connection& c) -> core::Status {
    auto r = c.Execute(
        "SELECT household_id, COUNT(*) FROM screening_flags WHERE district_id = $1 AND state <> "
        "'under_management' AND (outcome IS NULL OR outcome <> 'support_linked') GROUP BY "
        "household_id",
        {district});
    for (std::size_t i = 0; i < r.size(); ++i) {
      history[r.Text(i, 0)].earlier_flags_unsupported = static_cast<int>(r.Int(i, 1));
    }
    r = c.Execute(
        "SELECT household_id, outcome, outcome_at FROM screening_flags WHERE district_id = $1 AND "
        "outcome IS NOT NULL ORDER BY household_id, outcome_at, id",
        {district});
    for (std::size_t i = 0; i < r.size(); ++i) {
      auto& h = history[r.Text(i, 0)];
      h.last_outcome = core::Parse<core::OutreachOutcome>(r.Text(i, 1));
      h.last_outcome_on = core::KstDate(FromMicros(r.Int(i, 2)));
    }
    // Consulted in a case that linked nothing (no referral accepted or completed).
    r = c.Execute(
        "SELECT h.household_id, MAX(co.at) FROM screening_households h "
        "JOIN cases k ON k.resident_id = h.resident_id "
        "JOIN consultations co ON co.case_id = k.id "
        "WHERE h.district_id = $1 AND h.resident_id IS NOT NULL AND NOT EXISTS ("
        "SELECT 1 FROM referrals f WHERE f.case_id = k.id AND f.status IN ('accepted', "
        "'completed')) GROUP BY h.household_id",
        {district});
    for (std::size_t i = 0; i < r.size(); ++i) {
      history[r.Text(i, 0)].last_unsupported_consultation =
          core::KstDate(FromMicros(r.Int(i, 1)));
    }
    r = c.Execute(
        "SELECT h.household_id, MAX(k.id) FROM screening_households h "
        "JOIN cases k ON k.resident_id = h.resident_id "
        "WHERE h.district_id = $1 AND k.status NOT IN ('resolved', 'closed') "
        "GROUP BY h.household_id",
        {district});
    for (std::size_t i = 0; i < r.size(); ++i) {
      auto& h = history[r.Text(i, 0)];
      h.under_management = true;
      h.open_case = r.Int(i, 1);
    }
    return {};
  });
  if (!loaded.ok()) {
    return loaded;
  }

  const core::HouseholdHistory none;
  const std::string since_text = core::FormatDate(since);
  std::string after;
  bool first = true;
  for (;;) {
    std::vector<core::StoredHousehold> page;
    std::unordered_map<std::string, std::vector<core::RiskSignal>> signals;
    auto read = db_.Transact(TxMode::kRead, [&](Connection& c) -> core::Status {
      page.clear();
      signals.clear();
      const auto r = c.Execute(
          first ? "SELECT household_id, dong_id, head_birth_year, members, living_alone, "
                  "disability, housing_type FROM screening_households WHERE district_id = $1 "
                  "ORDER BY household_id LIMIT $2"
                : "SELECT household_id, dong_id, head_birth_year, members, living_alone, "
                  "disability, housing_type FROM screening_households WHERE district_id = $1 "
                  "AND household_id > $3 ORDER BY household_id LIMIT $2",
          first ? Params{district, static_cast<std::int64_t>(kScanPage)}
                : Params{district, static_cast<std::int64_t>(kScanPage), after});
      for (std::size_t i = 0; i < r.size(); ++i) {
        core::StoredHousehold h;
        h.household.household_id = r.Text(i, 0);
        h.dong_id = r.Int(i, 1);
        h.household.head_birth_year = static_cast<int>(r.Int(i, 2));
        h.household.members = static_cast<int>(r.Int(i, 3));
        h.household.living_alone = r.Int(i, 4) != 0;
        h.household.disability = r.Int(i, 5) != 0;
        h.household.housing =
            core::Parse<core::HousingType>(r.Text(i, 6)).value_or(core::HousingType::kOther);
        page.push_back(std::move(h));
      }
      if (page.empty()) {
        return {};
      }
      const auto s = c.Execute(
          "SELECT household_id, indicator, months, amount_krw, reported_on FROM screening_signals "
          "WHERE district_id = $1 AND household_id >= $2 AND household_id <= $3 AND "
          "reported_on >= $4",
          {district, page.front().household.household_id, page.back().household.household_id,
           since_text});
      for (std::size_t i = 0; i < s.size(); ++i) {
        core::RiskSignal sig;
        sig.household_id = s.Text(i, 0);
        sig.indicator = s.Text(i, 1);
        sig.months = static_cast<int>(s.Int(i, 2));
        sig.amount_krw = s.Int(i, 3);
        sig.reported_on = DateColumn(s, i, 4);
        auto key = sig.household_id;
        signals[key].push_back(std::move(sig));
      }
      return {};
    });
    if (!read.ok()) {
      return read;
    }
    if (page.empty()) {
      return {};
    }
    for (const auto& h : page) {
      const auto it = signals.find(h.household.household_id);
      const auto hist = history.find(h.household.household_id);
      visit(h,
            it == signals.end() ? std::span<const core::RiskSignal>()
                                : std::span<const core::RiskSignal>(it->second),
            hist == history.end() ? none : hist->second);
    }
    after = page.back().household.household_id;
    first = false;
  }
}

Result<core::ScreeningRun> SqlScreeningRepository::CreateRun(
    const core::ScreeningRun& run, const std::vector<core::OutreachFlag>& flags) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<core::ScreeningRun> {
    const auto r = c.Execute(
        "INSERT INTO screening_runs (district_id, model_version, as_of, capacity_per_dong, "
        "created_by, created_at, households_scored) VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "RETURNING id",
        {run.district_id, static_cast<std::int64_t>(run.model_version), core::FormatDate(run.as_of),
         static_cast<std::int64_t>(run.capacity_per_dong), run.created_by,
         ToMicros(run.created_at), run.households_scored});
    const auto id = r.Int(0, 0);
    for (const auto& f : flags) {
      json reasons = json::array();
      for (const auto& reason : f.reasons) {
        reasons.push_back(
            {{"code", reason.code}, {"text_ko", reason.text_ko}, {"points", reason.points}});
      }
      const auto& h = f.household.household;
      c.Execute(
          "INSERT INTO screening_flags (run_id, district_id, household_id, dong_id, "
          "head_birth_year, members, living_alone, disability, housing_type, rank, score, "
          "reasons, summary, state, case_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
          "$11, $12, $13, $14, $15)",
          {id, run.district_id, h.household_id, f.household.dong_id,
           static_cast<std::int64_t>(h.head_birth_year), static_cast<std::int64_t>(h.members),
           static_cast<std::int64_t>(h.living_alone ? 1 : 0),
           static_cast<std::int64_t>(h.disability ? 1 : 0), std::string(core::Code(h.housing)),
           static_cast<std::int64_t>(f.rank), f.score, Dump(reasons), f.summary_ko,
           std::string(core::Code(f.state)), f.case_id ? Value(*f.case_id) : Value(Null{})});
    }
    const auto back = c.Execute(
        "SELECT " + std::string(kRunColumns) + " FROM screening_runs r WHERE r.id = $1", {id});
    return RunFrom(back, 0);
  });
}

Result<std::vector<core::ScreeningRun>> SqlScreeningRepository::ListRuns(core::DistrictId district) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::ScreeningRun>> {
    const auto r = c.Execute("SELECT " + std::string(kRunColumns) +
                                 " FROM screening_runs r WHERE r.district_id = $1 ORDER BY r.id "
                                 "DESC",
                             {district});
    std::vector<core::ScreeningRun> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(RunFrom(r, i));
    }
    return out;
  });
}

Result<core::ScreeningRun> SqlScreeningRepository::GetRun(core::DistrictId district,
                                                          core::ScreeningRunId id) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<core::ScreeningRun> {
    const auto r = c.Execute("SELECT " + std::string(kRunColumns) +
                                 " FROM screening_runs r WHERE r.district_id = $1 AND r.id = $2",
                             {district, id});
    if (r.empty()) {
      return RunNotFound();
    }
    return RunFrom(r, 0);
  });
}

Result<std::vector<core::OutreachFlag>> SqlScreeningRepository::ListFlags(
    core::DistrictId district, core::ScreeningRunId run, std::optional<core::DongId> dong) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::OutreachFlag>> {
    // Listed households by rank, then those under management by score.
    const std::string order = " ORDER BY dong_id, CASE WHEN rank = 0 THEN 1 ELSE 0 END, rank, "
                              "score DESC, household_id";
    const auto r =
        dong ? c.Execute("SELECT " + std::string(kFlagColumns) +
                             " FROM screening_flags WHERE district_id = $1 AND run_id = $2 AND "
                             "dong_id = $3" +
                             order,
                         {district, run, *dong})
             : c.Execute("SELECT " + std::string(kFlagColumns) +
                             " FROM screening_flags WHERE district_id = $1 AND run_id = $2" + order,
                         {district, run});
    std::vector<core::OutreachFlag> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(FlagFrom(r, i));
    }
    return out;
  });
}

Result<core::OutreachFlag> SqlScreeningRepository::GetFlag(core::DistrictId district,
                                                           core::OutreachFlagId id) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<core::OutreachFlag> {
    const auto r = c.Execute("SELECT " + std::string(kFlagColumns) +
                                 " FROM screening_flags WHERE district_id = $1 AND id = $2",
                             {district, id});
    if (r.empty()) {
      return FlagNotFound();
    }
    return FlagFrom(r, 0);
  });
}

core::Status SqlScreeningRepository::AttachCase(core::OutreachFlagId flag, core::CaseId case_id,
                                                core::ResidentId resident) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> core::Status {
    const auto r = c.Execute(
        "UPDATE screening_flags SET case_id = $2 WHERE id = $1 RETURNING district_id, "
        "household_id",
        {flag, case_id});
    if (r.empty()) {
      return FlagNotFound();
    }
    c.Execute(
        "UPDATE screening_households SET resident_id = $3 WHERE district_id = $1 AND "
        "household_id = $2",
        {r.Int(0, 0), r.Text(0, 1), resident});
    return {};
  });
}

Result<std::optional<core::ResidentId>> SqlScreeningRepository::LinkedResident(
    core::DistrictId district, const std::string& household_id) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::optional<core::ResidentId>> {
    const auto r = c.Execute(
        "SELECT resident_id FROM screening_households WHERE district_id = $1 AND household_id = "
        "$2",
        {district, household_id});
    if (r.empty() || r.IsNull(0, 0)) {
      return std::optional<core::ResidentId>();
    }
    return std::optional<core::ResidentId>(r.Int(0, 0));
  });
}

Result<core::OutreachFlag> SqlScreeningRepository::RecordOutcome(const core::OutreachFlag& flag) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<core::OutreachFlag> {
    const auto r = c.Execute(
        "UPDATE screening_flags SET outcome = $3, outcome_detail = $4, no_need_reason = $5, "
        "outcome_at = $6, outcome_by = $7 WHERE district_id = $1 AND id = $2 RETURNING id",
        {flag.district_id, flag.id,
         flag.outcome ? Value(std::string(core::Code(*flag.outcome))) : Value(Null{}),
         flag.outcome_detail, flag.no_need_reason,
         flag.outcome_at ? Value(ToMicros(*flag.outcome_at)) : Value(Null{}), flag.outcome_by});
    if (r.empty()) {
      return FlagNotFound();
    }
    const auto back = c.Execute(
        "SELECT " + std::string(kFlagColumns) + " FROM screening_flags WHERE id = $1", {flag.id});
    return FlagFrom(back, 0);
  });
}

Result<core::OutreachFunnel> SqlScreeningRepository::Funnel(core::DistrictId district,
                                                            std::optional<core::ScreeningRunId> run,
                                                            std::optional<core::DongId> dong) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<core::OutreachFunnel> {
    std::string sql =
        "SELECT COUNT(*), "
        "COALESCE(SUM(CASE WHEN outcome IN ('contacted', 'support_linked', 'no_need') THEN 1 ELSE "
        "0 END), 0), "
        "COALESCE(SUM(CASE WHEN case_id IS NOT NULL AND EXISTS (SELECT 1 FROM consultations co "
        "WHERE co.case_id = screening_flags.case_id) THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN outcome = 'support_linked' THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN outcome IN ('support_linked', 'no_need', 'unreachable') THEN 1 "
        "ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN outcome = 'unreachable' THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN outcome = 'no_need' THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN state = 'raised_again' THEN 1 ELSE 0 END), 0) "
        "FROM screening_flags WHERE district_id = $1 AND state <> 'under_management'";
    Params p{district};
    if (run) {
      p.emplace_back(*run);
      sql += " AND run_id = $" + std::to_string(p.size());
    }
    if (dong) {
      p.emplace_back(*dong);
      sql += " AND dong_id = $" + std::to_string(p.size());
    }
    const auto r = c.Execute(sql, p);
    core::OutreachFunnel f;
    f.flagged = r.Int(0, 0);
    f.contacted = r.Int(0, 1);
    f.assessed = r.Int(0, 2);
    f.linked = r.Int(0, 3);
    f.outcome = r.Int(0, 4);
    f.unreachable = r.Int(0, 5);
    f.no_need = r.Int(0, 6);
    f.raised_again = r.Int(0, 7);
    return f;
  });
}

}  // namespace caredesk::storage::sql
