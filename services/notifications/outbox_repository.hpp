#pragma once
// The SQL of the outbox: claiming notices to fan out, the people they go to, and claiming,
// finishing and managing messages. Claims take rows other processes have not locked
// (MariaDB: FOR UPDATE SKIP LOCKED; SQLite has one writer and one process).

#include <soci/soci.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "services/notifications/notification_repository.hpp"
#include "services/notifications/notifications.hpp"

namespace xiehui::notifications::outbox_repository {

/// Up to `limit` notices not yet fanned out, oldest first, locked for this transaction.
std::vector<NoticeRow> claim_undelivered(soci::session& s, int limit);
/// Whether any notice waits to be fanned out (a plain read, before a claiming transaction).
bool any_undelivered(soci::session& s);
/// Marks the notice fanned out; a notice with a one-time link forgets it (the outbox holds it).
void mark_delivered(soci::session& s, long long notification_id, bool wipe_link, Timestamp now);

/// A unit's representative and liaisons (member_contacts) and its enabled accounts.
std::vector<Recipient> unit_recipients(soci::session& s, long long member_id);
std::optional<Recipient> user_recipient(soci::session& s, long long user_id);
std::string unit_name(soci::session& s, long long member_id);
/// A user's stored switches for one kind: channel → on.
std::map<std::string, bool> user_choices(soci::session& s, long long user_id,
                                         const std::string& kind);

void insert_message(soci::session& s, const OutboxMessage& m, Timestamp now);

/// Whether any message is due now (as claim_due would take it; a plain read).
bool any_due(soci::session& s, Timestamp now);
/// Claims up to `limit` messages due now (pending or failed and due, or sending with an
/// expired lease): status sending, leased to `owner` until `lease_until`, attempts + 1.
std::vector<OutboxMessage> claim_due(soci::session& s, const std::string& owner, int limit,
                                     Timestamp now, Timestamp lease_until);
/// Finishes a claimed message; false when the lease was lost to another process meanwhile.
bool finish_sent(soci::session& s, long long id, const std::string& owner, Timestamp now);
/// A failed attempt: due again at `retry_at`, or dead (no retry_at).
bool finish_failed(soci::session& s, long long id, const std::string& owner,
                   const std::string& error, std::optional<Timestamp> retry_at, Timestamp now);

std::optional<OutboxMessage> get(soci::session& s, long long id);
OutboxPage list(soci::session& s, const OutboxFilter& f);
/// failed, dead or cancelled → pending now. False when the status does not allow it.
bool retry(soci::session& s, long long id, Timestamp now);
/// pending or failed → cancelled. False when the status does not allow it.
bool cancel(soci::session& s, long long id, Timestamp now);
OutboxStats stats(soci::session& s, Timestamp now);

}  // namespace xiehui::notifications::outbox_repository
