// Text checks that every adapter needs and that involve no I/O.
#pragma once

#include <cstddef>
#include <string_view>

namespace caredesk::core {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Number of Unicode code points in valid UTF-8 `s` (what users call "characters").
std::size_t CodePointCount(std::string_view s);

// `s` without leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view s);

}  // namespace caredesk::core
