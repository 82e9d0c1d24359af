#include "storage/sql/sql_directory_repository.hpp"

#include <map>

namespace caredesk::storage::sql {
namespace {

using core::Agency;
using core::Desk;
using core::District;
using core::Dong;
using core::Error;
using core::Result;

std::string S(std::string_view v) { return std::string(v); }

Result<District> DistrictByCode(Connection& c, std::string_view code) {
  const auto r = c.Execute("SELECT id, code, name FROM districts WHERE code = $1", {S(code)});
  if (r.empty()) {
    return Error::NotFound("District", "구");
  }
  return District{r.Int(0, 0), r.Text(0, 1), r.Text(0, 2)};
}

Dong DongAt(const Rows& r, std::size_t i) {
  return Dong{r.Int(i, 0), r.Int(i, 1), r.Text(i, 2), r.Text(i, 3)};
}

Desk DeskAt(const Rows& r, std::size_t i) {
  Desk d;
  d.id = r.Int(i, 0);
  d.district_id = r.Int(i, 1);
  if (!r.IsNull(i, 2)) {
    d.dong_id = r.Int(i, 2);
  }
  d.name = r.Text(i, 3);
  d.kind = core::ParseDeskKind(r.Text(i, 4)).value_or(core::DeskKind::kDongCenter);
  return d;
}

constexpr std::string_view kAgencyColumns =
    "id, district_id, name, kind, contact, response_hours, version";

Agency AgencyAt(const Rows& r, std::size_t i) {
  Agency a;
  a.id = r.Int(i, 0);
  a.district_id = r.Int(i, 1);
  a.name = r.Text(i, 2);
  a.kind = core::ParseAgencyKind(r.Text(i, 3)).value_or(core::AgencyKind::kExternal);
  a.contact = r.Text(i, 4);
  a.response_hours = static_cast<int>(r.Int(i, 5));
  a.version = r.Int(i, 6);
  return a;
}

// Fills in the categories of `agencies` with one query.
void LoadCategories(Connection& c, core::DistrictId district, std::vector<Agency>& agencies) {
  const auto r = c.Execute(
      "SELECT ac.agency_id, ac.category FROM agency_categories ac "
      "JOIN agencies a ON a.id = ac.agency_id WHERE a.district_id = $1 "
      "ORDER BY ac.agency_id, ac.category",
      {district});
  std::map<core::AgencyId, std::vector<std::string>> by_agency;
  for (std::size_t i = 0; i < r.size(); ++i) {
    by_agency[r.Int(i, 0)].push_back(r.Text(i, 1));
  }
  for (auto& a : agencies) {
    a.categories = by_agency[a.id];
  }
}

// kConflict when another agency of the district (not `except`) has the name.
core::Status CheckAgencyNameFree(Connection& c, const Agency& agency, core::AgencyId except) {
  const auto dup =
      c.Execute("SELECT id FROM agencies WHERE district_id = $1 AND name = $2 AND id <> $3",
                {agency.district_id, agency.name, except});
  if (dup.empty()) {
    return {};
  }
  auto e =
      Error::Make(core::ErrorCode::kConflict, "An agency with this name is already registered.",
                  "같은 이름의 연계 기관이 이미 등록되어 있습니다.");
  e.details.push_back({"name", "duplicate", "Name already in use.", "이미 사용 중인 이름입니다."});
  return e;
}

void InsertCategories(Connection& c, core::AgencyId id, const std::vector<std::string>& cats) {
  for (const auto& cat : cats) {
    c.Execute("INSERT INTO agency_categories (agency_id, category) VALUES ($1, $2)", {id, cat});
  }
}

Result<Agency> AgencyById(Connection& c, core::DistrictId district, core::AgencyId id) {
  const auto r = c.Execute(
      "SELECT " + std::string(kAgencyColumns) + " FROM agencies WHERE district_id = $1 AND id = $2",
      {district, id});
  if (r.empty()) {
    return Error::NotFound("Agency", "연계 기관");
  }
  Agency a = AgencyAt(r, 0);
  const auto cats = c.Execute(
      "SELECT category FROM agency_categories WHERE agency_id = $1 ORDER BY category", {id});
  for (std::size_t i = 0; i < cats.size(); ++i) {
    a.categories.push_back(cats.Text(i, 0));
  }
  return a;
}

}  // namespace

Result<District> SqlDirectoryRepository::EnsureDistrict(std::string_view code,
                                                        std::string_view name) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<District> {
    c.Execute("INSERT INTO districts (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING",
              {S(code), S(name)});
    return DistrictByCode(c, code);
  });
}

Result<District> SqlDirectoryRepository::FindDistrict(std::string_view code) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) { return DistrictByCode(c, code); });
}

Result<Dong> SqlDirectoryRepository::EnsureDong(core::DistrictId district, std::string_view name,
                                                std::string_view short_name) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<Dong> {
    c.Execute(
        "INSERT INTO dongs (district_id, name, short_name) VALUES ($1, $2, $3) "
        "ON CONFLICT (district_id, name) DO NOTHING",
        {district, S(name), S(short_name)});
    const auto r = c.Execute(
        "SELECT id, district_id, name, short_name FROM dongs WHERE district_id = $1 AND name = $2",
        {district, S(name)});
    if (r.empty()) {
      return Error::NotFound("Dong", "동");
    }
    return DongAt(r, 0);
  });
}

