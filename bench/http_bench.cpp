// CareDesk's HTTP layer against a bare baseline, in one process and one run.
//
// In process (no sockets): what the router and the JSON library add to a trivial route. The
// baseline is a bare lambda that produces the same /healthz body; the subject is the app's real
// route table (caredesk::app::App) with Router::Find + the real /healthz handler + JsonResponse;
// a third variant adds the rest of http::Server's per-request work outside I/O (the UTF-8 check
// of the target and Metrics::Record), so the reader sees where the nanoseconds go.
//
// Over loopback: one keep-alive client sending GET /healthz sequentially, against the real
// http::Server (worker pool, metrics; logging at warn) and against the bare Beast server. This
// is latency for one request at a time; throughput under concurrency is wrk's job (bench.sh).
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "app/app.hpp"
#include "bench/bare_beast.hpp"
#include "bench/timed_run.hpp"
#include "core/text.hpp"
#include "crypto/crypto.hpp"
#include "http/json_io.hpp"
#include "http/router.hpp"

namespace {

namespace fs = std::filesystem;
using caredesk::bench::BareBeastServer;
using caredesk::bench::kHealthBody;
namespace http = caredesk::http;

constexpr auto kClientTimeout = std::chrono::seconds(5);
constexpr std::size_t kReadChunk = 4096;
// One second per server: thousands of round trips, enough for a stable p99.
constexpr caredesk::bench::RunLimits kLoopbackLimits{std::chrono::milliseconds(1000), 1'000'000};

// The app (real routes) on a throw-away SQLite database, plus both servers for the loopback runs.
// Destroying it stops both servers and removes the database, also when SetUp failed halfway.
struct Fixture {
  Fixture() = default;
  ~Fixture() {
    bare.reset();
    app.reset();  // stops the server and closes the database
    if (!dir.empty()) {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;

  fs::path dir;
  std::unique_ptr<caredesk::app::App> app;
  std::uint16_t caredesk_port = 0;
  std::unique_ptr<BareBeastServer> bare;
  std::uint16_t bare_port = 0;
};

constexpr int kExitSetupFailed = 2;

// Setup failures throw, so that the fixture's destructor cleans up what was started.
[[noreturn]] void Fail(const std::string& why) { throw std::runtime_error(why); }

http::Request HealthRequest() {
  http::Request request;
  request.method = "GET";
  request.target = "/healthz";
  request.path = "/healthz";
  request.remote_ip = "127.0.0.1";
  request.request_id = "0123456789abcdef";
  return request;
}

// Baseline: a lambda that produces the same response body, without router or JSON library.
void BM_BareLambda(benchmark::State& state) {
  const auto handler = [](http::Request&) {
    http::Response r;
    r.body = kHealthBody;
    return r;
  };
  http::Request request = HealthRequest();
  for (auto _ : state) {
    http::Response response = handler(request);
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}

// Router::Find on the app's route table + the real /healthz handler (which builds the body with
// nlohmann::json through JsonResponse). What Server::Impl::Handle does for a found route.
void BM_RouterJson(benchmark::State& state, Fixture* fixture) {
  const http::Router& router = fixture->app->router();
  http::Request request = HealthRequest();
  for (auto _ : state) {
    auto match = router.Find(request.method, request.path);
    request.route = match.path_template;
    request.path_params = std::move(match.params);
    http::Response response = (*match.handler)(request);
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}

// BM_RouterJson plus the rest of Server::Impl::Handle outside I/O: the UTF-8 check of the target
// and Metrics::Record (a mutex and two map updates).
void BM_RouterJsonMetrics(benchmark::State& state, Fixture* fixture) {
  const http::Router& router = fixture->app->router();
  http::Metrics& metrics = fixture->app->metrics();
  http::Request request = HealthRequest();
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const bool valid = caredesk::core::IsValidUtf8(http::PercentDecode(request.target, true));
    benchmark::DoNotOptimize(valid);
    auto match = router.Find(request.method, request.path);
    request.route = match.path_template;
    request.path_params = std::move(match.params);
    http::Response response = (*match.handler)(request);
    metrics.Record(request.method, request.route, response.status,
                   std::chrono::steady_clock::now() - start);
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}

// The parts on their own.
void BM_RouterFindOnly(benchmark::State& state, Fixture* fixture) {
  const http::Router& router = fixture->app->router();
  for (auto _ : state) {
    auto match = router.Find("GET", "/healthz");
    benchmark::DoNotOptimize(match);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_JsonResponseOnly(benchmark::State& state) {
  for (auto _ : state) {
    http::Response response = http::JsonResponse(200, {{"status", "ok"}});
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}

// A blocking keep-alive HTTP/1.1 client for one loopback connection. Every read and write is
// bounded by kClientTimeout.
class LoopbackClient {
 public:
  explicit LoopbackClient(std::uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) {
      return;
    }
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    timeval tv{};
    tv.tv_sec = std::chrono::duration_cast<std::chrono::seconds>(kClientTimeout).count();
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~LoopbackClient() {
    if (fd_ >= 0) {
      close(fd_);
    }
  }
  LoopbackClient(const LoopbackClient&) = delete;
  LoopbackClient& operator=(const LoopbackClient&) = delete;

  bool connected() const { return connected_; }

  // Sends `request` (a complete GET) and reads the whole response, framed by Content-Length.
  // True for a 200 that carries the health body.
  bool Get(std::string_view request) {
    if (send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      return false;
    }
    buffer_.clear();
    std::size_t header_end = std::string::npos;
    std::size_t total = 0;
    while (true) {
      if (header_end == std::string::npos) {
        header_end = buffer_.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          total = header_end + 4 + ContentLength(std::string_view(buffer_).substr(0, header_end));
        }
      }
      if (header_end != std::string::npos && buffer_.size() >= total) {
        break;
      }
      char chunk[kReadChunk];
      const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        return false;
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
    return buffer_.starts_with("HTTP/1.1 200") && buffer_.ends_with(kHealthBody);
  }

 private:
  static std::size_t ContentLength(std::string_view headers) {
    constexpr std::string_view kName = "\r\ncontent-length:";
    for (std::size_t i = 0; i + kName.size() <= headers.size(); ++i) {
      bool same = true;
      for (std::size_t j = 0; j < kName.size() && same; ++j) {
        same = std::tolower(static_cast<unsigned char>(headers[i + j])) == kName[j];
      }
      if (same) {
        return std::strtoull(headers.data() + i + kName.size(), nullptr, 10);
      }
    }
    return 0;
  }

  int fd_;
  bool connected_ = false;
  std::string buffer_;
};

void BM_Loopback(benchmark::State& state, const std::uint16_t* port) {
  constexpr std::string_view kRequest = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  LoopbackClient client(*port);
  if (!client.connected()) {
    state.SkipWithError("cannot connect to the loopback server");
    return;
  }
  caredesk::bench::TimedRun(state, kLoopbackLimits, "request failed or timed out",
                            [&] { return client.Get(kRequest); });
}

// Throws std::runtime_error when something cannot be started.
void SetUp(Fixture* fixture) {
  char tmpl[] = "/tmp/caredesk-http-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    Fail("mkdtemp failed");
  }
  fixture->dir = tmpl;
  caredesk::app::Config config;
  config.storage.url = "sqlite://" + (fixture->dir / "bench.db").string();
  config.server.address = "127.0.0.1";
  config.server.port = 0;
  config.server.io_threads = 1;  // one sequential client: one I/O thread, as for the baseline
  config.security.key_file = (fixture->dir / "bench.key").string();
  if (auto made = caredesk::crypto::GenerateKeyFile(config.security.key_file); !made.ok()) {
    Fail("cannot make a key file: " + made.error().message);
  }
  auto app = caredesk::app::App::Open(config);
  if (!app.ok()) {
    Fail("cannot open the app: " + app.error().message + " " + app.error().internal_detail);
  }
  fixture->app = std::move(*app);
  // Both sides of the in-process comparison must produce the same response.
  http::Request request = HealthRequest();
  const auto match = fixture->app->router().Find(request.method, request.path);
  if (match.kind != http::Router::MatchKind::kFound ||
      (*match.handler)(request).body != kHealthBody) {
    Fail("the app's GET /healthz does not answer " + std::string(kHealthBody));
  }
  auto port = fixture->app->StartServer();
  if (!port.ok()) {
    Fail("cannot start the server: " + port.error().message);
  }
  fixture->caredesk_port = *port;
  fixture->bare = std::make_unique<BareBeastServer>("127.0.0.1", 0, 1);
  fixture->bare_port = fixture->bare->Start();
}

}  // namespace

int main(int argc, char** argv) {
  // The real server logs every request at info; that is measured by bench.sh, not here.
  spdlog::set_level(spdlog::level::warn);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  try {
    Fixture fixture;
    SetUp(&fixture);
    benchmark::RegisterBenchmark("inproc/bare_lambda", BM_BareLambda);
    benchmark::RegisterBenchmark("inproc/router_json", BM_RouterJson, &fixture);
    benchmark::RegisterBenchmark("inproc/router_json_metrics", BM_RouterJsonMetrics, &fixture);
    benchmark::RegisterBenchmark("inproc/router_find_only", BM_RouterFindOnly, &fixture);
    benchmark::RegisterBenchmark("inproc/json_response_only", BM_JsonResponseOnly);
    benchmark::RegisterBenchmark("loopback/bare_beast", BM_Loopback, &fixture.bare_port)
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("loopback/caredesk", BM_Loopback, &fixture.caredesk_port)
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
  } catch (const std::exception& e) {
    std::cerr << "caredesk_http_bench: " << e.what() << "\n";
    return kExitSetupFailed;
  }
  return 0;
}
