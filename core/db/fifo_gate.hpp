#pragma once
// One holder at a time, in the order they came, each waiting at most a given time.
//
// On a Galera node every write transaction takes the cluster's write token, so a process gains
// nothing from running two at once: the second waits for the first's lock on its node, and on
// another node one of two concurrent ones is aborted. With 64 clients writing over three nodes,
// the youngest attempts kept winning the token and the oldest ran out of attempts (8 of ~1,200
// payments answered 503 after 48 attempts). Through this gate each process sends one write
// transaction at a time, oldest first: three contenders across the cluster instead of 64.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>

namespace xiehui::db {

class FifoGate {
 public:
  /// Waits until every earlier caller has left and the gate is free, then holds it; false
  /// (holding nothing, out of the queue) when that takes longer than `limit`.
  bool enter(std::chrono::milliseconds limit);
  /// Frees the gate for the next caller in line.
  void leave();

  /// Callers waiting now (for tests and /metrics).
  std::size_t waiting() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::list<std::uint64_t> queue_;  // tickets of the waiting callers, oldest first
  std::uint64_t next_ticket_ = 0;
  bool held_ = false;
};

}  // namespace xiehui::db
