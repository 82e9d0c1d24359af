// DirectoryRepository over the SQL port; serves both backends.
#pragma once

#include "core/ports/directory_repository.hpp"
#include "storage/sql/database.hpp"

namespace caredesk::storage::sql {

class SqlDirectoryRepository final : public core::DirectoryRepository {
 public:
  explicit SqlDirectoryRepository(Database& db) : db_(db) {}

  core::Result<core::District> EnsureDistrict(std::string_view code,
                                              std::string_view name) override;
  core::Result<core::District> FindDistrict(std::string_view code) override;
  core::Result<core::Dong> EnsureDong(core::DistrictId district, std::string_view name,
                                      std::string_view short_name) override;
  core::Result<std::vector<core::Dong>> ListDongs(core::DistrictId district) override;
  core::Result<core::Desk> EnsureDesk(const core::Desk& desk) override;
  core::Result<std::vector<core::Desk>> ListDesks(core::DistrictId district) override;
  core::Result<core::Agency> CreateAgency(const core::Agency& agency) override;
  core::Result<core::Agency> GetAgency(core::DistrictId district, core::AgencyId id) override;
  core::Result<core::Agency> UpdateAgency(const core::Agency& agency) override;
  core::Result<std::vector<core::Agency>> ListAgencies(core::DistrictId district) override;
  core::Result<core::SubCategory> CreateSubCategory(core::DistrictId district,
                                                    const core::SubCategory& sub) override;
  core::Result<std::vector<core::SubCategory>> ListSubCategories(
      core::DistrictId district) override;

 private:
  Database& db_;
};

}  // namespace caredesk::storage::sql
