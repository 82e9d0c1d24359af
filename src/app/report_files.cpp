#include "app/report_files.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/route_helpers.hpp"
#include "core/taxonomy.hpp"

namespace caredesk::app {
namespace {

using http::Json;

constexpr std::pair<core::CellKind, std::string_view> kCellKinds[] = {
    {core::CellKind::kLabel, "label"},   {core::CellKind::kCount, "count"},
    {core::CellKind::kPercent, "percent"}, {core::CellKind::kDays, "days"},
    {core::CellKind::kHours, "hours"},   {core::CellKind::kChange, "change"},
    {core::CellKind::kNumber, "number"},
};

std::string_view KindCode(core::CellKind k) {
  for (const auto& [kind, code] : kCellKinds) {
    if (kind == k) {
      return code;
    }
  }
  return "label";
}

std::optional<core::CellKind> KindFrom(std::string_view code) {
  for (const auto& [kind, c] : kCellKinds) {
    if (c == code) {
      return kind;
    }
  }
  return std::nullopt;
}

Json ScopeJson(const core::ReportScope& s) {
  Json j = Json::object();
  j["dong_id"] = s.dong_id ? Json(*s.dong_id) : Json(nullptr);
  j["counselor_id"] = s.counselor_id ? Json(*s.counselor_id) : Json(nullptr);
  j["category"] = s.category ? Json(*s.category) : Json(nullptr);
  j["channel"] = s.channel ? Json(std::string(core::Code(*s.channel))) : Json(nullptr);
  return j;
}

// "2026-12-01 09:00 (KST)"
std::string KstTime(core::TimePoint t) {
  const auto kst = std::chrono::floor<std::chrono::minutes>(t + std::chrono::hours(9));
  const auto day = std::chrono::floor<std::chrono::days>(kst);
  const core::Date d = core::KstDate(t);
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(kst - day).count();
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%s %02d:%02d (KST)", core::FormatDate(d).c_str(),
                static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  return buf;
}

std::string Number(double v, core::CellKind kind) {
  char buf[40];
  if (kind == core::CellKind::kCount || std::floor(v) == v) {
    std::snprintf(buf, sizeof(buf), "%.0f", v);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f", v);
  }
  return buf;
}

std::string CellText(const core::ReportCell& c, core::CellKind kind) {
  if (kind == core::CellKind::kLabel) {
    return c.text;
  }
  if (c.suppressed) {
    return std::string(kSuppressedMark);
  }
  return c.value ? Number(*c.value, kind) : std::string();
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    return s;
  }
  std::string out = "\"";
  for (const char c : s) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

// The rows both files show, as text: the CSV writes them, the XLSX writes the same
// with numbers as numbers.
struct Line {
  std::vector<std::string> texts;
  std::vector<std::optional<double>> numbers;  // per cell: a number to write as one
  std::vector<core::CellKind> kinds;
  bool title = false;
  bool header = false;
};

std::vector<Line> Lines(const core::Report& r, const ReportHeading& h) {
  std::vector<Line> out;
  auto text_line = [&](std::vector<std::string> texts, bool title = false) {
    Line l;
    l.texts = std::move(texts);
    l.numbers.resize(l.texts.size());
    l.kinds.resize(l.texts.size(), core::CellKind::kLabel);
    l.title = title;
    out.push_back(std::move(l));
  };
  text_line({h.title.empty() ? h.district_name + " " + std::string(core::LabelKo(r.parameters.kind))
                             : h.title},
            true);
  if (r.parameters.period.from.year > 0) {  // a person-level list has no period
    text_line({"기간", core::FormatDate(r.parameters.period.from) + " ~ " +
                         core::FormatDate(r.parameters.period.to)});
  }
  text_line({"범위", h.scope_text});
  text_line({"자료 기준 시각", KstTime(r.data_as_of)});
  if (!h.edition_text.empty()) {
    text_line({"발행본", h.edition_text});
  }
  if (!h.privacy_text.empty()) {
    text_line({"개인정보", h.privacy_text});
  } else {
    text_line({"비공개 처리", "3건 미만이거나 그 값을 알 수 있게 하는 칸은 " +
                               std::string(kSuppressedMark) + " 로 표시합니다."});
  }
  for (const auto& t : r.tables) {
    text_line({});
    text_line({t.title_ko}, true);
    Line header;
    for (const auto& c : t.columns) {
      header.texts.push_back(c.label_ko);
      header.kinds.push_back(core::CellKind::kLabel);
    }
    header.numbers.resize(header.texts.size());
    header.header = true;
    out.push_back(std::move(header));
    for (const auto& row : t.rows) {
      Line l;
      for (std::size_t i = 0; i < t.columns.size() && i < row.size(); ++i) {
        const auto kind = t.columns[i].kind;
        l.texts.push_back(CellText(row[i], kind));
        l.kinds.push_back(kind);
        l.numbers.push_back(kind != core::CellKind::kLabel && !row[i].suppressed
                                ? row[i].value
                                : std::nullopt);
      }
      out.push_back(std::move(l));
    }
    if (!t.note_ko.empty()) {
      text_line({t.note_ko});
    }
  }
  return out;
}

}  // namespace

Json ReportJson(const core::Report& r) {
  Json tables = Json::array();
  for (const auto& t : r.tables) {
    Json columns = Json::array();
    for (const auto& c : t.columns) {
      columns.push_back({{"code", c.code},
                         {"label_ko", c.label_ko},
                         {"label_en", c.label_en},
                         {"kind", KindCode(c.kind)},
                         {"depends_on", c.depends_on},
                         {"row_total", c.row_total}});
    }
    Json rows = Json::array();
    for (const auto& row : t.rows) {
      Json cells = Json::array();
      for (std::size_t i = 0; i < row.size(); ++i) {
        const auto& c = row[i];
        Json cell = Json::object();
        if (i < t.columns.size() && t.columns[i].kind == core::CellKind::kLabel) {
          cell["text"] = c.text;
          if (!c.text_en.empty()) {
            cell["text_en"] = c.text_en;
          }
          if (!c.code.empty()) {
            cell["code"] = c.code;
          }
        } else {
          cell["value"] = c.value ? Json(*c.value) : Json(nullptr);
          if (c.suppressed) {
            cell["suppressed"] = true;
          }
        }
        cells.push_back(std::move(cell));
      }
      rows.push_back(std::move(cells));
    }
    tables.push_back({{"code", t.code},
                      {"title_ko", t.title_ko},
                      {"title_en", t.title_en},
                      {"note_ko", t.note_ko},
                      {"has_total", t.has_total},
                      {"columns", std::move(columns)},
                      {"rows", std::move(rows)}});
  }
  return {{"kind", std::string(core::Code(r.parameters.kind))},
          {"title_ko", std::string(core::LabelKo(r.parameters.kind))},
          {"title_en", std::string(core::LabelEn(r.parameters.kind))},
          {"period",
           {{"from", core::FormatDate(r.parameters.period.from)},
            {"to", core::FormatDate(r.parameters.period.to)}}},
          {"scope", ScopeJson(r.parameters.scope)},
          {"data_as_of", Iso8601(r.data_as_of)},
          {"min_reportable_count", core::kMinReportableCount},
          {"suppressed_cells", r.suppressed_cells},
          {"tables", std::move(tables)}};
}

core::Result<core::Report> ReportFromJson(const Json& j) {
  try {
    core::Report r;
    const auto kind = core::Parse<core::ReportKind>(j.at("kind").get<std::string>());
    const auto from = core::ParseDate(j.at("period").at("from").get<std::string>());
    const auto to = core::ParseDate(j.at("period").at("to").get<std::string>());
    const auto as_of = core::ParseRfc3339(j.at("data_as_of").get<std::string>());
    if (!kind || !from || !to || !as_of) {
      return core::Error::Internal("stored report: bad kind, period or time");
    }
    r.parameters.kind = *kind;
    r.parameters.period = {*from, *to};
    const auto& s = j.at("scope");
    if (s.at("dong_id").is_number_integer()) {
      r.parameters.scope.dong_id = s.at("dong_id").get<std::int64_t>();
    }
    if (s.at("counselor_id").is_number_integer()) {
      r.parameters.scope.counselor_id = s.at("counselor_id").get<std::int64_t>();
    }
    if (s.at("category").is_string()) {
      r.parameters.scope.category = s.at("category").get<std::string>();
    }
    if (s.at("channel").is_string()) {
      r.parameters.scope.channel = core::Parse<core::Channel>(s.at("channel").get<std::string>());
    }
    r.data_as_of = *as_of;
    r.suppressed_cells = j.at("suppressed_cells").get<int>();
    for (const auto& tj : j.at("tables")) {
      core::ReportTable t;
      t.code = tj.at("code").get<std::string>();
      t.title_ko = tj.at("title_ko").get<std::string>();
      t.title_en = tj.at("title_en").get<std::string>();
      t.note_ko = tj.at("note_ko").get<std::string>();
      t.has_total = tj.at("has_total").get<bool>();
      for (const auto& cj : tj.at("columns")) {
        core::ReportColumn c;
        c.code = cj.at("code").get<std::string>();
        c.label_ko = cj.at("label_ko").get<std::string>();
        c.label_en = cj.at("label_en").get<std::string>();
        c.kind = KindFrom(cj.at("kind").get<std::string>()).value_or(core::CellKind::kLabel);
        c.depends_on = cj.at("depends_on").get<std::vector<int>>();
        c.row_total = cj.at("row_total").get<bool>();
        t.columns.push_back(std::move(c));
      }
      for (const auto& rj : tj.at("rows")) {
        std::vector<core::ReportCell> row;
        for (const auto& cj : rj) {
          core::ReportCell c;
          if (cj.contains("text")) {
            c.text = cj.at("text").get<std::string>();
            c.text_en = cj.value("text_en", std::string());
            c.code = cj.value("code", std::string());
          } else {
            if (cj.at("value").is_number()) {
              c.value = cj.at("value").get<double>();
            }
            c.suppressed = cj.value("suppressed", false);
          }
          row.push_back(std::move(c));
        }
        t.rows.push_back(std::move(row));
      }
      r.tables.push_back(std::move(t));
    }
    return r;
  } catch (const std::exception& e) {
    return core::Error::Internal(std::string("stored report: ") + e.what());
  }
}

std::string JsonReportCodec::Encode(const core::Report& report) const {
  return ReportJson(report).dump(-1, ' ', false, Json::error_handler_t::replace);
}

core::Result<core::Report> JsonReportCodec::Decode(const std::string& text) const {
  auto j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return core::Error::Internal("stored report is not JSON");
  }
  return ReportFromJson(j);
}

