#pragma once
// argon2id password hashing (libsodium), at least the OWASP minimum of 19 MiB and 2 passes.
// Each hash holds that memory for ~50 ms, so the number running at once is bounded: a burst of
// logins waits instead of exhausting memory.

#include <cstddef>
#include <semaphore>
#include <string>
#include <string_view>

namespace xiehui::accounts {

struct HashParams {
  unsigned long long opslimit = 2;
  std::size_t memlimit = 19 * 1024 * 1024;
};

class PasswordHasher {
 public:
  explicit PasswordHasher(HashParams params = {}, std::ptrdiff_t max_concurrent = 2);

  /// The encoded argon2id hash ($argon2id$v=19$m=…) of `password`.
  std::string hash(std::string_view password);
  /// True when `password` matches `encoded`.
  bool verify(std::string_view encoded, std::string_view password);
  /// True when `encoded` was made with weaker parameters than ours (re-hash at next login).
  bool needs_rehash(std::string_view encoded) const;

 private:
  HashParams params_;
  std::counting_semaphore<64> slots_;
};

}  // namespace xiehui::accounts
