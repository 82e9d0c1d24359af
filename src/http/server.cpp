// The only translation unit that includes Boost.Beast.
#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/json_io.hpp"
#include "http/rate_limiter.hpp"

namespace caredesk::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kDrainPoll = std::chrono::milliseconds(20);
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerMaxBytes = 64 << 20;
constexpr std::size_t kDiscardBufferBytes = 16 << 10;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);
// While accepting keeps failing (out of descriptors), a warning at the first failure and then
// at most one per this interval, not one per retry.
constexpr auto kAcceptFailureLogInterval = std::chrono::seconds(60);

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t v = rng();
  std::string id(16, '0');
  for (auto& c : id) {
    c = kHex[v & 0xF];
    v >>= 4;
  }
  return id;
}

// Accepts a client-supplied X-Request-Id (e.g. from nginx) if it is tame.
bool IsTameRequestId(std::string_view id) {
  constexpr std::size_t kMaxLength = 64;
  return !id.empty() && id.size() <= kMaxLength && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
  });
}

int CoreCount() { return std::max(1U, std::thread::hardware_concurrency()); }

}  // namespace

class Session;

struct Server::Impl {
  Impl(ServerConfig c, const Router& r, Metrics& m)
      : config(std::move(c)),
        router(r),
        metrics(m),
        ioc(config.io_threads > 0 ? config.io_threads : CoreCount()),
        workers(static_cast<std::size_t>(config.worker_threads > 0 ? config.worker_threads
                                                                   : std::max(4, 2 * CoreCount()))),
        acceptor(ioc),
        signals(ioc),
        limiter(config.rate_limit_per_second, config.rate_limit_burst),
        drain_timer(ioc) {}

  Response Handle(Request& request);
  void DoAccept();
  void OnAcceptFailed(const beast::error_code& ec);
  void BeginShutdown();
  void PollDrain();
  void Register(const std::shared_ptr<Session>& s);
  void Unregister(Session* s);

  const ServerConfig config;
  const Router& router;
  Metrics& metrics;
  asio::io_context ioc;
  asio::thread_pool workers;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  RateLimiter limiter;
  asio::steady_timer drain_timer;
  std::vector<std::thread> io_threads;
  std::atomic<bool> stopping{false};
  Clock::time_point drain_deadline;
  bool joined = false;

  // Only the accept chain touches these (one accept or retry at a time, each started by the
  // previous one's handler).
  int accept_failures = 0;  // in a row
  Clock::time_point accept_failing_since{};
  Clock::time_point accept_failure_logged{};

  std::mutex sessions_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by sessions_mutex
};

