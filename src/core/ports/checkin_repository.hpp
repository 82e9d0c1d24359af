// Port: check-in devices and what they reported.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/checkin.hpp"
#include "core/result.hpp"

namespace caredesk::core {

class CheckinRepository {
 public:
  virtual ~CheckinRepository() = default;
  // kConflict (field device_uid) when the district has a device with that uid already.
  // `seal` seals the secret for the new device's id (the id is part of its context); it runs
  // inside the same transaction.
  virtual Result<CheckinDevice> CreateDevice(const CheckinDevice& device,
                                             const std::function<Bytes(CheckinDeviceId)>& seal) = 0;
  virtual Result<std::vector<CheckinDevice>> ListDevices(DistrictId district,
                                                         ResidentId resident) = 0;
  virtual Result<CheckinDevice> GetDevice(DistrictId district, CheckinDeviceId id) = 0;
  struct DeviceSecret {
    CheckinDevice device;
    Bytes secret_sealed;
  };
  // kNotFound for an unknown uid.
  virtual Result<DeviceSecret> FindDevice(DistrictId district, const std::string& device_uid) = 0;
  virtual Result<CheckinDevice> SetActive(DistrictId district, CheckinDeviceId id, bool active) = 0;
  // Keeps one check-in and moves the device on (last result and time, consecutive
  // no-responses) in one transaction. kConflict when the device sent `nonce` before.
  virtual Result<CheckinDevice> RecordCheckin(CheckinDeviceId device, const std::string& nonce,
                                              CheckinResult result, TimePoint reported_at,
                                              TimePoint received_at) = 0;
  virtual Status SetOpenCase(CheckinDeviceId device, std::optional<CaseId> case_id) = 0;
};

}  // namespace caredesk::core
