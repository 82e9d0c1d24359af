// A minimal Boost.Beast HTTP/1.1 keep-alive server: the baseline that CareDesk's HTTP layer is
// measured against. It answers GET (and HEAD) /healthz with the same body as CareDesk,
// {"status":"ok"}, and 404 to anything else. It has no router, no worker pool, no JSON library,
// no metrics, no request ids and no logging, so the gap to CareDesk is what those cost.
// It keeps the defensive defaults that are cheap (bounded header/body size, read/write timeouts),
// so the comparison is not against a server nobody would run.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace caredesk::bench {

// The body both servers return for /healthz.
inline constexpr char kHealthBody[] = R"({"status":"ok"})";

class BareBeastServer {
 public:
  // `io_threads` threads run one io_context, one strand per connection (CareDesk's I/O model).
  BareBeastServer(std::string address, std::uint16_t port, int io_threads);
  ~BareBeastServer();  // Stop() and Wait()
  BareBeastServer(const BareBeastServer&) = delete;
  BareBeastServer& operator=(const BareBeastServer&) = delete;

  // Binds, listens and starts the threads. Returns the bound port (0 in the constructor picks a
  // free one). Throws std::runtime_error when the address cannot be bound.
  std::uint16_t Start();

  // SIGINT/SIGTERM call Stop().
  void StopOnSignals();

  // Stops the I/O threads; open connections are dropped. Thread-safe, idempotent, returns at once.
  void Stop();

  // Blocks until the I/O threads have exited.
  void Wait();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace caredesk::bench