// One client connection: read -> handle (on a worker) -> write -> read ...
// Every step runs on the connection's strand; every read is bounded in size and time.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {
    ++server_.metrics.open_connections;
  }
  ~Session() {
    --server_.metrics.open_connections;
    server_.Unregister(this);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start() {
    server_.Register(shared_from_this());
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->DoRead(); });
  }

  // Called on shutdown: an idle connection closes now; a busy one closes after
  // its response is written (Write() sees `stopping`).
  void OnShutdown() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->phase_ == Phase::kReading) {
        self->stream_.cancel();
      }
    });
  }

 private:
  enum class Phase { kReading, kHandling, kWriting, kClosed };

  void DoRead() {
    if (server_.stopping) {
      return DoClose();
    }
    phase_ = Phase::kReading;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.config.max_header_bytes));
    parser_->body_limit(server_.config.max_body_bytes);
    stream_.expires_after(server_.config.header_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) {
      return OnReadError(ec);
    }
    started_ = Clock::now();
    const auto& header = parser_->get();
    if (const auto length = parser_->content_length();
        length && *length > server_.config.max_body_bytes) {
      return Reject(core::ErrorCode::kPayloadTooLarge);
    }
    if (parser_->is_done()) {
      return Dispatch();
    }
    if (header[bhttp::field::expect] == "100-continue") {
      // Tell the client to go ahead; otherwise curl waits a second for nothing.
      auto cont =
          std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      bhttp::async_write(stream_, *cont,
                         [self = shared_from_this(), cont](beast::error_code e, std::size_t) {
                           if (e) {
                             return self->DoClose();
                           }
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(server_.config.body_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) {
      return OnReadError(ec);
    }
    Dispatch();
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return Reject(core::ErrorCode::kPayloadTooLarge);
    }
    if (ec == bhttp::error::header_limit) {
      return Reject(core::ErrorCode::kHeadersTooLarge);
    }
    // A malformed request line or header: answer once, then close.
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      return Reject(core::ErrorCode::kBadRequest);
    }
    // Timeout (slow client), reset, EOF, or shutdown: just close.
    DoClose();
  }

  // Answers a request that could not be read, then closes the connection.
  void Reject(core::ErrorCode code) {
    core::Error e;
    switch (code) {
      case core::ErrorCode::kPayloadTooLarge:
        e = core::Error::Make(code,
                              "The request body is larger than " +
                                  std::to_string(server_.config.max_body_bytes) + " bytes.",
                              "요청 본문이 허용 크기(" +
                                  std::to_string(server_.config.max_body_bytes) +
                                  "바이트)를 넘습니다.");
        break;
      case core::ErrorCode::kHeadersTooLarge:
        e = core::Error::Make(code, "The request headers are too large.",
                              "요청 헤더가 너무 큽니다.");
        break;
      default:
        e = core::Error::Make(core::ErrorCode::kBadRequest, "The request is not valid HTTP/1.1.",
                              "올바른 HTTP 요청이 아닙니다.");
        break;
    }
    if (started_ == Clock::time_point{}) {
      started_ = Clock::now();
    }
    request_id_ = NewRequestId();
    method_ =
        parser_ && parser_->is_header_done() ? std::string(parser_->get().method_string()) : "-";
    route_ = "unmatched";
    Response r = ErrorResponse(e, request_id_);
    r.close = true;
    ++server_.metrics.in_flight;
    Write(std::move(r), /*keep_alive=*/false, /*linger=*/true);
  }

  void Dispatch() {
    phase_ = Phase::kHandling;
    stream_.expires_never();
    auto message = parser_->release();
    keep_alive_ = message.keep_alive();
    version_ = message.version();
    head_ = message.method() == bhttp::verb::head;

    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    const auto q = request.target.find('?');
    request.path = request.target.substr(0, q);
    if (q != std::string::npos) {
      request.query = request.target.substr(q + 1);
    }
    for (const auto& field : message) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      auto [it, inserted] = request.headers.emplace(std::move(name), std::string(field.value()));
      if (!inserted) {
        it->second += ", " + std::string(field.value());
      }
    }
    request.body = std::move(message.body());
    beast::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      request.remote_ip = endpoint.address().to_string();
    }
    const auto supplied = request.Header("x-request-id");
    request.request_id = IsTameRequestId(supplied) ? std::string(supplied) : NewRequestId();
    request_id_ = request.request_id;
    method_ = request.method;

    ++server_.metrics.in_flight;
    asio::post(server_.workers, [self = shared_from_this(),
                                 request = std::move(request)]() mutable {
      Response response = self->server_.Handle(request);
      self->route_ = request.route;  // read back on the strand after the post below
      asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->Write(std::move(response), self->keep_alive_, /*linger=*/false);
      });
    });
  }

  void Write(Response response, bool keep_alive, bool linger) {
    phase_ = Phase::kWriting;
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(response.status), version_ == 0 ? 11 : version_);
    res->set(bhttp::field::content_type, response.content_type);
    res->set("X-Request-Id", request_id_);
    res->set("X-Content-Type-Options", "nosniff");
    res->set(bhttp::field::cache_control, "no-store");
    for (const auto& [name, value] : response.headers) {
      res->set(name, value);
    }
    const bool close = !keep_alive || response.close || server_.stopping;
    res->keep_alive(!close);
    const auto size = response.body.size();
    if (!head_) {
      res->body() = std::move(response.body);
    }
    res->prepare_payload();
    if (head_) {
      res->content_length(size);
    }
    status_ = response.status;
    stream_.expires_after(server_.config.write_timeout);
    bhttp::async_write(
        stream_, *res,
        [self = shared_from_this(), res, close, linger](beast::error_code ec, std::size_t) {
          self->OnWrite(ec, close, linger);
        });
  }

  void OnWrite(beast::error_code ec, bool close, bool linger) {
    --server_.metrics.in_flight;
    const auto elapsed = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
    spdlog::info("request method={} route={} status={} duration_ms={:.2f} request_id={}", method_,
                 route_.empty() ? "unmatched" : route_, status_, elapsed, request_id_);
    started_ = {};
    if (ec) {
      return DoClose();
    }
    if (close) {
      return linger ? DoLingeringClose() : DoClose();
    }
    DoRead();
  }

  // After rejecting an oversized upload, read and discard what the client is
  // still sending for a short while, so it receives our 413 instead of a reset.
  void DoLingeringClose() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLingerTime);
    discard_ = std::make_unique<std::array<char, kDiscardBufferBytes>>();
    Drain();
  }

  void Drain() {
    if (lingered_ > kLingerMaxBytes) {
      return DoClose();
    }
    stream_.async_read_some(asio::buffer(*discard_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) {
                                return self->DoClose();
                              }
                              self->lingered_ += n;
                              self->Drain();
                            });
  }

  void DoClose() {
    phase_ = Phase::kClosed;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Server::Impl& server_;
  Phase phase_ = Phase::kReading;
  bool keep_alive_ = true;
  bool head_ = false;
  unsigned version_ = 11;
  int status_ = 0;
  std::string request_id_;
  std::string method_;
  std::string route_;
  Clock::time_point started_{};
  std::size_t lingered_ = 0;
  // Only while lingering: an idle keep-alive connection should not carry 16 KiB for it.
  std::unique_ptr<std::array<char, kDiscardBufferBytes>> discard_;
};

