#include "storage/sql/sql_open311_repository.hpp"

#include <string>

#include "storage/sql/sql_identity_repository.hpp"

namespace caredesk::storage::sql {
namespace {

using core::Error;
using core::Open311Client;
using core::Open311Record;
using core::Result;

constexpr std::string_view kClientColumns =
    "id, district_id, name, key_hash, active, created_at, last_used_at";
constexpr std::string_view kRequestColumns =
    "r.case_id, r.district_id, r.client_id, r.service_code, r.token, r.lat, r.lon, r.address, "
    "r.address_id, r.zipcode, r.media_url, r.requested_at";

Open311Client ClientFrom(const Rows& r, std::size_t i) {
  Open311Client c;
  c.id = r.Int(i, 0);
  c.district_id = r.Int(i, 1);
  c.name = r.Text(i, 2);
  c.key_hash = r.Text(i, 3);
  c.active = r.Int(i, 4) != 0;
  c.created_at = FromMicros(r.Int(i, 5));
  if (!r.IsNull(i, 6)) {
    c.last_used_at = FromMicros(r.Int(i, 6));
  }
  return c;
}

Open311Record RecordFrom(const Rows& r, std::size_t i) {
  Open311Record x;
  x.case_id = r.Int(i, 0);
  x.district_id = r.Int(i, 1);
  x.client_id = r.Int(i, 2);
  x.service_code = r.Text(i, 3);
  x.token = r.Text(i, 4);
  if (!r.IsNull(i, 5) && !r.IsNull(i, 6)) {
    x.point = core::GeoPoint{r.Real(i, 5), r.Real(i, 6)};
  }
  x.address = r.Text(i, 7);
  x.address_id = r.Text(i, 8);
  x.zipcode = r.Text(i, 9);
  x.media_url = r.Text(i, 10);
  x.requested_at = FromMicros(r.Int(i, 11));
  return x;
}

Error ClientNotFound() { return Error::NotFound("Open311 client", "Open311 연동 앱"); }
Error RequestNotFound() { return Error::NotFound("Service request", "Open311 요청"); }

Result<Open311Client> SelectClient(Connection& c, const std::string& where, const Params& p) {
  const auto r = c.Execute(
      "SELECT " + std::string(kClientColumns) + " FROM open311_clients WHERE " + where, p);
  if (r.empty()) {
    return ClientNotFound();
  }
  return ClientFrom(r, 0);
}

Result<Open311Record> SelectRequest(Connection& c, const std::string& where, const Params& p) {
  const auto r = c.Execute(
      "SELECT " + std::string(kRequestColumns) + " FROM open311_requests r WHERE " + where, p);
  if (r.empty()) {
    return RequestNotFound();
  }
  return RecordFrom(r, 0);
}

}  // namespace

Result<Open311Client> SqlOpen311Repository::CreateClient(const Open311Client& client) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<Open311Client> {
    const auto taken = c.Execute(
        "SELECT 1 FROM open311_clients WHERE district_id = $1 AND (name = $2 OR key_hash = $3)",
        {client.district_id, client.name, client.key_hash});
    if (!taken.empty()) {
      auto e = Error::Make(core::ErrorCode::kConflict, "An app with this name is registered.",
                           "같은 이름의 앱이 이미 등록되어 있습니다.");
      e.details.push_back({"name", "duplicate", "Name taken.", "이미 있는 이름입니다."});
      return e;
    }
    const auto r = c.Execute(
        "INSERT INTO open311_clients (district_id, name, key_hash, active, created_at) "
        "VALUES ($1, $2, $3, 1, $4) RETURNING id",
        {client.district_id, client.name, client.key_hash, ToMicros(client.created_at)});
    return SelectClient(c, "id = $1", {r.Int(0, 0)});
  });
}

Result<std::vector<Open311Client>> SqlOpen311Repository::ListClients(core::DistrictId district) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<Open311Client>> {
    const auto r = c.Execute("SELECT " + std::string(kClientColumns) +
                                 " FROM open311_clients WHERE district_id = $1 ORDER BY id",
                             {district});
    std::vector<Open311Client> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(ClientFrom(r, i));
    }
    return out;
  });
}

