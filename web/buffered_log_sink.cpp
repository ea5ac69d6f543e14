#include "web/buffered_log_sink.hpp"

#include <unistd.h>

#include <cerrno>

namespace xiehui::web {

BufferedStderrSink::~BufferedStderrSink() {
  const std::lock_guard lock(mutex_);
  flush_();
}

void BufferedStderrSink::sink_it_(const spdlog::details::log_msg& msg) {
  spdlog::memory_buf_t line;
  formatter_->format(msg, line);
  const auto now = std::chrono::steady_clock::now();
  if (pending_.empty()) oldest_ = now;
  pending_.append(line.data(), line.size());
  if (msg.level >= spdlog::level::warn || pending_.size() >= kBatchBytes ||
      now - oldest_ >= kBatchAge) {
    flush_();
  }
}

void BufferedStderrSink::flush_() {
  const char* at = pending_.data();
  std::size_t left = pending_.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, at, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // stderr is gone: the lines cannot be kept anywhere else
    at += n;
    left -= static_cast<std::size_t>(n);
  }
  pending_.clear();
}

}  // namespace xiehui::web
