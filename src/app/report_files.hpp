// Reports as the API's JSON (also what an edition keeps), as CSV (UTF-8 with a BOM so
// Excel opens Korean correctly) and as XLSX (libxlsxwriter): a title row, the period,
// the scope, the data-as-of time, then every table with Korean headers.
#pragma once

#include <string>

#include "core/report.hpp"
#include "core/report_service.hpp"
#include "http/json_io.hpp"

namespace caredesk::app {

http::Json ReportJson(const core::Report& report);
core::Result<core::Report> ReportFromJson(const http::Json& json);

class JsonReportCodec final : public core::ReportCodec {
 public:
  std::string Encode(const core::Report& report) const override;
  core::Result<core::Report> Decode(const std::string& text) const override;
};

// What the heading rows say besides the report itself.
struct ReportHeading {
  std::string district_name;  // 마포구
  std::string scope_text;     // "서교동 · 복지", or "구 전체"
  std::string edition_text;   // "발행본 12 · SHA-256 …" for an edition, else empty
  // For a person-level list: what replaces the small-cell line (masking and purpose).
  std::string privacy_text;
  std::string title;  // replaces "<district> <kind>" when set
};

// Korean text of a scope for the heading; names come from the directory and the users.
std::string ScopeText(const core::ReportScope& scope, const std::vector<core::Dong>& dongs,
                      const std::string& counselor_name);

// A suppressed cell reads this in the files.
inline constexpr std::string_view kSuppressedMark = "*";

std::string ReportCsv(const core::Report& report, const ReportHeading& heading);
// kInternal when libxlsxwriter cannot write its temporary file.
core::Result<std::string> ReportXlsx(const core::Report& report, const ReportHeading& heading);

}  // namespace caredesk::app
