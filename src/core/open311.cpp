#include "core/open311.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "core/code_table.hpp"
#include "core/text.hpp"
#include "core/working_days.hpp"

namespace caredesk::core {
namespace {

constexpr std::array kDatatypes = {
    CodeRow<Open311Datatype>{Open311Datatype::kString, "string", ""},
    CodeRow<Open311Datatype>{Open311Datatype::kNumber, "number", ""},
    CodeRow<Open311Datatype>{Open311Datatype::kDatetime, "datetime", ""},
    CodeRow<Open311Datatype>{Open311Datatype::kText, "text", ""},
    CodeRow<Open311Datatype>{Open311Datatype::kSingleValueList, "singlevaluelist", ""},
    CodeRow<Open311Datatype>{Open311Datatype::kMultiValueList, "multivaluelist", ""},
};

Error BadRequest(const std::string& en, const std::string& ko) {
  return Error::Make(ErrorCode::kBadRequest, en, ko);
}

Open311Attribute List(std::string code, std::string description, bool required,
                      std::vector<Open311Value> values, int order,
                      Open311Datatype type = Open311Datatype::kSingleValueList) {
  Open311Attribute a;
  a.code = std::move(code);
  a.description = std::move(description);
  a.required = required;
  a.values = std::move(values);
  a.order = order;
  a.datatype = type;
  a.datatype_description = type == Open311Datatype::kMultiValueList ? "여러 개 고를 수 있습니다"
                                                                     : "하나를 고르세요";
  return a;
}

Open311Attribute Text(std::string code, std::string description, int order) {
  Open311Attribute a;
  a.code = std::move(code);
  a.description = std::move(description);
  a.datatype = Open311Datatype::kString;
  a.order = order;
  return a;
}

std::optional<double> ParseDouble(std::string_view s) {
  s = Trim(s);
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

std::optional<int> ParseIntIn(std::string_view s, int min, int max) {
  int v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < min || v > max) {
    return std::nullopt;
  }
  return v;
}

std::string Field(const FormFields& form, std::string_view name) {
  for (const auto& [k, v] : form) {
    if (k == name) {
      return std::string(Trim(v));
    }
  }
  return {};
}

}  // namespace

std::string_view Code(Open311Datatype v) { return RowOf(kDatatypes, v).code; }
std::string_view Code(Open311Status v) { return v == Open311Status::kOpen ? "open" : "closed"; }

const std::vector<Open311ServiceType>& Open311Services() {
  static const std::vector<Open311ServiceType> kAll = [] {
    std::vector<Open311ServiceType> v;
    v.push_back({"illegal_dumping", "쓰레기 무단투기", "길이나 공터에 버려진 쓰레기·가구·폐기물",
                 "쓰레기,무단투기,대형폐기물,dumping", "청소", "sanitation",
                 "담당 주민센터가 1근무일 안에 확인하고 수거를 요청합니다.",
                 {List("waste_type", "버려진 것", true,
                       {{"household", "생활 쓰레기"},
                        {"furniture", "가구·대형 폐기물"},
                        {"construction", "공사 폐기물"},
                        {"food", "음식물"}},
                       1)}});
    v.push_back({"streetlight", "가로등 고장", "꺼지거나 깜빡이는 가로등·보안등",
                 "가로등,보안등,streetlight", "안전", "safety",
                 "담당 주민센터가 1근무일 안에 확인하고 구청 도로과에 수리를 요청합니다.",
                 {Text("pole_number", "가로등 기둥에 붙은 번호 (보이면)", 1),
                  List("problem", "어떤 상태인가요", true,
                       {{"off", "꺼져 있음"}, {"flickering", "깜빡임"}, {"damaged", "부서짐"}},
                       2)}});
    v.push_back({"blocked_drain", "빗물받이 막힘·침수", "막힌 빗물받이, 고인 물, 침수 우려",
                 "빗물받이,침수,배수구,drain,flooding", "안전", "safety",
                 "담당 주민센터가 1근무일 안에 확인합니다. 침수가 시작되었으면 119에도 알려 주세요.",
                 {List("flooding", "지금 물이 넘치고 있나요", true,
                       {{"yes", "예, 넘치고 있음"}, {"no", "아니요, 막혀 있기만 함"}}, 1)}});
    v.push_back({"road_damage", "도로·보도 파손", "움푹 팬 도로, 깨진 보도블록",
                 "포트홀,보도블록,도로,pothole", "안전", "safety",
                 "담당 주민센터가 1근무일 안에 확인하고 구청 도로과에 보수를 요청합니다.",
                 {}});
    v.push_back({"neighbour_at_risk", "위기 이웃 제보",
                 "며칠째 보이지 않거나 도움이 필요해 보이는 이웃 (위치와 본 것만 적어 주세요)",
                 "고독사,위기가구,이웃,welfare", "복지", "welfare",
                 "담당 주민센터가 1근무일 안에 방문이나 전화로 확인합니다. 위급하면 112·119로 바로 "
                 "전화하세요.",
                 {List("seen", "본 것", false,
                       {{"not_seen", "며칠째 안 보임"},
                        {"mail_piling", "우편물·택배가 쌓임"},
                        {"smell", "이상한 냄새"},
                        {"other", "그 밖의 일"}},
                       1, Open311Datatype::kMultiValueList)}});
    return v;
  }();
  return kAll;
}

const Open311ServiceType* FindOpen311Service(std::string_view code) {
  for (const auto& s : Open311Services()) {
    if (s.code == code) {
      return &s;
    }
  }
  return nullptr;
}

bool Contains(const DongBoundary& b, GeoPoint p) {
  // Ray casting along the latitude; a point on an edge may fall either way.
  for (const auto& ring : b.rings) {
    bool inside = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
      const auto& a = ring[i];
      const auto& c = ring[j];
      if ((a.lat > p.lat) != (c.lat > p.lat) &&
          p.lon < (c.lon - a.lon) * (p.lat - a.lat) / (c.lat - a.lat) + a.lon) {
        inside = !inside;
      }
    }
    if (inside) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> DongAt(const std::vector<DongBoundary>& boundaries, GeoPoint p) {
  for (const auto& b : boundaries) {
    if (Contains(b, p)) {
      return b.dong_name;
    }
  }
  return std::nullopt;
}

std::optional<DongId> DongInAddress(const std::vector<Dong>& dongs, std::string_view address) {
  std::optional<DongId> best;
  std::size_t best_len = 0;
  for (const auto& d : dongs) {
    // "망원1동" and "망원 1동" alike; the name is the most specific part of an address.
    std::vector<std::string> names{d.name};
    // "망원2동" is often written "망원 2동".
    const auto digit = d.name.find_first_of("0123456789");
    if (digit != std::string::npos && digit > 0) {
      names.push_back(d.name.substr(0, digit) + " " + d.name.substr(digit));
    }
    for (const std::string& name : names) {
      if (!name.empty() && address.find(name) != std::string_view::npos && name.size() > best_len) {
        best = d.id;
        best_len = name.size();
      }
    }
  }
  return best;
}

Result<Open311Submission> ParseOpen311Request(const FormFields& form) {
  Open311Submission s;
  const std::string code = Field(form, "service_code");
  if (code.empty()) {
    return BadRequest("service_code is required.", "service_code가 필요합니다.");
  }
  s.service = FindOpen311Service(code);
  if (s.service == nullptr) {
    return Error::Make(ErrorCode::kNotFound, "No service with code " + code + ".",
                       "그런 서비스 코드가 없습니다: " + code);
  }
  const std::string lat = Field(form, "lat");
  const std::string lon = Field(form, "long");
  if (!lat.empty() || !lon.empty()) {
    const auto la = ParseDouble(lat);
    const auto lo = ParseDouble(lon);
    if (!la || !lo || *la < -90 || *la > 90 || *lo < -180 || *lo > 180) {
      return BadRequest("lat and long must both be decimal degrees (WGS84).",
                        "lat과 long은 둘 다 WGS84 십진 도 단위 숫자여야 합니다.");
    }
    s.point = GeoPoint{*la, *lo};
  }
  s.address_string = Field(form, "address_string");
  s.address_id = Field(form, "address_id");
  if (!s.point && s.address_string.empty() && s.address_id.empty()) {
    return BadRequest("A location is required: lat and long, address_string or address_id.",
                      "위치가 필요합니다: lat과 long, address_string 또는 address_id.");
  }
  s.zipcode = Field(form, "zipcode");
  s.description = Field(form, "description");
  s.media_url = Field(form, "media_url");
  s.email = Field(form, "email");
  s.phone = NormalizePhone(Field(form, "phone"));
  s.first_name = Field(form, "first_name");
  s.last_name = Field(form, "last_name");
  s.device_id = Field(form, "device_id");
  s.account_id = Field(form, "account_id");
  for (const auto& [k, v] : form) {
    if (!IsValidUtf8(k) || !IsValidUtf8(v)) {
      return BadRequest("Every field must be valid UTF-8.", "모든 값은 올바른 UTF-8이어야 합니다.");
    }
  }
  if (CodePointCount(s.description) > kMaxOpen311DescriptionChars) {
    return BadRequest("description is longer than 4000 characters.",
                      "description이 4000자를 넘습니다.");
  }
  for (const auto* f : {&s.address_string, &s.address_id, &s.zipcode, &s.media_url, &s.email,
                        &s.first_name, &s.last_name, &s.device_id, &s.account_id}) {
    if (CodePointCount(*f) > kMaxAddressChars) {
      return BadRequest("A field is longer than 300 characters.", "300자를 넘는 값이 있습니다.");
    }
  }
  if (!s.media_url.empty() && !s.media_url.starts_with("https://") &&
      !s.media_url.starts_with("http://")) {
    return BadRequest("media_url must be an http(s) URL.", "media_url은 http(s) 주소여야 합니다.");
  }
  // attribute[code]=value, and attribute[code][]=value for lists of several.
  for (const auto& [k, v] : form) {
    if (!k.starts_with("attribute[")) {
      continue;
    }
    const auto close = k.find(']');
    if (close == std::string::npos) {
      continue;
    }
    const std::string attr = k.substr(10, close - 10);
    const auto it = std::find_if(s.service->attributes.begin(), s.service->attributes.end(),
                                 [&](const Open311Attribute& a) { return a.code == attr; });
    if (it == s.service->attributes.end()) {
      continue;  // not ours: ignored like other extra fields
    }
    const std::string value(Trim(v));
    if (value.empty()) {
      continue;
    }
    if (it->datatype == Open311Datatype::kSingleValueList ||
        it->datatype == Open311Datatype::kMultiValueList) {
      const bool known = std::any_of(it->values.begin(), it->values.end(),
                                     [&](const Open311Value& x) { return x.key == value; });
      if (!known) {
        return BadRequest("attribute[" + attr + "]: " + value + " is not one of its values.",
                          "attribute[" + attr + "]에 없는 값입니다: " + value);
      }
    } else if (it->datatype == Open311Datatype::kNumber && !ParseDouble(value)) {
      return BadRequest("attribute[" + attr + "] must be a number.",
                        "attribute[" + attr + "]는 숫자여야 합니다.");
    } else if (CodePointCount(value) > kMaxAddressChars) {
      return BadRequest("attribute[" + attr + "] is too long.", "attribute[" + attr + "]가 너무 깁니다.");
    }
    auto& values = s.attributes[attr];
    if (it->datatype != Open311Datatype::kMultiValueList) {
      values.clear();
    }
    values.push_back(value);
  }
  for (const auto& a : s.service->attributes) {
    if (a.required && a.variable && !s.attributes.contains(a.code)) {
      return BadRequest("attribute[" + a.code + "] is required for " + s.service->code + ".",
                        "attribute[" + a.code + "]가 필요합니다 (" + a.description + ").");
    }
  }
  return s;
}

namespace {

// The first `n` code points of valid UTF-8 `s`.
std::string FirstCodePoints(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t count = 0; i < s.size() && count < n; ++count) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) {
      ++i;
    }
  }
  return std::string(s.substr(0, i));
}

}  // namespace

