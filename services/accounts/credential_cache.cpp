#include "services/accounts/credential_cache.hpp"

#include <algorithm>

namespace xiehui::accounts {
namespace {

std::string key_of(CredentialKind kind, std::string_view token_hash) {
  std::string key(1, kind == CredentialKind::session ? 's' : 't');
  key += token_hash;
  return key;
}

}  // namespace

std::uint64_t CredentialCache::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

std::optional<Principal> CredentialCache::find(CredentialKind kind, std::string_view token_hash,
                                               Timestamp now) const {
  if (ttl_.count() <= 0) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(key_of(kind, token_hash));
  if (it == entries_.end() || now >= it->second.good_until) return std::nullopt;
  return it->second.who;
}

void CredentialCache::remember(CredentialKind kind, std::string_view token_hash,
                               const Principal& who, Timestamp now, Timestamp good_until,
                               std::uint64_t generation) {
  if (ttl_.count() <= 0) return;
  const Timestamp until = std::min<Timestamp>(good_until, now + ttl_);
  if (now >= until) return;
  Principal kept = who;
  kept.address.clear();  // each request's own
  std::lock_guard lock(mutex_);
  if (generation != generation_) return;
  if (entries_.size() >= capacity_) {
    std::erase_if(entries_, [&](const auto& e) { return now >= e.second.good_until; });
    // Every one still good: a burst of distinct credentials; start over rather than grow.
    if (entries_.size() >= capacity_) entries_.clear();
  }
  entries_.insert_or_assign(key_of(kind, token_hash), Entry{std::move(kept), until});
}

void CredentialCache::forget_all() {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.clear();
}

std::size_t CredentialCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace xiehui::accounts
