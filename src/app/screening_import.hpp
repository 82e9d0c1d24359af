// `caredesk screen import`: reads households.csv and indicators.csv (UTF-8, or
// CP949 from older systems), checks every row, and stores the good ones in one
// transaction. A bad row is reported with file, line and reason and skipped; a
// file that cannot be read or has no usable header stops the import, and
// nothing is stored. Importing the same reported_on batch again replaces it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/ports/directory_repository.hpp"
#include "core/ports/screening_repository.hpp"

namespace caredesk::app {

struct ScreeningImportOptions {
  std::string households_path;
  std::string indicators_path;
  std::string encoding = "utf-8";  // or cp949
  bool dry_run = false;            // check the files, store nothing
  std::string imported_by;
  // Called now and then while reading: stage ("households", "indicators"), bytes
  // read of the file, its size.
  std::function<void(std::string_view, std::uint64_t, std::uint64_t)> progress;
};

struct RowReport {
  std::string file;
  std::int64_t line = 0;
  std::string reason;
  std::string reason_ko;
};

struct ScreeningImportReport {
  core::ScreeningImport record;          // id 0 on a dry run
  std::vector<RowReport> problems;       // the first kMaxReportedProblems
  std::int64_t problem_count = 0;
  static constexpr std::size_t kMaxReportedProblems = 1000;
};

core::Result<ScreeningImportReport> ImportScreeningFiles(core::ScreeningRepository& screening,
                                                         core::DirectoryRepository& directory,
                                                         core::DistrictId district,
                                                         const core::ScreeningModel& model,
                                                         core::Date today,
                                                         const ScreeningImportOptions& options);

// Reads a file line by line (UTF-8, or CP949 converted to UTF-8) and calls
// `line` with each line's number and text. Used by the import and by the bench's
// read-only baseline. Returns an error when the file cannot be read or is not in
// the encoding.
core::Status ReadLines(const std::string& path, const std::string& encoding,
                       const std::function<void(std::int64_t, std::string_view, std::uint64_t)>&
                           line);

}  // namespace caredesk::app
