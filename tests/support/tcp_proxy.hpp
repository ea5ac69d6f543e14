#pragma once
// A TCP forwarder between the server under test and MariaDB, so a test can take the database
// away (cut) and bring it back (restore) without touching the shared MariaDB server.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace xiehui::testing {

class TcpProxy {
 public:
  /// Listens on 127.0.0.1:0 and forwards every connection to target_host:target_port.
  TcpProxy(const std::string& target_host, std::uint16_t target_port);
  ~TcpProxy();

  std::uint16_t port() const { return port_; }
  /// Closes every forwarded connection and refuses new ones.
  void cut();
  /// Accepts and forwards again, on the same port.
  void restore();

 private:
  struct Pipe;
  void accept();

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::tcp::endpoint target_;
  std::uint16_t port_ = 0;
  std::mutex mutex_;
  std::vector<std::weak_ptr<Pipe>> pipes_;
  std::thread thread_;
};

}  // namespace xiehui::testing
