// Helpers shared by the sources of this library; not part of its interface.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace caredesk::crypto::internal {

// Initialises libsodium once; aborts when it cannot (no usable randomness
// source), since nothing in this library is safe without it.
void EnsureSodium();

// `size` bytes as lower-case hex (2 * size characters).
std::string LowerHex(const unsigned char* data, std::size_t size);

// A non-null pointer to the bytes of `s`: libsodium and OpenSSL are given a
// valid address even for empty input, whose data() may be null.
const unsigned char* BytesOf(std::string_view s);
const unsigned char* BytesOf(const unsigned char* data);

}  // namespace caredesk::crypto::internal
