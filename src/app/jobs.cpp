#include "app/jobs.hpp"

#include <spdlog/spdlog.h>

namespace caredesk::app {

JobRunner::JobRunner(storage::Storage& storage, const core::Clock& clock, std::string holder)
    : storage_(storage), clock_(clock), holder_(std::move(holder)) {}

JobRunner::~JobRunner() { Stop(); }

void JobRunner::Add(Job job) { jobs_.push_back(std::move(job)); }

std::vector<std::string> JobRunner::Tick() {
  std::lock_guard tick(tick_mutex_);
  std::vector<std::string> ran;
  for (const auto& job : jobs_) {
    const auto now = clock_.Now();
    if (job.window && !job.window(now)) {
      continue;
    }
    auto lease = storage_.TryAcquireLease(job.name, holder_, now, now + kLease);
    if (!lease.ok()) {
      spdlog::warn("job={} lease failed: {}", job.name, lease.error().internal_detail);
      continue;
    }
    if (!lease->held) {
      continue;  // another server runs it
    }
    if (lease->last_run && now - *lease->last_run < job.interval) {
      // Not due: give the lease back at once.
      (void)storage_.FinishJob(job.name, holder_, *lease->last_run);
      continue;
    }
    if (auto s = job.run(); !s.ok()) {
      spdlog::error("job={} failed: {} {}", job.name, s.error().message, s.error().internal_detail);
      continue;  // the lease expires; the next tick tries again
    }
    if (auto s = storage_.FinishJob(job.name, holder_, clock_.Now()); !s.ok()) {
      spdlog::warn("job={} finished but could not be recorded: {}", job.name,
                   s.error().internal_detail);
    }
    ran.push_back(job.name);
  }
  return ran;
}

void JobRunner::Start(std::chrono::seconds period) {
  thread_ = std::thread([this, period] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      Tick();
      lock.lock();
      wake_.wait_for(lock, period, [this] { return stopping_; });
    }
  });
}

void JobRunner::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

}  // namespace caredesk::app
