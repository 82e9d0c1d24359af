// Open311 clients and requests on SQLite and PostgreSQL (one SQL for both).
#pragma once

#include "core/ports/open311_repository.hpp"
#include "storage/sql/database.hpp"

namespace caredesk::storage::sql {

class SqlOpen311Repository final : public core::Open311Repository {
 public:
  explicit SqlOpen311Repository(Database& db) : db_(db) {}
  core::Result<core::Open311Client> CreateClient(const core::Open311Client& client) override;
  core::Result<std::vector<core::Open311Client>> ListClients(core::DistrictId district) override;
  core::Result<core::Open311Client> FindClientByKeyHash(core::DistrictId district,
                                                        const std::string& key_hash) override;
  core::Result<core::Open311Client> SetClientActive(core::DistrictId district, std::int64_t id,
                                                    bool active) override;
  core::Status TouchClient(std::int64_t id, core::TimePoint at) override;
  core::Status SaveRequest(const core::Open311Record& record) override;
  core::Result<core::Open311Record> GetRequest(core::DistrictId district,
                                               core::CaseId id) override;
  core::Result<core::Open311Record> FindByToken(core::DistrictId district,
                                                const std::string& token) override;
  core::Result<std::vector<core::Open311Record>> ListRequests(
      core::DistrictId district, const core::Open311Query& query) override;

 private:
  Database& db_;
};

}  // namespace caredesk::storage::sql
