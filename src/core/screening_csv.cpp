#include "core/screening_csv.hpp"

#include <charconv>

#include "core/text.hpp"

namespace caredesk::core {
namespace {

RowProblem Problem(std::string en, std::string ko) { return {std::move(en), std::move(ko)}; }

std::optional<std::int64_t> Integer(std::string_view s) {
  s = Trim(s);
  std::int64_t v = 0;
  const auto* end = s.data() + s.size();
  const auto [p, ec] = std::from_chars(s.data(), end, v);
  if (s.empty() || ec != std::errc() || p != end) {
    return std::nullopt;
  }
  return v;
}

std::optional<bool> Flag(std::string_view s) {
  s = Trim(s);
  if (s == "1" || s == "true" || s == "TRUE" || s == "Y" || s == "y" || s == "yes") {
    return true;
  }
  if (s == "0" || s == "false" || s == "FALSE" || s == "N" || s == "n" || s == "no") {
    return false;
  }
  return std::nullopt;
}

bool PrintableId(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::variant<std::vector<std::string>, RowProblem> SplitCsvLine(std::string_view line) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  if (line.size() > kMaxCsvLineBytes) {
    return Problem("The line is longer than 4096 bytes.", "줄이 4096바이트보다 깁니다.");
  }
  std::vector<std::string> fields;
  std::string field;
  std::size_t i = 0;
  bool quoted = false;
  bool was_quoted = false;
  while (i < line.size()) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        ++i;
        continue;
      }
      field += c;
      ++i;
      continue;
    }
    if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
      ++i;
      continue;
    }
    if (c == '"') {
      if (!field.empty() || was_quoted) {
        return Problem("A quote inside an unquoted field.", "따옴표로 묶지 않은 값 안에 따옴표가 있습니다.");
      }
      quoted = true;
      was_quoted = true;
      ++i;
      continue;
    }
    if (was_quoted) {
      return Problem("Text after a closing quote.", "닫는 따옴표 뒤에 글자가 있습니다.");
    }
    field += c;
    ++i;
  }
  if (quoted) {
    return Problem("A quote is not closed on this line.", "따옴표가 이 줄에서 닫히지 않았습니다.");
  }
  fields.push_back(std::move(field));
  return fields;
}

std::variant<CsvColumns, RowProblem> MatchHeader(const std::vector<std::string>& header,
                                                 std::span<const std::string_view> expected) {
  CsvColumns out;
  for (const auto name : expected) {
    std::optional<std::size_t> at;
    for (std::size_t i = 0; i < header.size(); ++i) {
      std::string_view h = header[i];
      if (i == 0 && h.starts_with("\xEF\xBB\xBF")) {
        h.remove_prefix(3);
      }
      if (Trim(h) == name) {
        at = i;
        break;
      }
    }
    if (!at) {
      return Problem("The header has no column " + std::string(name) + ".",
                     "머리글에 " + std::string(name) + " 열이 없습니다.");
    }
    out.index.push_back(*at);
  }
  return out;
}

