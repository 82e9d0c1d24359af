// Saved case-list filters over the SQL port (both backends): part of
// SqlCaseRepository, kept apart from the sealed case data. The query is a
// JSON object of strings; it holds no personal data, so nothing is sealed.
#include <nlohmann/json.hpp>

#include "storage/sql/sql_case_repository.hpp"
#include "storage/sql/sql_identity_repository.hpp"

namespace caredesk::storage::sql {
namespace {

using core::Error;
using core::Result;
using core::SavedFilter;

constexpr std::string_view kColumns = "id, district_id, user_id, name, query, created_at";

std::string QueryToJson(const std::map<std::string, std::string>& query) {
  return nlohmann::json(query).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::map<std::string, std::string> QueryFromJson(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    throw DbError(DbErrorKind::kOther, "saved_filters.query holds no JSON object");
  }
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : j.items()) {
    if (value.is_string()) {
      out.emplace(key, value.get<std::string>());
    }
  }
  return out;
}

SavedFilter FilterAt(const Rows& r, std::size_t i) {
  SavedFilter f;
  f.id = r.Int(i, 0);
  f.district_id = r.Int(i, 1);
  f.owner_id = r.Int(i, 2);
  f.name = r.Text(i, 3);
  f.query = QueryFromJson(r.Text(i, 4));
  f.created_at = FromMicros(r.Int(i, 5));
  return f;
}

Error SavedFilterNotFound() { return Error::NotFound("Saved filter", "저장한 조건"); }

}  // namespace

Result<std::vector<SavedFilter>> SqlCaseRepository::ListSavedFilters(core::DistrictId district,
                                                                     core::UserId owner) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<SavedFilter>> {
    const auto r = c.Execute("SELECT " + std::string(kColumns) +
                                 " FROM saved_filters WHERE district_id = $1 AND user_id = $2 "
                                 "ORDER BY id",
                             {district, owner});
    std::vector<SavedFilter> out;
    out.reserve(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(FilterAt(r, i));
    }
    return out;
  });
}

Result<SavedFilter> SqlCaseRepository::CreateSavedFilter(const SavedFilter& f, int max_per_owner) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<SavedFilter> {
    // One owner's saves queue behind each other: SQLite has a single writer,
    // PostgreSQL locks the owner's row until this transaction ends.
    if (c.dialect() == Dialect::kPostgres) {
      c.Execute("SELECT id FROM users WHERE id = $1 FOR UPDATE", {f.owner_id});
    }
    const auto count =
        c.Execute("SELECT COUNT(*) FROM saved_filters WHERE district_id = $1 AND user_id = $2",
                  {f.district_id, f.owner_id});
    if (count.Int(0, 0) >= max_per_owner) {
      return Error::Make(core::ErrorCode::kConflict, "Too many saved filters.",
                         "저장한 조건이 너무 많습니다.");
    }
    const auto r = c.Execute(
        "INSERT INTO saved_filters (district_id, user_id, name, query, created_at) "
        "VALUES ($1, $2, $3, $4, $5) RETURNING " +
            std::string(kColumns),
        {f.district_id, f.owner_id, f.name, QueryToJson(f.query), ToMicros(f.created_at)});
    return FilterAt(r, 0);
  });
}

Result<SavedFilter> SqlCaseRepository::GetSavedFilter(core::DistrictId district,
                                                      core::SavedFilterId id) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<SavedFilter> {
    const auto r = c.Execute("SELECT " + std::string(kColumns) +
                                 " FROM saved_filters WHERE id = $1 AND district_id = $2",
                             {id, district});
    if (r.empty()) {
      return SavedFilterNotFound();
    }
    return FilterAt(r, 0);
  });
}

core::Status SqlCaseRepository::DeleteSavedFilter(core::DistrictId district,
                                                  core::SavedFilterId id) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> core::Status {
    const auto r =
        c.Execute("DELETE FROM saved_filters WHERE id = $1 AND district_id = $2", {id, district});
    if (r.affected == 0) {
      return SavedFilterNotFound();
    }
    return {};
  });
}

}  // namespace caredesk::storage::sql
