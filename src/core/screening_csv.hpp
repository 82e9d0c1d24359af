// The two CSV files agencies send for the blind-spot screening, one row at a
// time: households.csv and indicators.csv (UTF-8, header row). A bad row is a
// RowProblem with the reason in Korean and English; the importer reports it and
// skips the row. Pure: the caller reads the files (and converts CP949).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/screening.hpp"

namespace caredesk::core {

inline constexpr std::size_t kMaxCsvLineBytes = 4096;
inline constexpr std::size_t kMaxHouseholdIdChars = 64;
inline constexpr int kMaxSignalMonths = 600;
inline constexpr std::int64_t kMaxAmountKrw = 10'000'000'000'000;  // 10 trillion won

inline constexpr std::string_view kHouseholdColumns[] = {
    "household_id", "dong", "head_birth_year", "members", "living_alone", "disability",
    "housing_type"};
inline constexpr std::string_view kIndicatorColumns[] = {"household_id", "indicator", "months",
                                                         "amount_krw", "reported_on"};

struct RowProblem {
  std::string reason;     // English
  std::string reason_ko;  // Korean
};

// Splits one line (without its newline; a trailing \r is dropped) into fields,
// RFC 4180 quoting within the line ("a ""b""",c). A field may not span lines.
std::variant<std::vector<std::string>, RowProblem> SplitCsvLine(std::string_view line);

// Where each expected column is in a header row (extra columns are ignored, the
// order is free; a UTF-8 byte-order mark on the first name is dropped).
struct CsvColumns {
  std::vector<std::size_t> index;  // index[i] = position of expected[i]
};
std::variant<CsvColumns, RowProblem> MatchHeader(const std::vector<std::string>& header,
                                                 std::span<const std::string_view> expected);

// One households.csv row. `this_year` bounds the birth year.
std::variant<ScreenedHousehold, RowProblem> ParseHouseholdRow(const std::vector<std::string>& row,
                                                              const CsvColumns& columns,
                                                              int this_year);
// One indicators.csv row; the indicator must be in `model`, reported_on not after `today`.
std::variant<RiskSignal, RowProblem> ParseIndicatorRow(const std::vector<std::string>& row,
                                                       const CsvColumns& columns,
                                                       const ScreeningModel& model, Date today);

}  // namespace caredesk::core
