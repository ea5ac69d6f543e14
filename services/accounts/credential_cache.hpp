#pragma once
// Whom a session cookie or API token signs in, remembered for a moment.
//
// Every signed-in request starts by looking its credential up (a query joining the session or
// token, the user and the roles). A client sends the same credential many times a second, so
// the answer is kept for `ttl` (1 s by default) in this process:
// - a change made through this process (sign-out, a revoked token, a user's password, roles,
//   unit or enabled state, an approval that makes an applicant a member) calls forget_all()
//   after its commit, and takes effect at once here;
// - made through another process or the command line, it takes effect here within `ttl`.
// A lookup that started before a forget_all() is not remembered (it may have read the old
// state), so a forget is never undone by a request that was in flight.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/access.hpp"
#include "core/clock.hpp"

namespace xiehui::accounts {

/// A session cookie and an API token are looked up apart: one is never taken for the other.
enum class CredentialKind : std::uint8_t { session, api_token };

class CredentialCache {
 public:
  /// ttl 0 remembers nothing. At most `capacity` credentials are kept.
  explicit CredentialCache(std::chrono::milliseconds ttl, std::size_t capacity = 10000)
      : ttl_(ttl), capacity_(capacity) {}
  CredentialCache(const CredentialCache&) = delete;
  CredentialCache& operator=(const CredentialCache&) = delete;

  /// Taken before the database is read; remember() keeps an answer only if no forget_all()
  /// came in between.
  std::uint64_t generation() const;

  /// The principal remembered for `token_hash` (without a client address) if it is still good
  /// at `now`.
  std::optional<Principal> find(CredentialKind kind, std::string_view token_hash,
                                Timestamp now) const;

  /// Remembers `who` for `token_hash` until the earlier of now + ttl and `good_until` (when the
  /// session's own idle or absolute limit ends it).
  void remember(CredentialKind kind, std::string_view token_hash, const Principal& who,
                Timestamp now, Timestamp good_until, std::uint64_t generation);

  void forget_all();

  std::size_t size() const;

 private:
  struct Entry {
    Principal who;
    Timestamp good_until;
  };

  const std::chrono::milliseconds ttl_;
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

/// Forgets every remembered credential as the scope ends. Declared before a transaction that
/// changes what a credential signs in as, it runs after the commit (or the rollback), so no
/// lookup can remember the old state in between.
class ForgetCredentialsAfter {
 public:
  explicit ForgetCredentialsAfter(CredentialCache* cache) : cache_(cache) {}
  ForgetCredentialsAfter(const ForgetCredentialsAfter&) = delete;
  ForgetCredentialsAfter& operator=(const ForgetCredentialsAfter&) = delete;
  ~ForgetCredentialsAfter() {
    if (cache_) cache_->forget_all();
  }

 private:
  CredentialCache* cache_;
};

}  // namespace xiehui::accounts
