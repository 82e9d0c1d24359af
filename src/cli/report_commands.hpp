// caredesk report run NAME --from --to [--scope] --format xlsx|csv|json -o FILE: a
// performance report from the command line, the same tables as the web app's.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>

namespace caredesk::cli {

class ReportCommands {
 public:
  explicit ReportCommands(CLI::App& cli);
  ~ReportCommands();
  ReportCommands(const ReportCommands&) = delete;
  ReportCommands& operator=(const ReportCommands&) = delete;

  bool parsed() const;
  // 0 on success, 1 on a runtime failure, 2 on a configuration or usage error.
  int Run(const std::function<const char*(const char*)>& env) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace caredesk::cli
