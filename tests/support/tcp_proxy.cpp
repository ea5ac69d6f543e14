#include "tests/support/tcp_proxy.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <future>

namespace xiehui::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

struct TcpProxy::Pipe : std::enable_shared_from_this<Pipe> {
  tcp::socket client;
  tcp::socket server;
  std::array<char, 16384> up{};
  std::array<char, 16384> down{};

  explicit Pipe(tcp::socket c) : client(std::move(c)), server(client.get_executor()) {}

  void start(const tcp::endpoint& target) {
    server.async_connect(target, [self = shared_from_this()](error_code ec) {
      if (ec) return self->close();
      self->relay(self->client, self->server, self->up);
      self->relay(self->server, self->client, self->down);
    });
  }

  void relay(tcp::socket& from, tcp::socket& to, std::array<char, 16384>& buf) {
    from.async_read_some(asio::buffer(buf), [self = shared_from_this(), &from, &to, &buf](
                                                error_code ec, std::size_t n) {
      if (ec) return self->close();
      asio::async_write(to, asio::buffer(buf.data(), n),
                        [self, &from, &to, &buf](error_code wec, std::size_t) {
                          if (wec) return self->close();
                          self->relay(from, to, buf);
                        });
    });
  }

  void close() {
    error_code ec;
    client.close(ec);
    server.close(ec);
  }
};

TcpProxy::TcpProxy(const std::string& target_host, std::uint16_t target_port)
    : acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}),
      target_(asio::ip::make_address(target_host), target_port) {
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::thread([this] {
    auto guard = asio::make_work_guard(ioc_);
    ioc_.run();
  });
}

TcpProxy::~TcpProxy() {
  cut();
  ioc_.stop();
  thread_.join();
}

void TcpProxy::accept() {
  acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
    if (ec) return;  // closed by cut()
    auto pipe = std::make_shared<Pipe>(std::move(socket));
    {
      std::lock_guard lock(mutex_);
      pipes_.push_back(pipe);
    }
    pipe->start(target_);
    accept();
  });
}

void TcpProxy::cut() {
  std::promise<void> done;
  asio::post(ioc_, [this, &done] {
    error_code ec;
    acceptor_.close(ec);
    std::lock_guard lock(mutex_);
    for (auto& weak : pipes_) {
      if (auto p = weak.lock()) p->close();
    }
    pipes_.clear();
    done.set_value();
  });
  done.get_future().wait();
}

void TcpProxy::restore() {
  std::promise<void> done;
  asio::post(ioc_, [this, &done] {
    const tcp::endpoint endpoint{asio::ip::make_address("127.0.0.1"), port_};
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    accept();
    done.set_value();
  });
  done.get_future().wait();
}

}  // namespace xiehui::testing
