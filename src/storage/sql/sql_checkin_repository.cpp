#include "storage/sql/sql_checkin_repository.hpp"

#include <string>

#include "storage/sql/sql_identity_repository.hpp"

namespace caredesk::storage::sql {
namespace {

using core::CheckinDevice;
using core::Error;
using core::Result;

constexpr std::string_view kColumns =
    "id, district_id, resident_id, owner_id, device_uid, label, kind, active, created_at, "
    "last_result, last_at, missed_in_a_row, open_case_id, secret_sealed";

CheckinDevice DeviceFrom(const Rows& r, std::size_t i) {
  CheckinDevice d;
  d.id = r.Int(i, 0);
  d.district_id = r.Int(i, 1);
  d.resident_id = r.Int(i, 2);
  d.owner_id = r.Int(i, 3);
  d.device_uid = r.Text(i, 4);
  d.label = r.Text(i, 5);
  d.kind = r.Text(i, 6);
  d.active = r.Int(i, 7) != 0;
  d.created_at = FromMicros(r.Int(i, 8));
  if (!r.IsNull(i, 9)) {
    d.last_result = core::Parse<core::CheckinResult>(r.Text(i, 9));
  }
  if (!r.IsNull(i, 10)) {
    d.last_at = FromMicros(r.Int(i, 10));
  }
  d.missed_in_a_row = static_cast<int>(r.Int(i, 11));
  if (!r.IsNull(i, 12)) {
    d.open_case = r.Int(i, 12);
  }
  return d;
}

Error DeviceNotFound() { return Error::NotFound("Check-in device", "안부 확인 기기"); }

Result<CheckinDevice> SelectOne(Connection& c, const std::string& where, const Params& params) {
  const auto r =
      c.Execute("SELECT " + std::string(kColumns) + " FROM checkin_devices WHERE " + where, params);
  if (r.empty()) {
    return DeviceNotFound();
  }
  return DeviceFrom(r, 0);
}

}  // namespace

Result<CheckinDevice> SqlCheckinRepository::CreateDevice(
    const CheckinDevice& d, const std::function<core::Bytes(core::CheckinDeviceId)>& seal) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<CheckinDevice> {
    const auto dup =
        c.Execute("SELECT id FROM checkin_devices WHERE district_id = $1 AND device_uid = $2",
                  {d.district_id, d.device_uid});
    if (!dup.empty()) {
      auto e = Error::Make(core::ErrorCode::kConflict, "This device is registered already.",
                           "이미 등록된 기기입니다.");
      e.details.push_back({"device_uid", "duplicate", "Device id already registered.",
                           "이미 등록된 기기 번호입니다."});
      return e;
    }
    const auto r = c.Execute(
        "INSERT INTO checkin_devices (district_id, resident_id, owner_id, device_uid, label, kind, "
        "secret_sealed, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) "
        "RETURNING id",
        {d.district_id, d.resident_id, d.owner_id, d.device_uid, d.label, d.kind,
         Blob{{0}},  // a placeholder until the id is known (an empty blob binds as NULL)
         ToMicros(d.created_at)});
    const auto id = r.Int(0, 0);
    c.Execute("UPDATE checkin_devices SET secret_sealed = $2 WHERE id = $1", {id, Blob{seal(id)}});
    return SelectOne(c, "id = $1", {id});
  });
}

Result<std::vector<CheckinDevice>> SqlCheckinRepository::ListDevices(core::DistrictId district,
                                                                     core::ResidentId resident) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<CheckinDevice>> {
    const auto r = c.Execute("SELECT " + std::string(kColumns) +
                                 " FROM checkin_devices WHERE district_id = $1 AND resident_id = "
                                 "$2 ORDER BY id",
                             {district, resident});
    std::vector<CheckinDevice> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(DeviceFrom(r, i));
    }
    return out;
  });
}

Result<CheckinDevice> SqlCheckinRepository::GetDevice(core::DistrictId district,
                                                      core::CheckinDeviceId id) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) {
    return SelectOne(c, "district_id = $1 AND id = $2", {district, id});
  });
}

Result<core::CheckinRepository::DeviceSecret> SqlCheckinRepository::FindDevice(
    core::DistrictId district, const std::string& device_uid) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<DeviceSecret> {
    const auto r = c.Execute("SELECT " + std::string(kColumns) +
                                 " FROM checkin_devices WHERE district_id = $1 AND device_uid = $2",
                             {district, device_uid});
    if (r.empty()) {
      return DeviceNotFound();
    }
    return DeviceSecret{DeviceFrom(r, 0), std::get<Blob>(r.rows[0][13]).bytes};
  });
}

Result<CheckinDevice> SqlCheckinRepository::SetActive(core::DistrictId district,
                                                      core::CheckinDeviceId id, bool active) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<CheckinDevice> {
    c.Execute("UPDATE checkin_devices SET active = $3 WHERE district_id = $1 AND id = $2",
              {district, id, std::int64_t{active ? 1 : 0}});
    return SelectOne(c, "district_id = $1 AND id = $2", {district, id});
  });
}

Result<CheckinDevice> SqlCheckinRepository::RecordCheckin(core::CheckinDeviceId device,
                                                          const std::string& nonce,
                                                          core::CheckinResult result,
                                                          core::TimePoint reported_at,
                                                          core::TimePoint received_at) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<CheckinDevice> {
    const auto seen =
        c.Execute("SELECT id FROM checkins WHERE device_id = $1 AND nonce = $2", {device, nonce});
    if (!seen.empty()) {
      return Error::Make(core::ErrorCode::kConflict,
                         "This signed request was received before (replayed).",
                         "이미 받은 요청입니다 (재전송).");
    }
    auto current = SelectOne(c, "id = $1", {device});
    if (!current.ok()) {
      return current;
    }
    // A concurrent duplicate fails on UNIQUE (device_id, nonce) and rolls all of this back.
    c.Execute(
        "INSERT INTO checkins (device_id, nonce, result, reported_at, received_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        {device, nonce, std::string(core::Code(result)), ToMicros(reported_at),
         ToMicros(received_at)});
    const int missed = core::MissedAfter(result, current->missed_in_a_row);
    c.Execute(
        "UPDATE checkin_devices SET last_result = $2, last_at = $3, missed_in_a_row = $4 "
        "WHERE id = $1",
        {device, std::string(core::Code(result)), ToMicros(reported_at), std::int64_t{missed}});
    return SelectOne(c, "id = $1", {device});
  });
}

core::Status SqlCheckinRepository::SetOpenCase(core::CheckinDeviceId device,
                                               std::optional<core::CaseId> case_id) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> core::Status {
    Params params{Value(device), Value(Null{})};
    if (case_id) {
      params[1] = Value(*case_id);
    }
    c.Execute("UPDATE checkin_devices SET open_case_id = $2 WHERE id = $1", params);
    return {};
  });
}

}  // namespace caredesk::storage::sql
