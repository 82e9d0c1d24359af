#include "core/access_record.hpp"

#include <chrono>

namespace caredesk::core {
namespace {

void Field(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
  out += ';';
}

}  // namespace

std::string ChainHash(const Digester& digester, const AccessRecord& r) {
  std::string canonical;
  Field(canonical, r.prev_hash);
  Field(canonical, std::to_string(r.id));
  Field(
      canonical,
      std::to_string(
          std::chrono::duration_cast<std::chrono::microseconds>(r.at.time_since_epoch()).count()));
  Field(canonical, std::to_string(r.user_id));
  Field(canonical, r.role);
  Field(canonical, r.ip);
  Field(canonical, r.action);
  Field(canonical, r.target_type);
  Field(canonical, r.target_id);
  Field(canonical, r.purpose);
  Field(canonical, r.outcome);
  return digester.Sha256Hex(canonical);
}

bool ChainVerifier::Feed(const std::vector<AccessRecord>& page) {
  if (!report_.intact) {
    return false;
  }
  for (const auto& r : page) {
    auto fail = [&](std::string problem) {
      report_.intact = false;
      report_.first_bad_id = r.id;
      report_.problem = std::move(problem);
      return false;
    };
    if (r.id != next_id_) {
      return fail("expected record " + std::to_string(next_id_) + " but found " +
                  std::to_string(r.id) + " (a record was deleted or inserted)");
    }
    if (r.prev_hash != prev_) {
      return fail(
          "record " + std::to_string(r.id) +
          " does not point at the previous record (deleted, reordered or edited before it)");
    }
    if (ChainHash(digester_, r) != r.hash) {
      return fail("record " + std::to_string(r.id) + " was edited after it was written");
    }
    prev_ = r.hash;
    ++next_id_;
    ++report_.checked;
  }
  return true;
}

AccessRecord AllowedRecord(const Actor& actor, TimePoint at, std::string action,
                           std::string target_type, std::string target_id, std::string purpose) {
  AccessRecord r;
  r.at = at;
  r.user_id = actor.user_id;
  r.role = std::string(RoleCode(actor.role));
  r.ip = actor.ip;
  r.action = std::move(action);
  r.target_type = std::move(target_type);
  r.target_id = std::move(target_id);
  r.purpose = std::move(purpose);
  r.outcome = "allowed";
  return r;
}

AccessRecord CallerRecord(TimePoint at, std::string role, std::string ip, std::string action,
                          std::string target_type, std::string target_id, bool allowed) {
  AccessRecord r;
  r.at = at;
  r.role = std::move(role);
  r.ip = std::move(ip);
  r.action = std::move(action);
  r.target_type = std::move(target_type);
  r.target_id = std::move(target_id);
  r.outcome = allowed ? "allowed" : "denied";
  return r;
}

}  // namespace caredesk::core
