#include "core/totp.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <array>
#include <chrono>

#include "core/crypto.hpp"

namespace xiehui {
namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// Percent-encodes everything but unreserved characters (RFC 3986), for the URI's label.
std::string uri_escape(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

}  // namespace

std::int64_t totp_step(Timestamp now) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  // Floor division: a time before the epoch is in a negative step, never step 0.
  return seconds >= 0 ? seconds / kTotpStepSeconds : -((-seconds - 1) / kTotpStepSeconds) - 1;
}

std::string totp_code(const std::vector<unsigned char>& secret, std::int64_t step, int digits) {
  std::array<unsigned char, 8> counter{};
  auto value = static_cast<std::uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<std::size_t>(i)] = static_cast<unsigned char>(value & 0xff);
    value >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  // No secret, no code (OpenSSL reads a null key as "the previous key").
  if (secret.empty() ||
      !HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), counter.data(),
            counter.size(), mac.data(), &mac_len) ||
      mac_len < 20) {
    return {};
  }
  const std::size_t offset = mac[mac_len - 1] & 0x0f;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::optional<std::int64_t> totp_accept(const std::vector<unsigned char>& secret,
                                        std::string_view code, Timestamp now,
                                        std::optional<std::int64_t> last_used, int drift) {
  if (code.size() != 6) return std::nullopt;
  for (const char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const std::int64_t current = totp_step(now);
  for (std::int64_t step = current - drift; step <= current + drift; ++step) {
    if (last_used && step <= *last_used) continue;  // used already, or older than the last use
    if (constant_time_equal(totp_code(secret, step), code)) return step;
  }
  return std::nullopt;
}

std::string base32_encode(const std::vector<unsigned char>& bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += kBase32[(buffer >> (bits - 5)) & 0x1f];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32[(buffer << (5 - bits)) & 0x1f];
  return out;
}

std::optional<std::vector<unsigned char>> base32_decode(std::string_view text) {
  std::vector<unsigned char> out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    if (c == ' ' || c == '=') continue;
    const char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    const auto at = kBase32.find(upper);
    if (at == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(at);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<unsigned char>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

std::string totp_uri(std::string_view issuer, std::string_view account,
                     const std::vector<unsigned char>& secret) {
  return fmt::format("otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
                     uri_escape(issuer), uri_escape(account), base32_encode(secret),
                     uri_escape(issuer));
}

}  // namespace xiehui
