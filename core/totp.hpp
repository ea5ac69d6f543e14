#pragma once
// Time-based one-time passwords (RFC 6238) as authenticator apps compute them: HMAC-SHA1, six
// digits, 30-second steps from the Unix epoch. Pure functions; where the secret is kept and
// which step was used last are the accounts service's business.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace xiehui {

inline constexpr std::int64_t kTotpStepSeconds = 30;

/// The step `now` falls in.
std::int64_t totp_step(Timestamp now);

/// The code for `step`: `digits` decimal digits, zero-padded (RFC 4226 dynamic truncation);
/// "" for an empty secret.
std::string totp_code(const std::vector<unsigned char>& secret, std::int64_t step, int digits = 6);

/// The step within `drift` steps of now's whose code `code` is, if one is later than
/// `last_used` (a code is accepted once: the caller stores the step it returns). A code that is
/// not six digits matches nothing.
std::optional<std::int64_t> totp_accept(const std::vector<unsigned char>& secret,
                                        std::string_view code, Timestamp now,
                                        std::optional<std::int64_t> last_used, int drift = 1);

/// RFC 4648 base32 without padding, as otpauth:// URIs carry secrets.
std::string base32_encode(const std::vector<unsigned char>& bytes);
/// Decodes base32 (either case; spaces and '=' padding ignored); nullopt on any other character.
std::optional<std::vector<unsigned char>> base32_decode(std::string_view text);

/// The otpauth://totp/ URI an authenticator app reads from a QR code.
std::string totp_uri(std::string_view issuer, std::string_view account,
                     const std::vector<unsigned char>& secret);

}  // namespace xiehui
