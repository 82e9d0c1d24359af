// caredesk triage train | classify | eval: the category and crisis classifier
// from the command line.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "app/config.hpp"

namespace caredesk::cli {

// Registers `triage` and its subcommands on `cli`; Run() executes the one parsed.
class TriageCommands {
 public:
  explicit TriageCommands(CLI::App& cli);
  ~TriageCommands();
  TriageCommands(const TriageCommands&) = delete;
  TriageCommands& operator=(const TriageCommands&) = delete;

  bool parsed() const;
  // The exit code: 0 on success, 1 on a runtime failure, 2 on a configuration error.
  int Run(const std::function<const char*(const char*)>& env) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace caredesk::cli
