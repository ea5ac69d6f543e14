#pragma once
// Delivers the notices other transactions wrote. Two steps, each its own transaction:
// fan-out turns a notice into outbox messages (one per channel and address, rendered from the
// templates), and delivery claims due messages under a lease, sends them outside any
// transaction and records the outcome. Several processes on one MariaDB share the work: claims
// skip rows another process holds (FOR UPDATE SKIP LOCKED), and a lease that runs out (its
// process died) is taken over. A message may therefore go out twice only when a process dies
// between sending and recording; the stable Message-ID lets the receiver drop the copy.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/notifications/channels.hpp"
#include "services/notifications/notifications.hpp"

namespace xiehui::notifications {

struct DeliverySettings {
  std::string mail_from;  ///< "noreply@example.org" or "名字 <noreply@…>"; empty: no e-mail
  SmtpSettings smtp;
  SmsSettings sms;
  std::string public_url;  ///< base of links in messages ("https://xiehui.example.org")
  int max_attempts = 8;    ///< then dead
  std::chrono::seconds retry_base{30};
  std::chrono::seconds retry_cap{std::chrono::hours(2)};
  std::chrono::seconds lease{120};  ///< longer than the senders' timeouts
  std::chrono::milliseconds poll{1000};
  int workers = 2;  ///< delivery threads of this process
  int batch = 10;   ///< messages one claim takes
};

class Dispatcher {
 public:
  Dispatcher(db::Database& db, const Clock& clock, DeliverySettings settings);
  ~Dispatcher();  ///< stops and joins the threads (messages in flight finish or lease out)
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  /// The base of links in messages; only before start().
  void set_public_url(std::string url) { settings_.public_url = std::move(url); }
  /// Starts the delivery threads.
  void start();
  /// Wakes the threads now (after a notice was written in this process).
  void wake();

  /// One fan-out step: up to `limit` notices turned into messages. Returns how many notices.
  Result<int> fan_out(int limit = 100);
  /// One delivery step by `worker`: claims a batch of due messages and sends them. Returns how
  /// many were attempted.
  Result<int> deliver(int worker = 0);
  /// Fan-out and delivery until nothing is due (tests and the CLI).
  Result<int> run_until_idle();

  const std::string& owner() const { return owner_; }

 private:
  void loop(std::stop_token stop, int worker);
  SendOutcome send(const OutboxMessage& m) const;

  db::Database& db_;
  const Clock& clock_;
  DeliverySettings settings_;
  SmtpSender smtp_;
  SmsSender sms_;
  std::string owner_;  ///< host:pid:random, the lease holder's name
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::vector<std::mt19937> jitter_;   // one per worker
  std::vector<std::jthread> threads_;  // last: joined first
};

}  // namespace xiehui::notifications
