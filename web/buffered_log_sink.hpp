#pragma once
// Log lines to stderr in batches. spdlog's console sinks write and flush every line: under load
// that was one write(2) per request, behind one mutex shared by the I/O and worker threads
// (member GETs/s rose ~15% with the access lines off). This sink collects lines and writes them
// once the batch is 16 KiB or 100 ms old, at once for a warning or worse, on spdlog's flush
// (main asks for one every second, so a quiet server's lines still appear) and on destruction.
// A SIGKILL loses at most the last batch of info lines; warnings and errors are never held.

#include <spdlog/details/log_msg.h>
#include <spdlog/sinks/base_sink.h>

#include <chrono>
#include <mutex>
#include <string>

namespace xiehui::web {

class BufferedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  BufferedStderrSink() = default;
  ~BufferedStderrSink() override;
  BufferedStderrSink(const BufferedStderrSink&) = delete;
  BufferedStderrSink& operator=(const BufferedStderrSink&) = delete;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  static constexpr std::size_t kBatchBytes = 16 * 1024;
  static constexpr std::chrono::milliseconds kBatchAge{100};

  std::string pending_;
  std::chrono::steady_clock::time_point oldest_{};
};

}  // namespace xiehui::web
