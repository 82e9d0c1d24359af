// Open311 GeoReport v2 use cases (core/open311.hpp): authenticate a civic app by its API
// key, turn a submitted request into a case of the dong where it is (by coordinates in the
// dong boundaries, else by the dong named in the address), and answer the requests' public
// fields. Admins register the apps; the key is shown once and stored hashed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/case_service.hpp"
#include "core/open311.hpp"
#include "core/ports/crypto.hpp"
#include "core/ports/open311_repository.hpp"

namespace caredesk::core {

struct Open311Ports {
  Open311Repository& requests;
  CaseService& cases;
  CaseRepository& case_records;
  DirectoryRepository& directory;
  UserRepository& users;
  AccessLog& access_log;
  const Digester& digester;
  const RandomSource& random;
  const Clock& clock;
};

struct Open311Created {
  std::string service_request_id;
  std::string token;
  std::string service_notice;
  std::string account_id;
};

struct NewOpen311Client {
  Open311Client client;
  std::string api_key;  // shown once
};

class Open311Service {
 public:
  Open311Service(Open311Ports ports, DistrictId district, std::vector<DongBoundary> boundaries)
      : p_(ports), district_(district), boundaries_(std::move(boundaries)) {}

  // kForbidden (403) for a missing, unknown or deactivated key (recorded); else kBadRequest,
  // kNotFound (unknown service) or a location outside every dong (400).
  Result<Open311Created> Submit(const std::string& api_key, const FormFields& form,
                                const std::string& ip);
  // Only requests that came in over Open311 exist here (kNotFound for any other case).
  Result<Open311Request> Get(CaseId id);
  Result<std::vector<Open311Request>> List(const Open311Query& query);
  // The service_request_id a token (from a POST) stands for; kNotFound when none.
  Result<std::string> RequestIdOfToken(const std::string& token);

  // Admins (kManageOpen311Clients).
  Result<NewOpen311Client> CreateClient(const Actor& actor, const std::string& name);
  Result<std::vector<Open311Client>> ListClients(const Actor& actor);
  Result<Open311Client> SetClientActive(const Actor& actor, std::int64_t id, bool active);
  // For the demo: a client with a key of the caller's choosing (never from the API).
  Result<Open311Client> EnsureClientWithKey(const std::string& name, const std::string& api_key);

  // Where a request lies: the dong of `point` (boundaries), else of the address text.
  std::optional<DongId> Locate(const std::vector<Dong>& dongs, const Open311Submission& s) const;

 private:
  Result<Open311Request> View(const Open311Record& record, const std::vector<Dong>& dongs);
  Status Record(const std::string& ip, const std::string& action, const std::string& target,
                bool allowed);

  Open311Ports p_;
  DistrictId district_;
  std::vector<DongBoundary> boundaries_;
};

}  // namespace caredesk::core
