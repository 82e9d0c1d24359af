// caredesk_idle_connections: opens many keep-alive connections to a server, sends one
// GET /healthz on each and reads the answer, then holds them all open and idle until told to let
// go (SIGUSR1 or SIGTERM) or --hold-seconds pass, and reports on stdout, one key=value line per
// phase, for scripts/bench.sh:
//
//   opened connections=10000 established=10000 answered=10000 failed=0 unanswered=0 seconds=1.23
//   holding            (bench.sh measures the server and sends its own requests now)
//   held seconds=3.2 still_open=10000 closed_by_server=0
//   server_close waited_seconds=16.0 closed_by_server=10000 idle_seconds_min=15.0 max=15.1
//
// The last line only with --await-server-close-seconds: how long after its answer the server
// closed each idle connection (its keep-alive idle limit is server.header_timeout_ms).
// Plain POSIX sockets and epoll; at most --in-flight connections are being opened or answered
// at once, so the listen backlog is not overrun (a dropped SYN costs a second's retransmit).
// Raises its own RLIMIT_NOFILE as far as it is allowed to.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kEpollBatch = 1024;
constexpr int kPollMillis = 50;
constexpr std::size_t kMaxResponseBytes = 64 << 10;
// Descriptors besides the connections: stdio, epoll, a margin.
constexpr rlim_t kSpareDescriptors = 64;

volatile std::sig_atomic_t g_release = 0;

void OnSignal(int /*signal*/) { g_release = 1; }

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  int connections = 10000;
  int in_flight = 256;
  double answer_seconds = 30;  // bound on opening and answering all of them
  double hold_seconds = 10;    // the longest hold; a signal ends it earlier
  double await_server_close_seconds = 0;
};

enum class State { kConnecting, kAwaitingAnswer, kIdle, kClosed };

struct Connection {
  int fd = -1;
  State state = State::kClosed;
  std::string received;
  Clock::time_point answered_at{};
  Clock::time_point closed_at{};
};

[[noreturn]] void Usage(const char* message) {
  std::fprintf(stderr,
               "caredesk_idle_connections: %s\n"
               "usage: caredesk_idle_connections --port N [--host 127.0.0.1] [--connections N]\n"
               "         [--in-flight N] [--answer-seconds S] [--hold-seconds S]\n"
               "         [--await-server-close-seconds S]\n",
               message);
  std::exit(2);
}

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) {
      Usage("a flag lacks its value");
    }
    const char* value = argv[++i];
    if (flag == "--host") {
      o.host = value;
    } else if (flag == "--port") {
      o.port = std::atoi(value);
    } else if (flag == "--connections") {
      o.connections = std::atoi(value);
    } else if (flag == "--in-flight") {
      o.in_flight = std::atoi(value);
    } else if (flag == "--answer-seconds") {
      o.answer_seconds = std::atof(value);
    } else if (flag == "--hold-seconds") {
      o.hold_seconds = std::atof(value);
    } else if (flag == "--await-server-close-seconds") {
      o.await_server_close_seconds = std::atof(value);
    } else {
      Usage("unknown flag");
    }
  }
  if (o.port <= 0 || o.port > 65535 || o.connections <= 0 || o.in_flight <= 0) {
    Usage("--port, --connections and --in-flight must be positive");
  }
  return o;
}

void RaiseFileLimit(int connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return;
  }
  const rlim_t wanted = static_cast<rlim_t>(connections) + kSpareDescriptors;
  if (limit.rlim_cur >= wanted) {
    return;
  }
  rlimit raised{wanted, std::max(limit.rlim_max, wanted)};  // a larger hard limit needs root
  if (setrlimit(RLIMIT_NOFILE, &raised) != 0) {
    raised = {std::min(wanted, limit.rlim_max), limit.rlim_max};
    setrlimit(RLIMIT_NOFILE, &raised);
  }
  getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < wanted) {
    std::fprintf(stderr,
                 "caredesk_idle_connections: RLIMIT_NOFILE is %llu, below the %llu needed: raise "
                 "it (ulimit -n)\n",
                 static_cast<unsigned long long>(limit.rlim_cur),
                 static_cast<unsigned long long>(wanted));
  }
}