Result<std::vector<Dong>> SqlDirectoryRepository::ListDongs(core::DistrictId district) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<Dong>> {
    const auto r = c.Execute(
        "SELECT id, district_id, name, short_name FROM dongs WHERE district_id = $1 ORDER BY id",
        {district});
    std::vector<Dong> out;
    out.reserve(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(DongAt(r, i));
    }
    return out;
  });
}

Result<Desk> SqlDirectoryRepository::EnsureDesk(const Desk& desk) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<Desk> {
    Value dong = Null{};
    if (desk.dong_id) {
      dong = *desk.dong_id;
    }
    c.Execute(
        "INSERT INTO desks (district_id, dong_id, name, kind) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (district_id, name) DO NOTHING",
        {desk.district_id, dong, desk.name, S(core::DeskKindCode(desk.kind))});
    const auto r = c.Execute(
        "SELECT id, district_id, dong_id, name, kind FROM desks "
        "WHERE district_id = $1 AND name = $2",
        {desk.district_id, desk.name});
    if (r.empty()) {
      return Error::NotFound("Desk", "창구");
    }
    return DeskAt(r, 0);
  });
}

Result<std::vector<Desk>> SqlDirectoryRepository::ListDesks(core::DistrictId district) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<Desk>> {
    const auto r = c.Execute(
        "SELECT id, district_id, dong_id, name, kind FROM desks WHERE district_id = $1 ORDER BY id",
        {district});
    std::vector<Desk> out;
    out.reserve(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(DeskAt(r, i));
    }
    return out;
  });
}

Result<Agency> SqlDirectoryRepository::CreateAgency(const Agency& agency) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<Agency> {
    if (auto free = CheckAgencyNameFree(c, agency, 0); !free.ok()) {
      return std::move(free).error();
    }
    const auto r = c.Execute(
        "INSERT INTO agencies (district_id, name, kind, contact, response_hours) "
        "VALUES ($1, $2, $3, $4, $5) RETURNING " +
            std::string(kAgencyColumns),
        {agency.district_id, agency.name, S(core::AgencyKindCode(agency.kind)), agency.contact,
         static_cast<std::int64_t>(agency.response_hours)});
    Agency created = AgencyAt(r, 0);
    InsertCategories(c, created.id, agency.categories);
    created.categories = agency.categories;
    return created;
  });
}

Result<Agency> SqlDirectoryRepository::GetAgency(core::DistrictId district, core::AgencyId id) {
  return db_.Transact(TxMode::kRead,
                      [&](Connection& c) -> Result<Agency> { return AgencyById(c, district, id); });
}

Result<Agency> SqlDirectoryRepository::UpdateAgency(const Agency& agency) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<Agency> {
    if (auto found = AgencyById(c, agency.district_id, agency.id); !found.ok()) {
      return found;
    }
    if (auto free = CheckAgencyNameFree(c, agency, agency.id); !free.ok()) {
      return std::move(free).error();
    }
    const auto r = c.Execute(
        "UPDATE agencies SET name = $1, kind = $2, contact = $3, response_hours = $4, "
        "version = version + 1 WHERE id = $5 AND district_id = $6 AND version = $7",
        {agency.name, S(core::AgencyKindCode(agency.kind)), agency.contact,
         static_cast<std::int64_t>(agency.response_hours), agency.id, agency.district_id,
         agency.version});
    if (r.affected == 0) {
      return core::StaleAgencyError();
    }
    c.Execute("DELETE FROM agency_categories WHERE agency_id = $1", {agency.id});
    InsertCategories(c, agency.id, agency.categories);
    return AgencyById(c, agency.district_id, agency.id);
  });
}

Result<std::vector<Agency>> SqlDirectoryRepository::ListAgencies(core::DistrictId district) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<Agency>> {
    const auto r = c.Execute("SELECT " + std::string(kAgencyColumns) +
                                 " FROM agencies WHERE district_id = $1 ORDER BY id",
                             {district});
    std::vector<Agency> out;
    out.reserve(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(AgencyAt(r, i));
    }
    LoadCategories(c, district, out);
    return out;
  });
}

Result<core::SubCategory> SqlDirectoryRepository::CreateSubCategory(core::DistrictId district,
                                                                    const core::SubCategory& sub) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<core::SubCategory> {
    const auto dup = c.Execute("SELECT 1 FROM subcategories WHERE district_id = $1 AND code = $2",
                               {district, sub.code});
    if (!dup.empty()) {
      return Error::Make(core::ErrorCode::kConflict, "This sub-category exists already.",
                         "이미 있는 세부 분야입니다.");
    }
    c.Execute(
        "INSERT INTO subcategories (district_id, code, parent, label_ko, label_en) "
        "VALUES ($1, $2, $3, $4, $5)",
        {district, sub.code, sub.parent, sub.label_ko, sub.label_en});
    return sub;
  });
}

Result<std::vector<core::SubCategory>> SqlDirectoryRepository::ListSubCategories(
    core::DistrictId district) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::SubCategory>> {
    const auto r = c.Execute(
        "SELECT code, parent, label_ko, label_en FROM subcategories WHERE district_id = $1 "
        "ORDER BY code",
        {district});
    std::vector<core::SubCategory> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back({r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3)});
    }
    return out;
  });
}

}  // namespace caredesk::storage::sql