std::string ScopeText(const core::ReportScope& s, const std::vector<core::Dong>& dongs,
                      const std::string& counselor_name) {
  std::vector<std::string> parts;
  if (s.dong_id) {
    std::string name = "동 " + std::to_string(*s.dong_id);
    for (const auto& d : dongs) {
      if (d.id == *s.dong_id) {
        name = d.name;
      }
    }
    parts.push_back(name);
  } else {
    parts.emplace_back("구 전체");
  }
  if (s.counselor_id) {
    parts.push_back("담당 " + (counselor_name.empty() ? std::to_string(*s.counselor_id)
                                                      : counselor_name));
  }
  if (s.category) {
    const auto info = core::FindCategory(*s.category);
    parts.push_back(info ? std::string(info->label_ko) : *s.category);
  }
  if (s.channel) {
    parts.push_back("경로 " + std::string(core::Code(*s.channel)));
  }
  std::string out;
  for (const auto& p : parts) {
    out += (out.empty() ? "" : " · ") + p;
  }
  return out;
}

std::string ReportCsv(const core::Report& report, const ReportHeading& heading) {
  std::string out = "\xEF\xBB\xBF";  // the BOM
  for (const auto& line : Lines(report, heading)) {
    for (std::size_t i = 0; i < line.texts.size(); ++i) {
      out += (i == 0 ? "" : ",") + CsvField(line.texts[i]);
    }
    out += "\r\n";
  }
  return out;
}

