#include "storage/sql/key_rotation.hpp"

#include <string>

namespace caredesk::storage::sql {
namespace {

const std::vector<std::uint8_t>& BlobAt(const Rows& r, std::size_t row, std::size_t col) {
  return std::get<Blob>(r.rows[row][col]).bytes;
}

}  // namespace

core::Result<ResealReport> ResealUnderCurrentKey(Database& db, const core::Sealer& sealer,
                                                 int batch_size) {
  ResealReport report;
  report.current_key_id = sealer.CurrentKeyId();
  const auto current = static_cast<std::int64_t>(report.current_key_id);
  // Data keys: the key id is a column, so each batch finds the next old ones by index.
  for (;;) {
    auto done = db.Transact(TxMode::kWrite, [&](Connection& c) -> core::Result<std::int64_t> {
      const auto r = c.Execute(
          "SELECT id, sealed_key FROM data_keys WHERE sealed_key IS NOT NULL AND key_id <> $1 "
          "ORDER BY id LIMIT $2",
          {current, static_cast<std::int64_t>(batch_size)});
      for (std::size_t i = 0; i < r.size(); ++i) {
        const auto id = r.Int(i, 0);
        const std::string context = "data_key:" + std::to_string(id);
        auto key = sealer.Open(BlobAt(r, i, 1), context);
        if (!key.ok()) {
          return core::Error::Internal("data key " + std::to_string(id) +
                                       " cannot be opened: " + key.error().internal_detail);
        }
        const auto sealed = sealer.Seal(*key, context);
        c.Execute("UPDATE data_keys SET sealed_key = $1, key_id = $2 WHERE id = $3",
                  {Blob{sealed}, static_cast<std::int64_t>(sealer.KeyIdOf(sealed)), id});
      }
      return static_cast<std::int64_t>(r.size());
    });
    if (!done.ok()) {
      return std::move(done).error();
    }
    report.data_keys_resealed += *done;
    if (*done < batch_size) {
      break;
    }
  }
  // TOTP secrets and check-in device secrets: few rows; the key id is in the sealed value's header.
  auto reseal_few = [&](const std::string& table, const std::string& column,
                        const std::string& context_prefix) {
    return db.Transact(TxMode::kWrite, [&](Connection& c) -> core::Result<std::int64_t> {
      const auto r = c.Execute(
          "SELECT id, " + column + " FROM " + table + " WHERE " + column + " IS NOT NULL", {});
      std::int64_t n = 0;
      for (std::size_t i = 0; i < r.size(); ++i) {
        const auto& sealed = BlobAt(r, i, 1);
        if (sealed.empty() || sealer.KeyIdOf(sealed) == report.current_key_id) {
          continue;
        }
        const auto id = r.Int(i, 0);
        const std::string context = context_prefix + std::to_string(id);
        auto secret = sealer.Open(sealed, context);
        if (!secret.ok()) {
          return core::Error::Internal(context +
                                       " cannot be opened: " + secret.error().internal_detail);
        }
        c.Execute("UPDATE " + table + " SET " + column + " = $1 WHERE id = $2",
                  {Blob{sealer.Seal(*secret, context)}, id});
        ++n;
      }
      return n;
    });
  };
  auto totp = reseal_few("users", "totp_secret_sealed", "user.totp:");
  if (!totp.ok()) {
    return std::move(totp).error();
  }
  report.totp_secrets_resealed = *totp;
  auto devices = reseal_few("checkin_devices", "secret_sealed", "checkin_device.secret:");
  if (!devices.ok()) {
    return std::move(devices).error();
  }
  report.device_secrets_resealed = *devices;
  auto comments = reseal_few("work_report_comments", "comment_sealed", "work_report_comment:");
  if (!comments.ok()) {
    return std::move(comments).error();
  }
  report.comments_resealed = *comments;
  auto remaining = db.Transact(TxMode::kRead, [&](Connection& c) -> core::Result<std::int64_t> {
    return c
        .Execute("SELECT COUNT(*) FROM data_keys WHERE sealed_key IS NOT NULL AND key_id <> $1",
                 {current})
        .Int(0, 0);
  });
  if (!remaining.ok()) {
    return std::move(remaining).error();
  }
  report.remaining = *remaining;
  return report;
}

}  // namespace caredesk::storage::sql
