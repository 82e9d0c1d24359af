#include "bench/bare_beast.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace caredesk::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// The same limits as CareDesk's defaults (http::ServerConfig), so both do the same checks.
constexpr std::uint32_t kMaxHeaderBytes = 16 << 10;
constexpr std::uint64_t kMaxBodyBytes = 1 << 20;
constexpr auto kReadTimeout = std::chrono::seconds(15);
constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr char kNotFoundBody[] = R"({"error":{"code":"not_found"}})";
constexpr char kContentType[] = "application/json; charset=utf-8";

// One connection: read -> answer -> write -> read ... on the connection's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : stream_(std::move(socket)) {}

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->DoRead(); });
  }

 private:
  void DoRead() {
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(kMaxBodyBytes);
    stream_.expires_after(kReadTimeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) {
      return DoClose();
    }
    const auto& request = parser_->get();
    const bool is_get =
        request.method() == bhttp::verb::get || request.method() == bhttp::verb::head;
    const bool found = is_get && request.target() == "/healthz";
    response_ = {};
    response_.version(request.version());
    response_.result(found ? bhttp::status::ok : bhttp::status::not_found);
    response_.set(bhttp::field::content_type, kContentType);
    response_.body() = found ? kHealthBody : kNotFoundBody;
    response_.keep_alive(request.keep_alive());
    response_.prepare_payload();
    stream_.expires_after(kWriteTimeout);
    bhttp::async_write(stream_, response_,
                       beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec || !response_.keep_alive()) {
      return DoClose();
    }
    DoRead();
  }

  void DoClose() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  // One response in flight per connection (no pipelining), so a member is enough.
  bhttp::response<bhttp::string_body> response_;
};

}  // namespace

struct BareBeastServer::Impl {
  Impl(std::string a, std::uint16_t p, int n)
      : address(std::move(a)),
        port(p),
        threads(n > 0 ? n : 1),
        ioc(threads),
        acceptor(ioc),
        signals(ioc) {}

  void DoAccept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) {
        return;
      }
      if (!ec) {
        std::make_shared<Session>(std::move(socket))->Start();
      }
      DoAccept();
    });
  }

  const std::string address;
  const std::uint16_t port;
  const int threads;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::vector<std::thread> io_threads;
};

BareBeastServer::BareBeastServer(std::string address, std::uint16_t port, int io_threads)
    : impl_(std::make_unique<Impl>(std::move(address), port, io_threads)) {}

BareBeastServer::~BareBeastServer() {
  Stop();
  Wait();
}

std::uint16_t BareBeastServer::Start() {
  auto& s = *impl_;
  beast::error_code ec;
  const auto address = asio::ip::make_address(s.address, ec);
  if (ec) {
    throw std::runtime_error("invalid listen address: " + s.address);
  }
  const tcp::endpoint endpoint(address, s.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    s.acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    throw std::runtime_error("cannot listen on " + s.address + ":" + std::to_string(s.port) + ": " +
                             ec.message());
  }
  s.DoAccept();
  for (int i = 0; i < s.threads; ++i) {
    s.io_threads.emplace_back([&s] { s.ioc.run(); });
  }
  return s.acceptor.local_endpoint().port();
}

void BareBeastServer::StopOnSignals() {
  auto& s = *impl_;
  s.signals.add(SIGINT);
  s.signals.add(SIGTERM);
  s.signals.async_wait([this](beast::error_code ec, int /*signal*/) {
    if (!ec) {
      Stop();
    }
  });
}

void BareBeastServer::Stop() { impl_->ioc.stop(); }

void BareBeastServer::Wait() {
  for (auto& t : impl_->io_threads) {
    if (t.joinable()) {
      t.join();
    }
  }
}

}  // namespace caredesk::bench
