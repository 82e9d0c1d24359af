// caredesk_bare_beast: the bare Beast baseline as a process, for wrk (scripts/bench.sh).
// Prints "bare-beast: http://ADDRESS:PORT/" once listening; --port 0 picks a free port.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <exception>
#include <iostream>
#include <string>

#include "bench/bare_beast.hpp"

int main(int argc, char** argv) {
  CLI::App cli{R"(Bare Boost.Beast HTTP/1.1 server: GET /healthz -> {"status":"ok"})"};
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;
  int io_threads = 1;
  cli.add_option("--address", address, "Listen address")->capture_default_str();
  cli.add_option("--port", port, "Listen port (0 = any free port)")->capture_default_str();
  cli.add_option("--io-threads", io_threads, "Threads that run the io_context")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  try {
    caredesk::bench::BareBeastServer server(address, port, io_threads);
    const auto bound = server.Start();
    server.StopOnSignals();
    std::cout << "bare-beast: http://" << address << ":" << bound << "/" << std::endl;
    server.Wait();
  } catch (const std::exception& e) {
    std::cerr << "caredesk_bare_beast: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
