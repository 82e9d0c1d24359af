// The HTTP/1.1 server (Boost.Beast, kept inside server.cpp). I/O threads only
// parse and write; handlers run on a separate worker pool so blocking
// database work never stalls the I/O threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace caredesk::http {

struct ServerConfig {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;                // 0 picks a free port (tests)
  int io_threads = 0;                       // 0: one per core
  int worker_threads = 0;                   // 0: max(4, 2 x cores)
  std::size_t max_body_bytes = 1 << 20;     // larger bodies get 413
  std::size_t max_header_bytes = 16 << 10;  // larger headers get 431
  // A client must deliver the complete headers within this time, counted from
  // when the server starts waiting (this also bounds keep-alive idle time):
  // a client trickling headers byte by byte is cut off.
  std::chrono::milliseconds header_timeout{15000};
  std::chrono::milliseconds body_timeout{30000};
  std::chrono::milliseconds write_timeout{30000};
  // Requests per second per client address (0 = no limit) and the burst allowed
  // above it; beyond that 429 rate_limited with Retry-After. Health, readiness
  // and metrics are never limited.
  int rate_limit_per_second = 0;
  int rate_limit_burst = 100;
  // Graceful shutdown waits this long for in-flight requests.
  std::chrono::milliseconds shutdown_timeout{30000};
};

class Server {
 public:
  // `router` and `metrics` must outlive the server.
  Server(ServerConfig config, const Router& router, Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads. Returns the bound port.
  core::Result<std::uint16_t> Start();

  // SIGINT/SIGTERM start a graceful shutdown; a second signal stops at once.
  void StopOnSignals();

  // Graceful shutdown: stop accepting, close idle connections, let in-flight
  // requests finish and their responses be written. Returns at once;
  // thread-safe and idempotent.
  void Shutdown();

  // Blocks until the server has stopped and all threads are joined.
  void Wait();

  // Opaque; public only so that server.cpp's connection type can name it.
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace caredesk::http