void Server::Impl::Register(const std::shared_ptr<Session>& s) {
  std::lock_guard lock(sessions_mutex);
  sessions.emplace(s.get(), s);
}

void Server::Impl::Unregister(Session* s) {
  std::lock_guard lock(sessions_mutex);
  sessions.erase(s);
}

Response Server::Impl::Handle(Request& request) {
  const auto start = Clock::now();
  Response response;
  const bool operational =
      request.path == "/healthz" || request.path == "/readyz" || request.path == "/metrics";
  if (!operational && !limiter.Allow(request.remote_ip, start)) {
    response =
        ErrorResponse(core::Error::Make(core::ErrorCode::kRateLimited,
                                        "Too many requests; please wait a moment and try again.",
                                        "요청이 너무 많습니다. 잠시 후 다시 시도해 주세요."),
                      request.request_id);
    response.headers.emplace_back(
        "Retry-After", std::to_string(limiter.RetryAfterSeconds(request.remote_ip, start)));
  } else {
    response = router.Dispatch(request);
  }
  if (response.status >= 500 && !response.log_detail.empty()) {
    spdlog::error("request_id={} route={} detail={}", request.request_id, request.route,
                  response.log_detail);
  }
  metrics.Record(request.method, request.route.empty() ? "unmatched" : request.route,
                 response.status, Clock::now() - start);
  return response;
}

void Server::Impl::DoAccept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping) {
      return;
    }
    if (ec) {
      if (ec == asio::error::operation_aborted) {
        return;
      }
      OnAcceptFailed(ec);
      auto timer = std::make_shared<asio::steady_timer>(ioc, kAcceptRetryDelay);
      timer->async_wait([this, timer](beast::error_code) { DoAccept(); });
      return;
    }
    if (accept_failures > 0) {
      spdlog::warn("accepting connections again after {} failed attempts in {:.1f} s",
                   accept_failures,
                   std::chrono::duration<double>(Clock::now() - accept_failing_since).count());
      accept_failures = 0;
    }
    std::make_shared<Session>(std::move(socket), *this)->Start();
    DoAccept();
  });
}

