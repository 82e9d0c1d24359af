// A pool of connections to one database and the transaction runner that every
// repository uses. Converts DbError into core::Error at this boundary.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "core/result.hpp"
#include "storage/sql/connection.hpp"

namespace caredesk::storage::sql {

struct PoolStats {
  std::size_t size = 0;    // connections open
  std::size_t in_use = 0;  // checked out right now
  std::size_t max_size = 0;
  std::uint64_t waits = 0;  // checkouts that had to wait for a free connection
  std::uint64_t timeouts = 0;
};

using ConnectionFactory = std::function<std::unique_ptr<Connection>()>;

class Database {
 public:
  // `factory` opens a new connection or throws DbError(kUnavailable).
  Database(Dialect dialect, ConnectionFactory factory, std::size_t max_connections,
           std::chrono::milliseconds checkout_timeout);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Dialect dialect() const { return dialect_; }

  // Runs `work` in one transaction and commits it if it returns a value.
  // An Error from `work` rolls back. Busy/serialization failures are retried a
  // few times; other DbErrors become kConflict / kUnavailable / kInternal.
  // Thread-safe.
  template <typename F>
  auto Transact(TxMode mode, F&& work) -> std::invoke_result_t<F, Connection&> {
    using R = std::invoke_result_t<F, Connection&>;
    std::optional<R> out;
    core::Status s = RunTransaction(mode, [&](Connection& c) -> core::Status {
      out.emplace(work(c));
      if (!out->ok()) {
        return out->error();
      }
      return {};
    });
    if (!s.ok()) {
      return std::move(s).error();
    }
    return std::move(*out);
  }

  // True when a trivial query succeeds within the checkout timeout.
  bool Ping();
  PoolStats Stats() const;

  // Closes idle connections; checked-out ones close when returned.
  void Close();

 private:
  class Lease;
  core::Status RunTransaction(TxMode mode, const std::function<core::Status(Connection&)>& work);
  core::Result<std::unique_ptr<Connection>> Checkout();
  void Return(std::unique_ptr<Connection> c);

  const Dialect dialect_;
  const ConnectionFactory factory_;
  const std::size_t max_connections_;
  const std::chrono::milliseconds checkout_timeout_;

  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
  std::size_t open_ = 0;                           // guarded by mutex_
  std::size_t in_use_ = 0;                         // guarded by mutex_
  std::uint64_t waits_ = 0;                        // guarded by mutex_
  std::uint64_t timeouts_ = 0;                     // guarded by mutex_
  bool closed_ = false;                            // guarded by mutex_
};

// Turns a DbError into the public error: kConflict for a unique violation,
// kUnavailable when the database cannot be reached, otherwise kInternal.
core::Error ToError(const DbError& e);

}  // namespace caredesk::storage::sql
