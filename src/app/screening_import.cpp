#include "app/screening_import.hpp"

#include <iconv.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "core/screening_csv.hpp"
#include "core/text.hpp"

namespace caredesk::app {
namespace {

using core::Error;

constexpr std::size_t kHouseholdBatch = 2000;
constexpr std::size_t kSignalBatch = 3000;
constexpr std::int64_t kProgressEvery = 50000;

// CP949 (Windows Korean, a superset of EUC-KR) to UTF-8, one line at a time.
class Cp949Converter {
 public:
  Cp949Converter() : cd_(iconv_open("UTF-8", "CP949")) {}
  ~Cp949Converter() {
    if (ok()) {
      iconv_close(cd_);
    }
  }
  Cp949Converter(const Cp949Converter&) = delete;
  Cp949Converter& operator=(const Cp949Converter&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }

  // False when `in` is not CP949.
  bool Convert(std::string_view in, std::string& out) {
    iconv(cd_, nullptr, nullptr, nullptr, nullptr);  // reset the shift state
    out.resize(in.size() * 3 / 2 + 8);
    auto* src = const_cast<char*>(in.data());  // iconv's signature; it does not write
    std::size_t src_left = in.size();
    char* dst = out.data();
    std::size_t dst_left = out.size();
    while (src_left > 0) {
      if (iconv(cd_, &src, &src_left, &dst, &dst_left) != static_cast<std::size_t>(-1)) {
        continue;
      }
      if (errno != E2BIG) {
        return false;
      }
      const auto used = static_cast<std::size_t>(dst - out.data());
      out.resize(out.size() * 2);
      dst = out.data() + used;
      dst_left = out.size() - used;
    }
    out.resize(static_cast<std::size_t>(dst - out.data()));
    return true;
  }

