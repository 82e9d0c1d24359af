// Access records (접속기록): who read or changed which personal data, when,
// from where and why. Append-only and tamper-evident: each record carries the
// hash of the one before it, so an edited, deleted or reordered record breaks
// the chain. No I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/identity.hpp"
#include "core/ports/crypto.hpp"

namespace caredesk::core {

struct AccessRecord {
  std::int64_t id = 0;  // assigned by the log, consecutive from 1
  TimePoint at;
  UserId user_id = 0;  // 0 when nobody is signed in (e.g. a failed login)
  std::string role;
  std::string ip;
  std::string action;       // "login", "login_failed", "read", "update", "unmask", "export", ...
  std::string target_type;  // "user", "resident", "case", "session", ...
  std::string target_id;
  std::string purpose;  // stated purpose when unmasking or exporting
  std::string outcome;  // "allowed" or "denied"
  std::string prev_hash;
  std::string hash;
};

// An allowed action of `actor` at `at`, as every service records one.
AccessRecord AllowedRecord(const Actor& actor, TimePoint at, std::string action,
                           std::string target_type, std::string target_id,
                           std::string purpose = {});

// What a caller without an account did (user 0): a device, a resident at the portal, a civic
// app; `role` says which, `ip` where from.
AccessRecord CallerRecord(TimePoint at, std::string role, std::string ip, std::string action,
                          std::string target_type, std::string target_id, bool allowed);

// The hash of the first record's predecessor.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// SHA-256 over the previous hash and every field of `r` except `hash`, in a
// length-prefixed canonical form (no field can bleed into the next).
std::string ChainHash(const Digester& digester, const AccessRecord& r);

struct ChainReport {
  bool intact = true;
  std::int64_t checked = 0;
  std::optional<std::int64_t> first_bad_id;
  std::string problem;  // English, for operators
};

// Checks a consecutive run of records. `expected_prev` is the hash the first
// record must point at (kGenesisHash at the start of the log) and
// `expected_first_id` its id; pass the returned values on to the next page.
class ChainVerifier {
 public:
  explicit ChainVerifier(const Digester& digester) : digester_(digester) {}
  // Returns false as soon as a problem is found (see report()).
  bool Feed(const std::vector<AccessRecord>& page);
  const ChainReport& report() const { return report_; }

 private:
  const Digester& digester_;
  std::string prev_ = std::string(kGenesisHash);
  std::int64_t next_id_ = 1;
  ChainReport report_;
};

}  // namespace caredesk::core
