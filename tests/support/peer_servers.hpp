#pragma once
// `xiehui serve` processes beside a test's in-process App, on the same database: on MariaDB one
// more process on the same server; on Galera one on each of the other two nodes, so that a
// test's requests cross three processes on three nodes, as a scaled-out site's do.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::testing {

class PeerServers {
 public:
  /// Starts the peers of a process on `db`; `args` go to each serve after --db and --listen.
  explicit PeerServers(const TestDatabase& db, const std::string& backend,
                       const std::vector<std::string>& args = {}) {
    static std::atomic<int> n{0};
    dir_ = fs::temp_directory_path() /
           ("xiehui-peers-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::create_directories(dir_);
    const std::size_t processes = backend == "galera" ? 3 : 2;
    const auto dbs = db.process_connection_strings(processes);
    for (std::size_t i = 1; i < processes; ++i) {
      std::vector<std::string> argv{"serve", "--db", dbs[i], "--listen", "127.0.0.1:0"};
      argv.insert(argv.end(), args.begin(), args.end());
      children_.push_back(std::make_unique<Child>(argv, dir_));
      ports_.push_back(read_listening_port(*children_.back()));
    }
  }
  ~PeerServers() {
    children_.clear();  // killed and reaped before their directory goes
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  PeerServers(const PeerServers&) = delete;
  PeerServers& operator=(const PeerServers&) = delete;

  /// Every peer's port (0 for one that did not start, with a failed expectation).
  const std::vector<std::uint16_t>& ports() const { return ports_; }
  /// The in-process App's port followed by the peers': the ports a test spreads requests over.
  std::vector<std::uint16_t> with(std::uint16_t first) const {
    std::vector<std::uint16_t> out{first};
    out.insert(out.end(), ports_.begin(), ports_.end());
    return out;
  }
  bool started() const {
    for (const auto p : ports_) {
      if (p == 0) return false;
    }
    return true;
  }
  /// Every peer's stderr, for failure messages.
  std::string stderr_text() const {
    std::string out;
    for (std::size_t i = 0; i < children_.size(); ++i) {
      out += "peer " + std::to_string(i + 1) + " stderr:\n" + children_[i]->stderr_text();
    }
    return out;
  }

 private:
  fs::path dir_;
  std::vector<std::unique_ptr<Child>> children_;
  std::vector<std::uint16_t> ports_;
};

}  // namespace xiehui::testing