 private:
  iconv_t cd_;
};

Error FileError(const std::string& field, const std::string& en, const std::string& ko) {
  return Error::Validation({{field, "unreadable", en, ko}});
}

}  // namespace

core::Status ReadLines(
    const std::string& path, const std::string& encoding,
    const std::function<void(std::int64_t, std::string_view, std::uint64_t)>& line) {
  const bool cp949 = encoding == "cp949" || encoding == "CP949" || encoding == "euc-kr";
  if (!cp949 && encoding != "utf-8" && encoding != "UTF-8" && encoding != "utf8") {
    return Error::Validation({{"encoding", "invalid_value", "Use utf-8 or cp949.",
                               "utf-8 또는 cp949를 쓰세요."}});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return FileError("file", "Cannot open " + path + ".", path + " 파일을 열 수 없습니다.");
  }
  std::unique_ptr<Cp949Converter> converter;
  if (cp949) {
    converter = std::make_unique<Cp949Converter>();
    if (!converter->ok()) {
      return Error::Internal("iconv has no CP949 converter");
    }
  }
  std::string raw;
  std::string converted;
  std::uint64_t bytes = 0;
  std::int64_t number = 0;
  while (std::getline(in, raw)) {
    ++number;
    bytes += raw.size() + 1;
    if (converter) {
      if (!converter->Convert(raw, converted)) {
        // Not CP949: handed on as it is, so the row check reports the line.
        line(number, raw, bytes);
        continue;
      }
      line(number, converted, bytes);
      continue;
    }
    line(number, raw, bytes);
  }
  if (in.bad()) {
    return FileError("file", "Reading " + path + " failed.", path + " 파일을 읽지 못했습니다.");
  }
  return {};
}

core::Result<ScreeningImportReport> ImportScreeningFiles(core::ScreeningRepository& screening,
                                                         core::DirectoryRepository& directory,
                                                         core::DistrictId district,
                                                         const core::ScreeningModel& model,
                                                         core::Date today,
                                                         const ScreeningImportOptions& options) {
  auto dongs = directory.ListDongs(district);
  if (!dongs.ok()) {
    return std::move(dongs).error();
  }
  // A file may name a dong in full (서교동) or short (서교).
  std::unordered_map<std::string, core::DongId> dong_ids;
  for (const auto& d : *dongs) {
    dong_ids[d.name] = d.id;
    dong_ids[d.short_name] = d.id;
  }
  std::error_code ec;
  const auto households_size = std::filesystem::file_size(options.households_path, ec);
  const auto indicators_size = std::filesystem::file_size(options.indicators_path, ec);

  ScreeningImportReport report;
  core::ScreeningImport record;
  record.district_id = district;
  record.imported_by = options.imported_by;
  record.source = std::filesystem::path(options.households_path).filename().string() + ", " +
                  std::filesystem::path(options.indicators_path).filename().string();
  const bool utf8 = options.encoding != "cp949" && options.encoding != "CP949" &&
                    options.encoding != "euc-kr";

  bool dry_run_checked = false;
  const auto feed = [&](core::ScreeningImportWriter& writer) -> core::Result<core::ScreeningImport> {
    // Transact may run this again after a busy database: start from nothing.
    report = ScreeningImportReport{};
    core::ScreeningImport counts = record;
    std::set<core::Date> batches;
    auto problem = [&](const std::string& file, std::int64_t line, const core::RowProblem& p) {
      ++report.problem_count;
      ++counts.skipped;
      if (report.problems.size() < ScreeningImportReport::kMaxReportedProblems) {
        report.problems.push_back({file, line, p.reason, p.reason_ko});
      }
    };
    // One file: its header (a problem there stops the import), then each row split
    // into fields for `on_row`; a line that is not UTF-8 or not CSV is a skipped row.
    using RowFn = std::function<void(const std::string&, std::int64_t,
                                     const std::vector<std::string>&, const core::CsvColumns&)>;
    auto read_csv = [&](const std::string& path, const std::string& field,
                       std::span<const std::string_view> expected, std::uintmax_t size,
                       const RowFn& on_row) -> core::Status {
      const std::string file = std::filesystem::path(path).filename().string();
      std::optional<core::CsvColumns> columns;
      std::optional<Error> fatal;
      auto read = ReadLines(path, options.encoding,
                            [&](std::int64_t number, std::string_view text, std::uint64_t bytes) {
        if (fatal) {
          return;
        }
        if (options.progress && number % kProgressEvery == 0) {
          options.progress(field, bytes, size);
        }
        if (core::Trim(text).empty()) {
          return;
        }
        std::optional<core::RowProblem> bad;
        std::vector<std::string> row;
        if (utf8 && !core::IsValidUtf8(text)) {
          bad = core::RowProblem{"The line is not UTF-8 (try --encoding cp949).",
                                 "UTF-8이 아닌 줄입니다(--encoding cp949를 써 보세요)."};
        } else if (auto fields = core::SplitCsvLine(text);
                   std::holds_alternative<core::RowProblem>(fields)) {
          bad = std::get<core::RowProblem>(fields);
        } else {
          row = std::move(std::get<std::vector<std::string>>(fields));
        }
        if (!columns) {
          if (!bad) {
            auto matched = core::MatchHeader(row, expected);
            if (std::holds_alternative<core::CsvColumns>(matched)) {
              columns = std::get<core::CsvColumns>(matched);
              return;
            }
            bad = std::get<core::RowProblem>(matched);
          }
          fatal = FileError(field, file + ": " + bad->reason, file + ": " + bad->reason_ko);
          return;
        }
        if (bad) {
          problem(file, number, *bad);
          return;
        }
        on_row(file, number, row, *columns);
      });
      if (!read.ok()) {
        return read;
      }
      if (fatal) {
        return *fatal;
      }
      if (!columns) {
        return FileError(field, file + " is empty (no header row).",
                         file + " 파일이 비어 있습니다(머리글 없음).");
      }
      if (options.progress) {
        options.progress(field, size, size);
      }
      return {};
    };

    // households.csv
    std::unordered_set<std::string> in_file;
    std::vector<core::StoredHousehold> batch;
    batch.reserve(kHouseholdBatch);
    auto read = read_csv(
        options.households_path, "households", core::kHouseholdColumns, households_size,
        [&](const std::string& file, std::int64_t number, const std::vector<std::string>& row,
            const core::CsvColumns& columns) {
          auto parsed = core::ParseHouseholdRow(row, columns, today.year);
          if (std::holds_alternative<core::RowProblem>(parsed)) {
            problem(file, number, std::get<core::RowProblem>(parsed));
            return;
          }
          auto& h = std::get<core::ScreenedHousehold>(parsed);
          const auto dong = dong_ids.find(h.dong);
          if (dong == dong_ids.end()) {
            problem(file, number,
                    {"No dong \"" + h.dong.substr(0, 40) + "\" in this district.",
                     "이 구에 \"" + h.dong.substr(0, 40) + "\" 동이 없습니다."});
            return;
          }
          if (!in_file.insert(h.household_id).second) {
            problem(file, number,
                    {"household " + h.household_id + " appears again: the first row is kept.",
                     "가구 " + h.household_id + "가 다시 나옵니다. 첫 줄을 씁니다."});
            return;
          }
          batch.push_back({std::move(h), dong->second});
          if (batch.size() == kHouseholdBatch) {
            writer.AddHouseholds(batch);
            counts.households += static_cast<std::int64_t>(batch.size());
            batch.clear();
          }
        });
    if (!read.ok()) {
      return read.error();
    }
    writer.AddHouseholds(batch);
    counts.households += static_cast<std::int64_t>(batch.size());

    // indicators.csv
    std::unordered_map<std::string, bool> stored;  // ids not in this file: known from before?
    std::vector<core::RiskSignal> signals;
    signals.reserve(kSignalBatch);
    read = read_csv(
        options.indicators_path, "indicators", core::kIndicatorColumns, indicators_size,
        [&](const std::string& file, std::int64_t number, const std::vector<std::string>& row,
            const core::CsvColumns& columns) {
          auto parsed = core::ParseIndicatorRow(row, columns, model, today);
          if (std::holds_alternative<core::RowProblem>(parsed)) {
            problem(file, number, std::get<core::RowProblem>(parsed));
            return;
          }
          auto& s = std::get<core::RiskSignal>(parsed);
          if (!in_file.contains(s.household_id)) {
            auto known = stored.find(s.household_id);
            if (known == stored.end()) {
              known = stored.emplace(s.household_id, writer.HouseholdKnown(s.household_id)).first;
            }
            if (!known->second) {
              problem(file, number,
                      {"household " + s.household_id.substr(0, 64) +
                           " is in neither households.csv nor an earlier import.",
                       "가구 " + s.household_id.substr(0, 64) +
                           "가 households.csv에도, 이전에 가져온 자료에도 없습니다."});
              return;
            }
          }
          batches.insert(s.reported_on);
          signals.push_back(std::move(s));
          if (signals.size() == kSignalBatch) {
            writer.AddSignals(signals);
            counts.signals += static_cast<std::int64_t>(signals.size());
            signals.clear();
          }
        });
    if (!read.ok()) {
      return read.error();
    }
    writer.AddSignals(signals);
    counts.signals += static_cast<std::int64_t>(signals.size());
    counts.batches.assign(batches.begin(), batches.end());
    report.record = counts;
    if (options.dry_run) {
      // Everything was checked against the database as a real import would be;
      // this error rolls it all back.
      dry_run_checked = true;
      return Error::Make(core::ErrorCode::kConflict, "Dry run: nothing stored.",
                         "시험 실행: 저장하지 않았습니다.");
    }
    return counts;
  };

  auto imported = screening.Import(record, feed);
  if (options.dry_run && dry_run_checked) {
    report.record.id = 0;
    return report;
  }
  if (!imported.ok()) {
    return std::move(imported).error();
  }
  report.record = *imported;
  return report;
}

}  // namespace caredesk::app