std::string Open311Summary(const Open311Submission& s, const std::string& client_name) {
  std::string out;
  out += "\n[위치] ";
  if (!s.address_string.empty()) {
    out += s.address_string;
  }
  if (s.point) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%s%.6f, %.6f", s.address_string.empty() ? "" : " (",
                  s.point->lat, s.point->lon);
    out += buf;
    if (!s.address_string.empty()) {
      out += ")";
    }
  }
  if (!s.address_id.empty()) {
    out += " 주소 ID " + s.address_id;
  }
  for (const auto& a : s.service->attributes) {
    const auto it = s.attributes.find(a.code);
    if (it == s.attributes.end()) {
      continue;
    }
    out += "\n[" + a.description + "] ";
    for (std::size_t i = 0; i < it->second.size(); ++i) {
      std::string shown = it->second[i];
      for (const auto& v : a.values) {
        if (v.key == shown) {
          shown = v.name;
        }
      }
      out += (i == 0 ? "" : ", ") + shown;
    }
  }
  if (!s.media_url.empty()) {
    out += "\n[사진] " + s.media_url;
  }
  out += "\n[접수 경로] Open311 (" + client_name + ")";
  // The description takes what is left of a case summary's length (a 4,000-character
  // description with its place and attributes would not fit).
  std::string head = "[" + s.service->name + "] ";
  std::string description = s.description.empty() ? std::string("(설명 없음)") : s.description;
  const std::size_t fixed = CodePointCount(head) + CodePointCount(out);
  if (fixed + CodePointCount(description) > kMaxSummaryChars) {
    const std::size_t room = kMaxSummaryChars > fixed + 1 ? kMaxSummaryChars - fixed - 1 : 0;
    description = FirstCodePoints(description, room) + "…";
  }
  return head + description + out;
}

