#include "storage/sql/database.hpp"

#include <spdlog/spdlog.h>

#include <thread>
#include <utility>

namespace caredesk::storage::sql {
namespace {

constexpr int kMaxAttempts = 5;
constexpr std::chrono::milliseconds kRetryBackoff{10};

}  // namespace

Database::Database(Dialect dialect, ConnectionFactory factory, std::size_t max_connections,
                   std::chrono::milliseconds checkout_timeout)
    : dialect_(dialect),
      factory_(std::move(factory)),
      max_connections_(max_connections == 0 ? 1 : max_connections),
      checkout_timeout_(checkout_timeout) {}

Database::~Database() { Close(); }

void Database::Close() {
  std::vector<std::unique_ptr<Connection>> doomed;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    doomed.swap(idle_);
    open_ -= doomed.size();
  }
  available_.notify_all();
}

core::Result<std::unique_ptr<Connection>> Database::Checkout() {
  std::unique_lock lock(mutex_);
  bool waited = false;
  while (true) {
    if (closed_) {
      return core::Error::Unavailable("database pool is closed");
    }
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      ++in_use_;
      return c;
    }
    if (open_ < max_connections_) {
      ++open_;
      ++in_use_;
      lock.unlock();
      try {
        return factory_();
      } catch (const DbError& e) {
        std::lock_guard relock(mutex_);
        --open_;
        --in_use_;
        available_.notify_one();
        return ToError(e);
      }
    }
    if (!waited) {
      ++waits_;
      waited = true;
    }
    if (!available_.wait_for(lock, checkout_timeout_, [&] {
          return closed_ || !idle_.empty() || open_ < max_connections_;
        })) {
      ++timeouts_;
      return core::Error::Unavailable("timed out waiting for a database connection");
    }
  }
}

void Database::Return(std::unique_ptr<Connection> c) {
  {
    std::lock_guard lock(mutex_);
    --in_use_;
    if (closed_ || !c || !c->IsUsable()) {
      --open_;
    } else {
      idle_.push_back(std::move(c));
    }
  }
  available_.notify_one();
}

core::Status Database::RunTransaction(TxMode mode,
                                      const std::function<core::Status(Connection&)>& work) {
  for (int attempt = 1;; ++attempt) {
    auto leased = Checkout();
    if (!leased.ok()) {
      return std::move(leased).error();
    }
    std::unique_ptr<Connection> c = std::move(*leased);
    bool in_tx = false;
    bool committing = false;
    try {
      c->Begin(mode);
      in_tx = true;
      core::Status s = work(*c);
      if (!s.ok()) {
        c->Rollback();
        Return(std::move(c));
        return s;
      }
      in_tx = false;
      committing = true;
      c->Commit();
      Return(std::move(c));
      return {};
    } catch (const DbError& e) {
      // Also after a failed COMMIT: SQLite can leave the transaction open (SQLITE_FULL during
      // COMMIT), and the pool must get the connection back without one.
      if (in_tx || committing) {
        c->Rollback();
      }
      Return(std::move(c));
      // A lost connection before COMMIT is safe to retry on a fresh one; during
      // COMMIT the outcome is unknown, so the caller gets kUnavailable instead.
      const bool retry = e.kind() == DbErrorKind::kRetryable ||
                         (e.kind() == DbErrorKind::kUnavailable && !committing);
      if (retry && attempt < kMaxAttempts) {
        std::this_thread::sleep_for(kRetryBackoff * attempt);
        continue;
      }
      return ToError(e);
    } catch (const std::exception& e) {
      // Repositories convert values; a throw here is a bug in a repository.
      if (in_tx) {
        c->Rollback();
      }
      Return(std::move(c));
      return core::Error::Internal(std::string("storage: ") + e.what());
    }
  }
}

bool Database::Ping() {
  auto s = Transact(TxMode::kRead, [](Connection& c) -> core::Result<bool> {
    c.Execute("SELECT 1", {});
    return true;
  });
  return s.ok();
}

PoolStats Database::Stats() const {
  std::lock_guard lock(mutex_);
  return PoolStats{open_, in_use_, max_connections_, waits_, timeouts_};
}

core::Error ToError(const DbError& e) {
  switch (e.kind()) {
    case DbErrorKind::kUniqueViolation:
      return core::Error::Make(core::ErrorCode::kConflict,
                               "A record with these values already exists.",
                               "이미 같은 내용의 기록이 있습니다.", e.what());
    case DbErrorKind::kUnavailable:
    case DbErrorKind::kRetryable:
      return core::Error::Unavailable(e.what());
    case DbErrorKind::kFull:
      return core::Error::StorageFull(e.what());
    case DbErrorKind::kConstraint:
    case DbErrorKind::kOther:
      break;
  }
  return core::Error::Internal(e.what());
}

}  // namespace caredesk::storage::sql
