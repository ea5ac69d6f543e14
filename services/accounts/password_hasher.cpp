#include "services/accounts/password_hasher.hpp"

#include <sodium.h>

#include <stdexcept>

namespace xiehui::accounts {
namespace {

class Slot {
 public:
  explicit Slot(std::counting_semaphore<64>& s) : s_(s) { s_.acquire(); }
  ~Slot() { s_.release(); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::counting_semaphore<64>& s_;
};

}  // namespace

PasswordHasher::PasswordHasher(HashParams params, std::ptrdiff_t max_concurrent)
    : params_(params), slots_(max_concurrent) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string PasswordHasher::hash(std::string_view password) {
  Slot slot(slots_);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params_.opslimit,
                            params_.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id: out of memory");
  }
  return out;
}

bool PasswordHasher::verify(std::string_view encoded, std::string_view password) {
  const std::string str(encoded);  // libsodium wants a NUL-terminated string
  Slot slot(slots_);
  return crypto_pwhash_str_verify(str.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(std::string_view encoded) const {
  const std::string str(encoded);
  return crypto_pwhash_str_needs_rehash(str.c_str(), params_.opslimit, params_.memlimit) != 0;
}

}  // namespace xiehui::accounts