// Out of file descriptors or similar: the open connections are still served, new ones wait in
// the listen backlog, and accepting is retried every kAcceptRetryDelay. Logged when it starts
// failing and then once per kAcceptFailureLogInterval while it goes on.
void Server::Impl::OnAcceptFailed(const beast::error_code& ec) {
  const auto now = Clock::now();
  if (accept_failures++ == 0) {
    accept_failing_since = now;
  } else if (now - accept_failure_logged < kAcceptFailureLogInterval) {
    return;
  }
  accept_failure_logged = now;
  spdlog::warn(
      "accept failed: {} ({} attempts in {:.1f} s; retrying every {} ms, new connections wait; "
      "next warning in {} s if it goes on)",
      ec.message(), accept_failures,
      std::chrono::duration<double>(now - accept_failing_since).count(), kAcceptRetryDelay.count(),
      std::chrono::duration_cast<std::chrono::seconds>(kAcceptFailureLogInterval).count());
}

void Server::Impl::BeginShutdown() {
  if (stopping.exchange(true)) {
    return;
  }
  spdlog::info("shutdown: no longer accepting; finishing in-flight requests");
  beast::error_code ec;
  acceptor.close(ec);
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mutex);
    for (auto& [_, weak] : sessions) {
      if (auto s = weak.lock()) {
        live.push_back(std::move(s));
      }
    }
  }
  for (auto& s : live) {
    s->OnShutdown();
  }
  drain_deadline = Clock::now() + config.shutdown_timeout;
  PollDrain();
}

void Server::Impl::PollDrain() {
  std::size_t remaining = 0;
  {
    std::lock_guard lock(sessions_mutex);
    remaining = sessions.size();
  }
  if (remaining == 0 || Clock::now() >= drain_deadline) {
    if (remaining != 0) {
      spdlog::warn("shutdown: {} connections still open after the timeout; closing", remaining);
    }
    signals.cancel();
    ioc.stop();
    return;
  }
  drain_timer.expires_after(kDrainPoll);
  drain_timer.async_wait([this](beast::error_code) { PollDrain(); });
}

Server::Server(ServerConfig config, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(config), router, metrics)) {}

Server::~Server() {
  Shutdown();
  Wait();
}

core::Result<std::uint16_t> Server::Start() {
  auto& s = *impl_;
  beast::error_code ec;
  const auto address = asio::ip::make_address(s.config.address, ec);
  if (ec) {
    return core::Error::Make(core::ErrorCode::kBadRequest,
                             "Invalid listen address: " + s.config.address,
                             "잘못된 수신 주소입니다: " + s.config.address);
  }
  const tcp::endpoint endpoint(address, s.config.port);
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
    return core::Error::Make(core::ErrorCode::kUnavailable,
                             "Cannot listen on " + s.config.address + ":" +
                                 std::to_string(s.config.port) + ": " + ec.message(),
                             "포트를 열 수 없습니다: " + ec.message());
  }
  const auto port = s.acceptor.local_endpoint().port();
  s.DoAccept();
  const int n = s.config.io_threads > 0 ? s.config.io_threads : CoreCount();
  for (int i = 0; i < n; ++i) {
    s.io_threads.emplace_back([&s] { s.ioc.run(); });
  }
  return port;
}

void Server::StopOnSignals() {
  auto& s = *impl_;
  s.signals.add(SIGINT);
  s.signals.add(SIGTERM);
  s.signals.async_wait([&s](beast::error_code ec, int signal) {
    if (ec) {
      return;
    }
    spdlog::info("received signal {}", signal);
    s.BeginShutdown();
    // A second signal means "now".
    s.signals.async_wait([&s](beast::error_code ec2, int) {
      if (!ec2) {
        spdlog::warn("second signal: stopping immediately");
        s.ioc.stop();
      }
    });
  });
}

void Server::Shutdown() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->BeginShutdown(); });
}

void Server::Wait() {
  auto& s = *impl_;
  if (s.joined) {
    return;
  }
  for (auto& t : s.io_threads) {
    if (t.joinable()) {
      t.join();
    }
  }
  s.workers.join();
  s.joined = true;
}

}  // namespace caredesk::http