Result<Open311Client> SqlOpen311Repository::FindClientByKeyHash(core::DistrictId district,
                                                                const std::string& key_hash) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) {
    return SelectClient(c, "district_id = $1 AND key_hash = $2", {district, key_hash});
  });
}

Result<Open311Client> SqlOpen311Repository::SetClientActive(core::DistrictId district,
                                                            std::int64_t id, bool active) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<Open311Client> {
    c.Execute("UPDATE open311_clients SET active = $3 WHERE district_id = $1 AND id = $2",
              {district, id, static_cast<std::int64_t>(active ? 1 : 0)});
    return SelectClient(c, "district_id = $1 AND id = $2", {district, id});
  });
}

core::Status SqlOpen311Repository::TouchClient(std::int64_t id, core::TimePoint at) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> core::Status {
    c.Execute("UPDATE open311_clients SET last_used_at = $2 WHERE id = $1", {id, ToMicros(at)});
    return {};
  });
}

core::Status SqlOpen311Repository::SaveRequest(const Open311Record& x) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> core::Status {
    c.Execute(
        "INSERT INTO open311_requests (case_id, district_id, client_id, service_code, token, lat, "
        "lon, address, address_id, zipcode, media_url, requested_at) VALUES ($1, $2, $3, $4, $5, "
        "$6, $7, $8, $9, $10, $11, $12)",
        {x.case_id, x.district_id, x.client_id, x.service_code, x.token,
         x.point ? Value(x.point->lat) : Value(Null{}), x.point ? Value(x.point->lon) : Value(Null{}),
         x.address, x.address_id, x.zipcode, x.media_url, ToMicros(x.requested_at)});
    return {};
  });
}

Result<Open311Record> SqlOpen311Repository::GetRequest(core::DistrictId district,
                                                       core::CaseId id) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) {
    return SelectRequest(c, "r.district_id = $1 AND r.case_id = $2", {district, id});
  });
}

Result<Open311Record> SqlOpen311Repository::FindByToken(core::DistrictId district,
                                                        const std::string& token) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) {
    return SelectRequest(c, "r.district_id = $1 AND r.token = $2", {district, token});
  });
}

Result<std::vector<Open311Record>> SqlOpen311Repository::ListRequests(
    core::DistrictId district, const core::Open311Query& q) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<Open311Record>> {
    std::string sql = "SELECT " + std::string(kRequestColumns) +
                      " FROM open311_requests r JOIN cases c ON c.id = r.case_id "
                      "WHERE r.district_id = $1";
    Params params{district};
    const auto add = [&](const std::string& clause, Value v) {
      params.push_back(std::move(v));
      sql += " AND " + clause + " $" + std::to_string(params.size());
    };
    if (!q.ids.empty()) {
      sql += " AND r.case_id IN (";
      // Parsed integers (ParseOpen311Query): safe to write into the statement.
      for (std::size_t i = 0; i < q.ids.size(); ++i) {
        sql += (i == 0 ? "" : ", ") + std::to_string(q.ids[i]);
      }
      sql += ")";
    } else {
      if (!q.service_code.empty()) {
        add("r.service_code =", q.service_code);
      }
      if (q.start) {
        add("r.requested_at >=", ToMicros(*q.start));
      }
      if (q.end) {
        add("r.requested_at <=", ToMicros(*q.end));
      }
      if (q.status) {
        sql += *q.status == core::Open311Status::kOpen
                   ? " AND c.status NOT IN ('resolved', 'closed')"
                   : " AND c.status IN ('resolved', 'closed')";
      }
    }
    sql += " ORDER BY r.requested_at DESC, r.case_id DESC";
    const int size = q.ids.empty() ? q.page_size : core::kOpen311MaxResults;
    const std::int64_t offset = q.ids.empty() ? static_cast<std::int64_t>(q.page - 1) * size : 0;
    sql += " LIMIT " + std::to_string(size) + " OFFSET " + std::to_string(offset);
    const auto r = c.Execute(sql, params);
    std::vector<Open311Record> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(RecordFrom(r, i));
    }
    return out;
  });
}

}  // namespace caredesk::storage::sql