std::variant<ScreenedHousehold, RowProblem> ParseHouseholdRow(const std::vector<std::string>& row,
                                                              const CsvColumns& columns,
                                                              int this_year) {
  for (const auto i : columns.index) {
    if (i >= row.size()) {
      return Problem("The row has fewer columns than the header.", "열 수가 머리글보다 적습니다.");
    }
  }
  const auto& col = columns.index;
  ScreenedHousehold h;
  h.household_id = std::string(Trim(row[col[0]]));
  if (h.household_id.empty() || h.household_id.size() > kMaxHouseholdIdChars ||
      !PrintableId(h.household_id)) {
    return Problem("household_id must be 1-64 printable characters.",
                   "household_id는 1-64자의 글자여야 합니다.");
  }
  h.dong = std::string(Trim(row[col[1]]));
  if (h.dong.empty()) {
    return Problem("dong is empty.", "dong이 비어 있습니다.");
  }
  const auto year = Integer(row[col[2]]);
  if (!year || *year < 1900 || *year > this_year) {
    return Problem("head_birth_year must be a year from 1900 to this year.",
                   "head_birth_year는 1900년부터 올해까지의 연도여야 합니다.");
  }
  h.head_birth_year = static_cast<int>(*year);
  const auto members = Integer(row[col[3]]);
  if (!members || *members < 1 || *members > kMaxHouseholdMembers) {
    return Problem("members must be 1 to 30.", "members는 1에서 30 사이여야 합니다.");
  }
  h.members = static_cast<int>(*members);
  const auto alone = Flag(row[col[4]]);
  const auto disability = Flag(row[col[5]]);
  if (!alone || !disability) {
    return Problem("living_alone and disability must be 1 or 0.",
                   "living_alone, disability는 1 또는 0이어야 합니다.");
  }
  h.living_alone = *alone;
  h.disability = *disability;
  if (h.living_alone && h.members != 1) {
    return Problem("A household living alone has 1 member.", "1인 가구는 가구원이 1명입니다.");
  }
  const auto housing = Parse<HousingType>(Trim(row[col[6]]));
  if (!housing || *housing == HousingType::kUnknown) {
    return Problem("housing_type must be one of apartment, multi_family, detached, semi_basement, "
                   "rooftop, gosiwon, vinyl_house, shelter, other.",
                   "housing_type이 정해진 값이 아닙니다(apartment, multi_family, detached, "
                   "semi_basement, rooftop, gosiwon, vinyl_house, shelter, other).");
  }
  h.housing = *housing;
  return h;
}

std::variant<RiskSignal, RowProblem> ParseIndicatorRow(const std::vector<std::string>& row,
                                                       const CsvColumns& columns,
                                                       const ScreeningModel& model, Date today) {
  for (const auto i : columns.index) {
    if (i >= row.size()) {
      return Problem("The row has fewer columns than the header.", "열 수가 머리글보다 적습니다.");
    }
  }
  const auto& col = columns.index;
  RiskSignal s;
  s.household_id = std::string(Trim(row[col[0]]));
  if (s.household_id.empty() || s.household_id.size() > kMaxHouseholdIdChars ||
      !PrintableId(s.household_id)) {
    return Problem("household_id must be 1-64 printable characters.",
                   "household_id는 1-64자의 글자여야 합니다.");
  }
  s.indicator = std::string(Trim(row[col[1]]));
  if (FindIndicator(model, s.indicator) == nullptr) {
    return Problem("Unknown indicator \"" + s.indicator.substr(0, 64) +
                       "\" (an admin can add it to the screening model).",
                   "모르는 위기 정보 코드입니다: \"" + s.indicator.substr(0, 64) +
                       "\" (관리자가 선별 모델에 추가할 수 있습니다).");
  }
  const auto months = Integer(row[col[2]]);
  if (!months || *months < 0 || *months > kMaxSignalMonths) {
    return Problem("months must be 0 to 600.", "months는 0에서 600 사이여야 합니다.");
  }
  s.months = static_cast<int>(*months);
  const auto amount_text = Trim(row[col[3]]);
  if (!amount_text.empty()) {
    const auto amount = Integer(amount_text);
    if (!amount || *amount < 0 || *amount > kMaxAmountKrw) {
      return Problem("amount_krw must be a whole number of won, 0 or more.",
                     "amount_krw는 0 이상의 원 단위 정수여야 합니다.");
    }
    s.amount_krw = *amount;
  }
  const auto date = ParseDate(Trim(row[col[4]]));
  if (!date) {
    return Problem("reported_on must be a date as YYYY-MM-DD.",
                   "reported_on은 YYYY-MM-DD 형식의 날짜여야 합니다.");
  }
  if (*date > today) {
    return Problem("reported_on is in the future.", "reported_on이 미래 날짜입니다.");
  }
  s.reported_on = *date;
  return s;
}

}  // namespace caredesk::core
