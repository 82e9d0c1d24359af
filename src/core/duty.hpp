// Who takes work that arrives without a person behind it (a check-in device's
// alarm, a resident's online request): an active supervisor of the dong, else
// one of the whole district, else any active supervisor.
#pragma once

#include <optional>

#include "core/identity.hpp"
#include "core/ports/identity_repository.hpp"

namespace caredesk::core {

// kInternal when no supervisor is active at all (a district without one is misconfigured).
Result<User> DutySupervisor(UserRepository& users, DistrictId district,
                            std::optional<DongId> dong);

}  // namespace caredesk::core
