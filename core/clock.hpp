#pragma once
// Injectable time source: services ask a Clock, never the system directly, so tests can move
// time (session expiry, deadlines) without sleeping.

#include <atomic>
#include <chrono>

namespace xiehui {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

/// Source of the current instant (UTC).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

/// The real wall clock.
class SystemClock final : public Clock {
 public:
  Timestamp now() const override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }
};

/// A clock tests set and advance; safe to read from several threads.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start.time_since_epoch().count()) {}
  Timestamp now() const override { return Timestamp{std::chrono::microseconds{now_.load()}}; }
  void advance(std::chrono::microseconds d) { now_ += d.count(); }
  void set(Timestamp t) { now_ = t.time_since_epoch().count(); }

 private:
  std::atomic<long long> now_;
};

}  // namespace xiehui
