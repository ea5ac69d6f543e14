#pragma once
// The SQL of the privacy notice and of the accounts' acceptance of it.

#include <soci/soci.h>

#include "services/privacy/notice.hpp"

namespace xiehui::privacy::notice_repository {

/// The notice in force: the highest version (version 1 ships with the schema). `lock` holds it
/// (MariaDB: FOR UPDATE) so that two admins publishing at once publish one after the other.
Notice current(soci::session& s, bool lock = false);

/// The version in force, without the texts.
long long current_version(soci::session& s);

/// Publishes `n` (its version must be the next one: the primary key refuses a second writer).
void insert(soci::session& s, const Notice& n);

Acceptance acceptance(soci::session& s, long long user_id);
void accept(soci::session& s, long long user_id, long long version, Timestamp at);

}  // namespace xiehui::privacy::notice_repository
