#include "storage/postgres/pg_connection.hpp"

#include <charconv>
#include <optional>
#include <pqxx/pqxx>

namespace caredesk::storage::postgres {
namespace {

using sql::DbError;
using sql::DbErrorKind;

// Type OIDs from pg_type.h that we convert to something other than text.
constexpr pqxx::oid kBoolOid = 16;
constexpr pqxx::oid kByteaOid = 17;
constexpr pqxx::oid kInt8Oid = 20;
constexpr pqxx::oid kInt2Oid = 21;
constexpr pqxx::oid kInt4Oid = 23;
constexpr pqxx::oid kFloat4Oid = 700;
constexpr pqxx::oid kFloat8Oid = 701;
constexpr pqxx::oid kNumericOid = 1700;

DbErrorKind KindOfSqlState(const std::string& state) {
  if (state == "23505") {
    return DbErrorKind::kUniqueViolation;
  }
  if (state == "40001" || state == "40P01" || state == "55P03") {
    return DbErrorKind::kRetryable;
  }
  if (state.rfind("23", 0) == 0) {
    return DbErrorKind::kConstraint;
  }
  // 53100 disk_full (53300, too many connections, is only a busy server: below).
  if (state == "53100") {
    return DbErrorKind::kFull;
  }
  if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || state == "53300") {
    return DbErrorKind::kUnavailable;
  }
  return DbErrorKind::kOther;
}

std::string HexEncode(const sql::Blob& b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + b.bytes.size() * 2);
  for (const auto byte : b.bytes) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0x0F]);
  }
  return out;
}

class PgConnection final : public sql::Connection {
 public:
  explicit PgConnection(const std::string& url) : conn_(url) {}

  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }

  void Begin(sql::TxMode /*mode*/) override {
    Guard([&] { tx_.emplace(conn_); });
  }
  void Commit() override {
    Guard([&] {
      tx_->commit();
      tx_.reset();
    });
  }
  void Rollback() noexcept override {
    try {
      if (tx_) {
        tx_->abort();
      }
    } catch (...) {
      usable_ = false;
    }
    tx_.reset();
  }

  sql::Rows Execute(std::string_view text, const sql::Params& params) override {
    // Parameters go as text (NULL as a null pointer); the server casts them
    // to the column types. bytea goes in its hex form.
    std::vector<std::string> storage;
    storage.reserve(params.size());
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
      if (std::holds_alternative<sql::Null>(p)) {
        values.push_back(nullptr);
        continue;
      }
      if (const auto* i = std::get_if<std::int64_t>(&p)) {
        storage.push_back(std::to_string(*i));
      } else if (const auto* d = std::get_if<double>(&p)) {
        storage.push_back(pqxx::to_string(*d));
      } else if (const auto* s = std::get_if<std::string>(&p)) {
        storage.push_back(*s);
      } else if (const auto* b = std::get_if<sql::Blob>(&p)) {
        storage.push_back(HexEncode(*b));
      }
      values.push_back(storage.back().c_str());
    }
    // `storage` must not reallocate after c_str() was taken: reserved above.
    pqxx::result r;
    Guard([&] {
      const std::string query(text);
      if (tx_) {
        r = tx_->exec_params(query, pqxx::prepare::make_dynamic_params(values));
      } else {
        pqxx::nontransaction ntx(conn_);
        r = ntx.exec_params(query, pqxx::prepare::make_dynamic_params(values));
      }
    });
    return Convert(r);
  }

  void ExecuteScript(std::string_view text) override {
    Guard([&] {
      const std::string script(text);
      if (tx_) {
        tx_->exec(script);
      } else {
        pqxx::nontransaction ntx(conn_);
        ntx.exec(script);
      }
    });
  }

  bool IsUsable() const override { return usable_ && conn_.is_open(); }

 private:
  template <typename F>
  void Guard(F&& f) {
    try {
      f();
    } catch (const pqxx::broken_connection& e) {
      usable_ = false;
      tx_.reset();
      throw DbError(DbErrorKind::kUnavailable, std::string("postgres: ") + e.what());
    } catch (const pqxx::in_doubt_error& e) {
      usable_ = false;
      tx_.reset();
      throw DbError(DbErrorKind::kUnavailable, std::string("postgres: ") + e.what());
    } catch (const pqxx::sql_error& e) {
      const auto kind = KindOfSqlState(e.sqlstate());
      if (kind == DbErrorKind::kUnavailable) {
        usable_ = false;
      }
      throw DbError(kind, std::string("postgres: ") + e.what());
    } catch (const pqxx::failure& e) {
      usable_ = false;
      tx_.reset();
      throw DbError(DbErrorKind::kUnavailable, std::string("postgres: ") + e.what());
    }
  }

  static sql::Rows Convert(const pqxx::result& r) {
    sql::Rows out;
    const auto ncol = static_cast<std::size_t>(r.columns());
    for (pqxx::row::size_type i = 0; i < r.columns(); ++i) {
      out.columns.emplace_back(r.column_name(i));
    }
    std::vector<pqxx::oid> types(ncol);
    for (std::size_t i = 0; i < ncol; ++i) {
      types[i] = r.column_type(static_cast<pqxx::row::size_type>(i));
    }
    out.rows.reserve(r.size());
    for (const auto& row : r) {
      auto& dst = out.rows.emplace_back();
      dst.reserve(ncol);
      for (std::size_t i = 0; i < ncol; ++i) {
        const pqxx::field f = row[static_cast<pqxx::row::size_type>(i)];
        dst.push_back(ConvertField(f, types[i]));
      }
    }
    out.affected = static_cast<std::int64_t>(r.affected_rows());
    return out;
  }

  static sql::Value ConvertField(const pqxx::field& f, pqxx::oid type) {
    if (f.is_null()) {
      return sql::Null{};
    }
    switch (type) {
      case kInt2Oid:
      case kInt4Oid:
      case kInt8Oid:
        return f.as<std::int64_t>();
      case kBoolOid:
        return static_cast<std::int64_t>(f.as<bool>() ? 1 : 0);
      case kFloat4Oid:
      case kFloat8Oid:
      case kNumericOid:
        return f.as<double>();
      case kByteaOid: {
        const pqxx::binarystring bin(f);
        return sql::Blob{std::vector<std::uint8_t>(bin.data(), bin.data() + bin.size())};
      }
      default:
        return std::string(f.c_str(), f.size());
    }
  }

  pqxx::connection conn_;
  std::optional<pqxx::work> tx_;
  bool usable_ = true;
};

}  // namespace

std::unique_ptr<sql::Connection> OpenPgConnection(const std::string& url) {
  try {
    return std::make_unique<PgConnection>(url);
  } catch (const std::exception& e) {
    // libpq's message may echo the connection string; keep only its first line
    // and never the URL itself (it can hold a password).
    std::string msg = e.what();
    if (auto nl = msg.find('\n'); nl != std::string::npos) {
      msg.resize(nl);
    }
    throw DbError(DbErrorKind::kUnavailable, "postgres: cannot connect: " + msg);
  }
}

}  // namespace caredesk::storage::postgres
