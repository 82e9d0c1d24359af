// caredesk screen import | run | simulate: the blind-spot screening from the
// command line (the web app runs it too: POST /api/v1/screening/runs).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>

namespace caredesk::cli {

// Registers `screen` and its subcommands on `cli`; Run() executes the one parsed.
class ScreenCommands {
 public:
  explicit ScreenCommands(CLI::App& cli);
  ~ScreenCommands();
  ScreenCommands(const ScreenCommands&) = delete;
  ScreenCommands& operator=(const ScreenCommands&) = delete;

  bool parsed() const;
  // The exit code: 0 on success, 1 on a runtime failure, 2 on a configuration error.
  int Run(const std::function<const char*(const char*)>& env) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace caredesk::cli