Open311Request Open311RequestOf(const Open311Record& record, const CaseFile& file,
                                std::string agency) {
  Open311Request r;
  r.service_request_id = std::to_string(record.case_id);
  r.status = file.c.IsOpen() ? Open311Status::kOpen : Open311Status::kClosed;
  const Consultation* latest = nullptr;
  for (const auto& x : file.consultations) {
    if (!x.answer.empty() && (latest == nullptr || x.at >= latest->at)) {
      latest = &x;
    }
  }
  if (latest != nullptr) {
    r.status_notes = latest->answer;
  }
  r.service_code = record.service_code;
  if (const auto* service = FindOpen311Service(record.service_code)) {
    r.service_name = service->name;
    r.service_notice = service->notice;
  }
  r.agency_responsible = std::move(agency);
  r.requested_datetime = record.requested_at;
  TimePoint updated = file.c.opened_at;
  for (const auto& t : {file.c.resolved_at, file.c.closed_at}) {
    if (t && *t > updated) {
      updated = *t;
    }
  }
  for (const auto& x : file.consultations) {
    updated = std::max(updated, x.at);
  }
  for (const auto& f : file.follow_ups) {
    if (f.done_at) {
      updated = std::max(updated, *f.done_at);
    }
  }
  r.updated_datetime = updated;
  if (file.c.IsOpen()) {
    r.expected_datetime = file.NextStepDue();
  }
  r.address = record.address;
  r.address_id = record.address_id;
  r.zipcode = record.zipcode;
  r.point = record.point;
  r.media_url = record.media_url;
  return r;
}

