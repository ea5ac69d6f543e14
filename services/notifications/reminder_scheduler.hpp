#pragma once
// Reminders on a clock: a thread that, every interval, runs each job; each job finds what is
// due and, per item, claims (job, item) in the transaction that writes its notices, so any
// number of processes and re-runs send each reminder once. Reminders go out from 09:00
// Shanghai time, never at night.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"

namespace xiehui::notifications {

/// The hour (Shanghai) from which reminders of a day go out.
inline constexpr int kReminderHour = 9;

struct ScheduledJob {
  std::string name;
  std::function<Result<int>()> run;  ///< returns the notices it wrote
};

/// 回执 reminders: invited units without a reply, once per meeting, when its reply deadline is
/// less than 48 hours away.
Result<int> send_reply_reminders(db::Database& db, Timestamp now);
/// 开课提醒: each unit with confirmed places in a class starting tomorrow.
Result<int> send_class_reminders(db::Database& db, Timestamp now);
/// 出发提醒: each unit with approved delegates on a visit leaving within two days.
Result<int> send_departure_notices(db::Database& db, Timestamp now);

/// The built-in reminder jobs on `clock`.
std::vector<ScheduledJob> reminder_jobs(db::Database& db, const Clock& clock);

class ReminderScheduler {
 public:
  explicit ReminderScheduler(std::vector<ScheduledJob> jobs) : jobs_(std::move(jobs)) {}
  ~ReminderScheduler();
  ReminderScheduler(const ReminderScheduler&) = delete;
  ReminderScheduler& operator=(const ReminderScheduler&) = delete;

  /// Runs every job once; a failing job is logged and the others still run. Returns the
  /// notices written.
  int run_due();
  /// Runs the jobs now and then every `interval` until destroyed.
  void start(std::chrono::seconds interval);

 private:
  std::vector<ScheduledJob> jobs_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::jthread thread_;  // last
};

}  // namespace xiehui::notifications
