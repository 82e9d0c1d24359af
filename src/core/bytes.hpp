#pragma once

#include <cstdint>
#include <vector>

namespace caredesk::core {

// Raw bytes: sealed values, keys, digests.
using Bytes = std::vector<std::uint8_t>;

}  // namespace caredesk::core