double SecondsSince(Clock::time_point start, Clock::time_point end = Clock::now()) {
  return std::chrono::duration<double>(end - start).count();
}

class Client {
 public:
  explicit Client(Options options) : o_(std::move(options)), conns_(o_.connections) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) {
      std::perror("epoll_create1");
      std::exit(1);
    }
    addr_.sin_family = AF_INET;
    addr_.sin_port = htons(static_cast<std::uint16_t>(o_.port));
    if (inet_pton(AF_INET, o_.host.c_str(), &addr_.sin_addr) != 1) {
      Usage("--host must be an IPv4 address");
    }
    request_ = "GET /healthz HTTP/1.1\r\nHost: " + o_.host + ":" + std::to_string(o_.port) +
               "\r\nConnection: keep-alive\r\n\r\n";
  }
  ~Client() {
    for (auto& c : conns_) {
      if (c.fd >= 0) {
        close(c.fd);
      }
    }
    close(epoll_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Opens every connection and has each answered once.
  void Open() {
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration<double>(o_.answer_seconds);
    int next = 0;
    while (Clock::now() < deadline) {
      while (next < o_.connections && busy_ < o_.in_flight) {
        StartConnect(next++);
      }
      if (next == o_.connections && busy_ == 0) {
        break;
      }
      Poll(kPollMillis);
    }
    int unanswered = 0;
    for (auto& c : conns_) {
      if (c.state == State::kConnecting || c.state == State::kAwaitingAnswer) {
        ++unanswered;
      }
    }
    std::printf(
        "opened connections=%d established=%d answered=%d failed=%d unanswered=%d "
        "not_started=%d seconds=%.3f\n",
        o_.connections, established_, answered_, failed_, unanswered, o_.connections - next,
        SecondsSince(start));
    std::fflush(stdout);
  }

  // Holds every connection open without a request until a signal or --hold-seconds.
  void Hold() {
    std::printf("holding\n");
    std::fflush(stdout);
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration<double>(o_.hold_seconds);
    while (g_release == 0 && Clock::now() < deadline) {
      Poll(kPollMillis);
    }
    std::printf("held seconds=%.3f still_open=%d closed_by_server=%d\n", SecondsSince(start),
                CountIdle(), closed_by_server_);
    std::fflush(stdout);
  }

  // Waits for the server to close the idle connections by itself.
  void AwaitServerClose() {
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration<double>(o_.await_server_close_seconds);
    while (CountIdle() > 0 && Clock::now() < deadline) {
      Poll(kPollMillis);
    }
    double min_idle = 0;
    double max_idle = 0;
    bool any = false;
    for (const auto& c : conns_) {
      if (c.closed_at == Clock::time_point{} || c.answered_at == Clock::time_point{}) {
        continue;
      }
      const double idle = SecondsSince(c.answered_at, c.closed_at);
      min_idle = any ? std::min(min_idle, idle) : idle;
      max_idle = any ? std::max(max_idle, idle) : idle;
      any = true;
    }
    std::printf(
        "server_close waited_seconds=%.3f closed_by_server=%d still_open=%d "
        "idle_seconds_min=%.1f max=%.1f\n",
        SecondsSince(start), closed_by_server_, CountIdle(), min_idle, max_idle);
    std::fflush(stdout);
  }

 private:
  void StartConnect(int i) {
    auto& c = conns_[i];
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
      Fail(i, "socket", errno);
      return;
    }
    const int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c.fd, reinterpret_cast<const sockaddr*>(&addr_), sizeof addr_) != 0 &&
        errno != EINPROGRESS) {
      Fail(i, "connect", errno);
      return;
    }
    c.state = State::kConnecting;
    ++busy_;
    epoll_event ev{};
    ev.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP;
    ev.data.u32 = static_cast<std::uint32_t>(i);
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &ev) != 0) {
      Fail(i, "epoll_ctl", errno);
    }
  }

  void Poll(int timeout_ms) {
    std::vector<epoll_event> events(kEpollBatch);
    const int n = epoll_wait(epoll_, events.data(), kEpollBatch, timeout_ms);
    for (int k = 0; k < n; ++k) {
      OnEvent(static_cast<int>(events[k].data.u32), events[k].events);
    }
  }

  void OnEvent(int i, std::uint32_t events) {
    auto& c = conns_[i];
    switch (c.state) {
      case State::kConnecting: {
        int error = 0;
        socklen_t len = sizeof error;
        if (getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) {
          return Fail(i, "connect", error);
        }
        if ((events & EPOLLOUT) == 0) {
          return;
        }
        ++established_;
        if (send(c.fd, request_.data(), request_.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(request_.size())) {
          return Fail(i, "send", errno);
        }
        c.state = State::kAwaitingAnswer;
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP;
        ev.data.u32 = static_cast<std::uint32_t>(i);
        epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
        return;
      }
      case State::kAwaitingAnswer:
        return ReadAnswer(i);
      case State::kIdle: {
        // An idle connection becomes readable only when the server closes it (or resets it).
        char byte = 0;
        const auto n = recv(c.fd, &byte, 1, 0);
        if (n > 0) {
          return;  // unexpected data; keep holding
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
          return;
        }
        c.closed_at = Clock::now();
        ++closed_by_server_;
        Close(i);
        return;
      }
      case State::kClosed:
        return;
    }
  }

  void ReadAnswer(int i) {
    auto& c = conns_[i];
    char buffer[4096];
    while (true) {
      const auto n = recv(c.fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        c.received.append(buffer, static_cast<std::size_t>(n));
        if (c.received.size() > kMaxResponseBytes) {
          return Fail(i, "response too large");
        }
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        break;
      }
      return Fail(i, "closed before answering");
    }
    const auto header_end = c.received.find("\r\n\r\n");
    if (header_end == std::string::npos) {
      return;
    }
    std::size_t length = 0;
    std::string lower = c.received.substr(0, header_end);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (const auto at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
      length = std::strtoul(lower.c_str() + at + std::strlen("\r\ncontent-length:"), nullptr, 10);
    }
    if (c.received.size() < header_end + 4 + length) {
      return;
    }
    if (c.received.rfind("HTTP/1.1 200", 0) != 0 ||
        lower.find("\r\nconnection: close") != std::string::npos) {
      return Fail(i, "not a keep-alive 200");
    }
    c.received = std::string();  // release the buffer: an idle connection holds nothing
    c.state = State::kIdle;
    c.answered_at = Clock::now();
    ++answered_;
    --busy_;
  }

  // `error`: the errno of a failed call, or 0.
  void Fail(int i, const char* what, int error = 0) {
    auto& c = conns_[i];
    if (failed_ == 0) {
      std::fprintf(stderr,
                   "caredesk_idle_connections: connection %d: %s%s%s (later failures are "
                   "only counted)\n",
                   i, what, error != 0 ? ": " : "", error != 0 ? std::strerror(error) : "");
    }
    ++failed_;
    if (c.state == State::kConnecting || c.state == State::kAwaitingAnswer) {
      --busy_;
    }
    Close(i);
  }

  void Close(int i) {
    auto& c = conns_[i];
    if (c.fd >= 0) {
      epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
      close(c.fd);
      c.fd = -1;
    }
    c.state = State::kClosed;
  }

  int CountIdle() const {
    return static_cast<int>(std::count_if(
        conns_.begin(), conns_.end(), [](const Connection& c) { return c.state == State::kIdle; }));
  }

  Options o_;
  std::vector<Connection> conns_;
  int epoll_ = -1;
  sockaddr_in addr_{};
  std::string request_;
  int busy_ = 0;  // connecting or awaiting the answer
  int established_ = 0;
  int answered_ = 0;
  int failed_ = 0;
  int closed_by_server_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const Options options = Parse(argc, argv);
  RaiseFileLimit(options.connections);
  std::signal(SIGUSR1, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);
  Client client(options);
  client.Open();
  client.Hold();
  if (options.await_server_close_seconds > 0) {
    client.AwaitServerClose();
  }
  return 0;
}
