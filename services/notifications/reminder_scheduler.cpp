#include "services/notifications/reminder_scheduler.hpp"

#include <spdlog/spdlog.h>

#include "core/time.hpp"
#include "services/meetings/meeting_repository.hpp"
#include "services/notifications/notification_repository.hpp"
#include "services/notifications/reminder_repository.hpp"

namespace xiehui::notifications {
namespace {

namespace rr = reminder_repository;
namespace mr = meetings::meeting_repository;

// Midnight (Shanghai) of the day `days` after now's day, as an instant.
Timestamp local_midnight(Timestamp now, int days) {
  const auto day = std::chrono::sys_days(shanghai_date(now)) + std::chrono::days(days);
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::sys_time<std::chrono::microseconds>(day) - kShanghaiOffset);
}

bool reminder_hours(Timestamp now) {
  return now - local_midnight(now, 0) >= std::chrono::hours(kReminderHour);
}

std::string joined(const std::vector<std::string>& names, const char* sep) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += sep;
    out += n;
  }
  return out;
}

std::string item_key(const char* prefix, long long id) {
  std::string key = prefix;
  key += std::to_string(id);
  return key;
}

// One transaction per item: claim it, write its notices, count them.
template <class Write>
Result<int> once(db::Database& db, const std::string& job, const std::string& key, Timestamp now,
                 Write write) {
  return db.with_transaction([&](soci::session& s) -> Result<int> {
    if (!rr::claim_run(s, job, key, now)) return 0;
    const int n = write(s);
    rr::record_items(s, job, key, n);
    return n;
  });
}

}  // namespace

Result<int> send_reply_reminders(db::Database& db, Timestamp now) {
  if (!reminder_hours(now)) return 0;
  auto due = db.with_session([&](soci::session& s) -> Result<std::vector<long long>> {
    return rr::meetings_closing(s, now, now + std::chrono::hours(48));
  });
  if (!due) return std::unexpected(due.error());
  const std::string today = format_date(shanghai_date(now));
  int total = 0;
  for (long long id : *due) {
    auto n =
        once(db, "meeting.reply_reminder", item_key("meeting-", id), now, [&](soci::session& s) {
          auto m = mr::find_meeting(s, id, true);
          if (!m || m->status != "scheduled") return 0;
          std::string deadline = format_instant(m->rsvp_deadline);
          deadline[10] = ' ';
          deadline.resize(16);
          const auto units = mr::take_unreminded(s, id, today);
          for (long long unit : units) {
            notify(s,
                   {unit, std::nullopt, "meeting.reminder",
                    "请提交回执：" + m->title + "，截止 " + deadline, "meeting", id,
                    "Please reply to the invitation: " + m->title + ", by " + deadline},
                   now);
          }
          return static_cast<int>(units.size());
        });
    if (!n) return std::unexpected(n.error());
    total += *n;
  }
  return total;
}

namespace {

// What one reminder says to one unit, in both languages.
struct Wording {
  std::string zh;
  std::string en;
};

// Tells each unit taking part in each due item, once per item: the item's claim and its notices
// in one transaction.
template <class UnitsOf, class Words>
Result<int> tell_units(db::Database& db, const char* job, const char* entity,
                       const std::vector<rr::Upcoming>& due, UnitsOf units_of, Words words,
                       Timestamp now) {
  int total = 0;
  for (const rr::Upcoming& item : due) {
    std::string key = entity;
    key += '-';
    auto n = once(db, job, item_key(key.c_str(), item.id), now, [&](soci::session& s) {
      const auto units = units_of(s, item.id);
      for (const rr::UnitPeople& u : units) {
        Wording w = words(item, u);
        notify(s,
               {u.member_id, std::nullopt, job, std::move(w.zh), entity, item.id, std::move(w.en)},
               now);
      }
      return static_cast<int>(units.size());
    });
    if (!n) return std::unexpected(n.error());
    total += *n;
  }
  return total;
}

}  // namespace

Result<int> send_class_reminders(db::Database& db, Timestamp now) {
  if (!reminder_hours(now)) return 0;
  auto due = db.with_session([&](soci::session& s) -> Result<std::vector<rr::Upcoming>> {
    return rr::classes_starting(s, local_midnight(now, 1), local_midnight(now, 2));
  });
  if (!due) return std::unexpected(due.error());
  return tell_units(
      db, "training.class_reminder", "class", *due, rr::class_units,
      [](const rr::Upcoming& c, const rr::UnitPeople& u) {
        return Wording{
            "明天开课：" + c.title + "，" + c.starts + "；参加人员：" + joined(u.names, "、"),
            "Class starts tomorrow: " + c.title + ", " + c.starts +
                "; attending: " + joined(u.names, ", ")};
      },
      now);
}

Result<int> send_departure_notices(db::Database& db, Timestamp now) {
  if (!reminder_hours(now)) return 0;
  const Date today = shanghai_date(now);
  const std::string from = format_date(std::chrono::sys_days(today) + std::chrono::days(1));
  const std::string to = format_date(std::chrono::sys_days(today) + std::chrono::days(2));
  auto due = db.with_session([&](soci::session& s) -> Result<std::vector<rr::Upcoming>> {
    return rr::visits_starting(s, from, to);
  });
  if (!due) return std::unexpected(due.error());
  return tell_units(
      db, "visit.departure", "visit", *due, rr::visit_units,
      [](const rr::Upcoming& v, const rr::UnitPeople& u) {
        return Wording{
            "出发提醒：" + v.title + " 将于 " + v.starts + " 出发；团员：" + joined(u.names, "、"),
            "Departure notice: " + v.title + " leaves on " + v.starts +
                "; delegates: " + joined(u.names, ", ")};
      },
      now);
}

std::vector<ScheduledJob> reminder_jobs(db::Database& db, const Clock& clock) {
  return {
      {"meeting.reply_reminder", [&db, &clock] { return send_reply_reminders(db, clock.now()); }},
      {"training.class_reminder", [&db, &clock] { return send_class_reminders(db, clock.now()); }},
      {"visit.departure", [&db, &clock] { return send_departure_notices(db, clock.now()); }},
  };
}

ReminderScheduler::~ReminderScheduler() {
  thread_.request_stop();
  wake_.notify_all();
}

int ReminderScheduler::run_due() {
  int total = 0;
  for (const ScheduledJob& job : jobs_) {
    auto n = job.run();
    if (!n) {
      spdlog::warn("scheduled job {} failed: {}", job.name, n.error().message.en);
      continue;
    }
    if (*n > 0) spdlog::info("scheduled job {}: {} notices", job.name, *n);
    total += *n;
  }
  return total;
}

void ReminderScheduler::start(std::chrono::seconds interval) {
  thread_ = std::jthread([this, interval](std::stop_token stop) {
    while (!stop.stop_requested()) {
      run_due();
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, stop, interval, [] { return false; });
    }
  });
}

}  // namespace xiehui::notifications
