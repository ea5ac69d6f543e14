#include "core/db/fifo_gate.hpp"

#include <algorithm>

namespace xiehui::db {

bool FifoGate::enter(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  const std::uint64_t ticket = next_ticket_++;
  queue_.push_back(ticket);
  const bool mine =
      changed_.wait_for(lock, limit, [&] { return !held_ && queue_.front() == ticket; });
  if (!mine) {
    queue_.erase(std::find(queue_.begin(), queue_.end(), ticket));
    changed_.notify_all();  // the one behind may be first now
    return false;
  }
  queue_.pop_front();
  held_ = true;
  return true;
}

void FifoGate::leave() {
  {
    std::lock_guard lock(mutex_);
    held_ = false;
  }
  changed_.notify_all();
}

std::size_t FifoGate::waiting() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

}  // namespace xiehui::db