core::Result<std::string> ReportXlsx(const core::Report& report, const ReportHeading& heading) {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") +
                     "/caredesk-report-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    return core::Error::Internal("report xlsx: cannot create a temporary file");
  }
  close(fd);
  struct Remove {
    std::string path;
    ~Remove() { std::remove(path.c_str()); }
  } remove{path};

  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) {
    return core::Error::Internal("report xlsx: workbook_new failed");
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb, "보고서");
  lxw_format* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 14);
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_bg_color(header, 0xE8EEF7);
  format_set_border(header, LXW_BORDER_THIN);
  lxw_format* integer = workbook_add_format(wb);
  format_set_num_format(integer, "0");
  lxw_format* decimal = workbook_add_format(wb);
  format_set_num_format(decimal, "0.0");
  lxw_format* hidden = workbook_add_format(wb);
  format_set_align(hidden, LXW_ALIGN_RIGHT);
  worksheet_set_column(ws, 0, 0, 28, nullptr);
  worksheet_set_column(ws, 1, 12, 14, nullptr);

  lxw_row_t r = 0;
  for (const auto& line : Lines(report, heading)) {
    for (std::size_t i = 0; i < line.texts.size(); ++i) {
      const auto col = static_cast<lxw_col_t>(i);
      const auto& text = line.texts[i];
      if (line.numbers[i]) {
        const double v = *line.numbers[i];
        const bool whole = line.kinds[i] == core::CellKind::kCount || std::floor(v) == v;
        worksheet_write_number(ws, r, col, v, whole ? integer : decimal);
      } else if (!text.empty()) {
        lxw_format* f = line.title ? title : line.header ? header : nullptr;
        if (text == kSuppressedMark) {
          f = hidden;
        }
        worksheet_write_string(ws, r, col, text.c_str(), f);
      }
    }
    ++r;
  }
  if (workbook_close(wb) != LXW_NO_ERROR) {
    return core::Error::Internal("report xlsx: workbook_close failed");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace caredesk::app
