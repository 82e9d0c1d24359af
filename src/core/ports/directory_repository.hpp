// Port: where the district's organisation is stored.
#pragma once

#include <string_view>
#include <vector>

#include "core/directory.hpp"
#include "core/result.hpp"

namespace caredesk::core {

// Implementations are thread-safe; each call is its own transaction.
// Environment failures come back as kUnavailable / kInternal, never as exceptions.
class DirectoryRepository {
 public:
  virtual ~DirectoryRepository() = default;

  // Creates the district or returns the existing one with the same code.
  virtual Result<District> EnsureDistrict(std::string_view code, std::string_view name) = 0;
  virtual Result<District> FindDistrict(std::string_view code) = 0;

  // Creates the dong or returns the existing one with the same name in the district.
  virtual Result<Dong> EnsureDong(DistrictId district, std::string_view name,
                                  std::string_view short_name) = 0;
  virtual Result<std::vector<Dong>> ListDongs(DistrictId district) = 0;

  // Creates the desk or returns the existing one with the same name in the district.
  virtual Result<Desk> EnsureDesk(const Desk& desk) = 0;
  virtual Result<std::vector<Desk>> ListDesks(DistrictId district) = 0;

  // Inserts a new agency. kConflict when the district already has one with that name.
  virtual Result<Agency> CreateAgency(const Agency& agency) = 0;
  virtual Result<Agency> GetAgency(DistrictId district, AgencyId id) = 0;
  // Writes the name, kind, categories, contact and response hours of
  // `agency` if `agency.version` is still current, bumps the version and
  // returns the agency as GetAgency would. kNotFound when the agency's district
  // has no such agency; kConflict when another of its agencies has the name;
  // kPreconditionFailed when someone else changed it first.
  virtual Result<Agency> UpdateAgency(const Agency& agency) = 0;
  virtual Result<std::vector<Agency>> ListAgencies(DistrictId district) = 0;

  // Sub-categories of the district; kConflict when the code exists already.
  virtual Result<SubCategory> CreateSubCategory(DistrictId district, const SubCategory& sub) = 0;
  virtual Result<std::vector<SubCategory>> ListSubCategories(DistrictId district) = 0;
};

}  // namespace caredesk::core
