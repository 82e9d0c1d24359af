#include "core/duty.hpp"

#include <algorithm>
#include <string>

namespace caredesk::core {

Result<User> DutySupervisor(UserRepository& users, DistrictId district,
                            std::optional<DongId> dong) {
  StaffFilter supervisors;
  supervisors.role = Role::kSupervisor;
  auto list = users.ListActive(district, supervisors);
  if (!list.ok()) {
    return std::move(list).error();
  }
  const auto in_dong = std::find_if(list->begin(), list->end(), [&](const User& u) {
    return dong.has_value() && u.dong_id == dong;
  });
  if (in_dong != list->end()) {
    return *in_dong;
  }
  const auto district_wide =
      std::find_if(list->begin(), list->end(), [](const User& u) { return !u.dong_id.has_value(); });
  if (district_wide != list->end()) {
    return *district_wide;
  }
  // Only other dongs' supervisors: one of them rather than nobody (they can hand it on).
  if (!list->empty()) {
    return list->front();
  }
  return Error::Internal("no active supervisor for dong " +
                         (dong ? std::to_string(*dong) : std::string("(none)")));
}

}  // namespace caredesk::core
