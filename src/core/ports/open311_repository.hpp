// Open311 clients (civic apps, each with an API key stored hashed) and the link from each
// case that came in over Open311 to what the request said about its place.
#pragma once

#include <string>
#include <vector>

#include "core/open311.hpp"
#include "core/result.hpp"

namespace caredesk::core {

struct Open311Client {
  std::int64_t id = 0;
  DistrictId district_id = 0;
  std::string name;
  std::string key_hash;  // hex SHA-256 of the API key
  bool active = true;
  TimePoint created_at;
  std::optional<TimePoint> last_used_at;
};

class Open311Repository {
 public:
  virtual ~Open311Repository() = default;
  // kConflict when the name or the key is taken.
  virtual Result<Open311Client> CreateClient(const Open311Client& client) = 0;
  virtual Result<std::vector<Open311Client>> ListClients(DistrictId district) = 0;
  // kNotFound when no client has this key hash.
  virtual Result<Open311Client> FindClientByKeyHash(DistrictId district,
                                                    const std::string& key_hash) = 0;
  virtual Result<Open311Client> SetClientActive(DistrictId district, std::int64_t id,
                                                bool active) = 0;
  virtual Status TouchClient(std::int64_t id, TimePoint at) = 0;

  virtual Status SaveRequest(const Open311Record& record) = 0;
  virtual Result<Open311Record> GetRequest(DistrictId district, CaseId id) = 0;
  virtual Result<Open311Record> FindByToken(DistrictId district, const std::string& token) = 0;
  // Newest first; the query's window, service, status (of the case) and page.
  virtual Result<std::vector<Open311Record>> ListRequests(DistrictId district,
                                                          const Open311Query& query) = 0;
};

}  // namespace caredesk::core
