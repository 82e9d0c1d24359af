// Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): civic apps
// report location-based problems (illegal dumping, a broken streetlight, a
// blocked drain …) and CareDesk turns each into a case of the dong where it is.
// Pure: the service catalogue and its attributes, the checks of a submitted
// request, where a point or an address lies (dong boundaries as polygons), and
// the public fields of a request. No personal data goes out: descriptions,
// names, e-mails and phone numbers stay in the case.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/case.hpp"
#include "core/directory.hpp"
#include "core/identity.hpp"
#include "core/result.hpp"

namespace caredesk::core {

// --- Services ------------------------------------------------------------------------

enum class Open311Datatype { kString, kNumber, kDatetime, kText, kSingleValueList, kMultiValueList };
std::string_view Code(Open311Datatype v);

struct Open311Value {
  std::string key;
  std::string name;
};

struct Open311Attribute {
  bool variable = true;  // false: information shown to the user only
  std::string code;
  Open311Datatype datatype = Open311Datatype::kString;
  bool required = false;
  std::string datatype_description;
  int order = 1;
  std::string description;
  std::vector<Open311Value> values;  // the lists
};

struct Open311ServiceType {
  std::string code;  // service_code
  std::string name;  // service_name (Korean)
  std::string description;
  std::string keywords;
  std::string group;
  std::string category;  // the taxonomy code of the case it becomes
  std::string notice;    // service_notice: what happens next
  std::vector<Open311Attribute> attributes;
  bool metadata() const { return !attributes.empty(); }
};

// The district's catalogue (data: codes are stable API identifiers).
const std::vector<Open311ServiceType>& Open311Services();
const Open311ServiceType* FindOpen311Service(std::string_view code);

// --- Where: dong boundaries ------------------------------------------------------------

struct GeoPoint {
  double lat = 0;
  double lon = 0;
};

// One dong's area: outer rings of polygons (a multipolygon), [lon, lat] as GeoJSON orders
// them; holes are not used for dong boundaries.
struct DongBoundary {
  std::string dong_name;  // matched against the directory's names ("서교동")
  std::vector<std::vector<GeoPoint>> rings;
};

bool Contains(const DongBoundary& b, GeoPoint p);
// The dong whose boundary holds `p`, if any (the first, should boundaries overlap).
std::optional<std::string> DongAt(const std::vector<DongBoundary>& boundaries, GeoPoint p);
// The dong named in an address ("서울 마포구 서교동 123-4", "망원1동 주민센터 앞"): the longest
// dong name or short name (서교, 망원1 followed by 동) in the text.
std::optional<DongId> DongInAddress(const std::vector<Dong>& dongs, std::string_view address);

// --- A submitted request ----------------------------------------------------------------

// The form fields as they arrived (repeated keys kept in order).
using FormFields = std::vector<std::pair<std::string, std::string>>;

struct Open311Submission {
  const Open311ServiceType* service = nullptr;
  std::optional<GeoPoint> point;
  std::string address_string;
  std::string address_id;
  std::string zipcode;
  std::string description;
  std::string media_url;
  std::string email;
  std::string phone;  // digits
  std::string first_name;
  std::string last_name;
  std::string device_id;
  std::string account_id;
  // attribute code -> values (one for most datatypes, several for multivaluelist)
  std::map<std::string, std::vector<std::string>> attributes;
};

inline constexpr std::size_t kMaxOpen311DescriptionChars = 4000;

// kBadRequest (400) naming the problem: unknown fields are ignored (clients send extras),
// but a missing service_code, a missing location (lat+long, address_string or address_id),
// a bad coordinate, a missing required attribute or a value not in its list is refused;
// kNotFound (404) for an unknown service. The HTTP layer renders errors as Open311's list
// of {code, description}.
Result<Open311Submission> ParseOpen311Request(const FormFields& form);

// The case summary for a submission (Korean, what the counselor needs).
std::string Open311Summary(const Open311Submission& s, const std::string& client_name);

// --- What a request shows ----------------------------------------------------------------

enum class Open311Status { kOpen, kClosed };
std::string_view Code(Open311Status v);

// The stored link between a case and the Open311 request it came from.
struct Open311Record {
  CaseId case_id = 0;
  DistrictId district_id = 0;
  std::int64_t client_id = 0;
  std::string service_code;
  std::string token;
  std::optional<GeoPoint> point;
  std::string address;
  std::string address_id;
  std::string zipcode;
  std::string media_url;
  TimePoint requested_at;
};

struct Open311Request {
  std::string service_request_id;  // the case id
  Open311Status status = Open311Status::kOpen;
  std::string status_notes;  // the latest answer written for the asker, if any
  std::string service_name;
  std::string service_code;
  std::string agency_responsible;
  std::string service_notice;
  TimePoint requested_datetime;
  std::optional<TimePoint> updated_datetime;
  std::optional<TimePoint> expected_datetime;
  std::string address;
  std::string address_id;
  std::string zipcode;
  std::optional<GeoPoint> point;
  std::string media_url;
};

// `agency` is who deals with it: an accepted referral's agency, else the dong's center.
Open311Request Open311RequestOf(const Open311Record& record, const CaseFile& file,
                                std::string agency);

// GET requests: the spec's window (the last 90 days unless dates are given, at most 1,000)
// and the common page/page_size extension.
struct Open311Query {
  std::vector<CaseId> ids;  // service_request_id=1,2,3: the others are then ignored
  std::string service_code;
  std::optional<Open311Status> status;
  std::optional<TimePoint> start;
  std::optional<TimePoint> end;
  int page = 1;
  int page_size = 1000;
};
inline constexpr int kOpen311MaxResults = 1000;
inline constexpr std::chrono::days kOpen311DefaultWindow{90};

// kBadRequest for a bad date, status, id list, page or page_size.
Result<Open311Query> ParseOpen311Query(const std::map<std::string, std::string>& params,
                                       TimePoint now);

}  // namespace caredesk::core
