#pragma once
// Small cryptographic helpers over libsodium: digests for stored secrets, random tokens.

#include <string>
#include <string_view>
#include <vector>

namespace xiehui {

/// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

/// `bytes` random bytes from the system's CSPRNG.
std::vector<unsigned char> random_bytes(std::size_t bytes);

/// `bytes` random bytes, base64url without padding (32 bytes → 43 characters).
std::string random_token(std::size_t bytes = 32);

/// Whether `text` could be a token random_token made: 16–64 base64url characters. Checked before
/// a token from a URL reaches SQL (binary-collated columns refuse other text on MariaDB).
bool is_token(std::string_view text);

/// Comparison whose time does not depend on where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace xiehui