Result<Open311Query> ParseOpen311Query(const std::map<std::string, std::string>& params,
                                       TimePoint now) {
  Open311Query q;
  const auto get = [&](const char* name) -> std::string {
    const auto it = params.find(name);
    return it == params.end() ? std::string() : std::string(Trim(it->second));
  };
  if (const auto ids = get("service_request_id"); !ids.empty()) {
    std::size_t start = 0;
    while (start <= ids.size()) {
      const auto comma = ids.find(',', start);
      const auto part = Trim(std::string_view(ids).substr(
          start, comma == std::string::npos ? std::string::npos : comma - start));
      std::int64_t id = 0;
      const auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), id);
      if (ec != std::errc() || p != part.data() + part.size() || id <= 0) {
        return BadRequest("service_request_id must be a comma-separated list of ids.",
                          "service_request_id는 쉼표로 구분한 번호 목록이어야 합니다.");
      }
      q.ids.push_back(id);
      if (comma == std::string::npos) {
        break;
      }
      start = comma + 1;
    }
    if (q.ids.size() > static_cast<std::size_t>(kOpen311MaxResults)) {
      return BadRequest("At most 1000 ids.", "번호는 1000개까지입니다.");
    }
    return q;
  }
  q.service_code = get("service_code");
  if (const auto status = get("status"); !status.empty()) {
    if (status == "open") {
      q.status = Open311Status::kOpen;
    } else if (status == "closed") {
      q.status = Open311Status::kClosed;
    } else {
      return BadRequest("status must be open or closed.", "status는 open 또는 closed입니다.");
    }
  }
  for (const auto& [name, slot] :
       {std::pair{"start_date", &q.start}, std::pair{"end_date", &q.end}}) {
    if (const auto v = get(name); !v.empty()) {
      const auto t = ParseRfc3339(v);
      if (!t) {
        return BadRequest(std::string(name) + " must be a w3c date-time, e.g. 2026-12-01T00:00:00Z.",
                          std::string(name) + "는 2026-12-01T00:00:00Z 같은 날짜·시각이어야 합니다.");
      }
      *slot = *t;
    }
  }
  // The spec's default window: the last 90 days (from the end date when one is given).
  if (!q.start) {
    q.start = q.end.value_or(now) - kOpen311DefaultWindow;
  }
  if (q.end && *q.end < *q.start) {
    return BadRequest("end_date is before start_date.", "end_date가 start_date보다 앞섭니다.");
  }
  if (const auto v = get("page"); !v.empty()) {
    const auto page = ParseIntIn(v, 1, 1000000);
    if (!page) {
      return BadRequest("page must be a positive number.", "page는 1 이상의 숫자입니다.");
    }
    q.page = *page;
  }
  if (const auto v = get("page_size"); !v.empty()) {
    const auto size = ParseIntIn(v, 1, kOpen311MaxResults);
    if (!size) {
      return BadRequest("page_size must be between 1 and 1000.", "page_size는 1~1000입니다.");
    }
    q.page_size = *size;
  }
  return q;
}

}  // namespace caredesk::core
