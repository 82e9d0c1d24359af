// What every subcommand prints on failure: the Korean message, the English one,
// each field violation, and the internal detail an operator needs.
#pragma once

#include <iostream>

#include "core/error.hpp"

namespace caredesk::cli {

inline constexpr int kExitRuntime = 1;
inline constexpr int kExitConfig = 2;

inline void PrintError(const core::Error& e) {
  std::cerr << "caredesk: " << e.message_ko << "\n          " << e.message << "\n";
  for (const auto& d : e.details) {
    std::cerr << "          " << d.field << ": " << d.message_ko << " / " << d.message << "\n";
  }
  if (!e.internal_detail.empty()) {
    std::cerr << "          (" << e.internal_detail << ")\n";
  }
}

}  // namespace caredesk::cli
