// Background jobs (retention, and later escalation, outbox, scheduled
// reports): each runs at most once per interval across every app server on
// the database, through a lease (storage::Storage::TryAcquireLease).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/ports/clock.hpp"
#include "core/result.hpp"
#include "storage/storage.hpp"

namespace caredesk::app {

class JobRunner {
 public:
  struct Job {
    std::string name;
    std::chrono::seconds interval;      // run when the last run is at least this old
    std::function<core::Status()> run;  // returns an error to be logged and retried next tick
    // When set, the job runs only at times it accepts (e.g. mornings); a due job outside
    // them waits for the next tick inside.
    std::function<bool(core::TimePoint)> window;
  };

  JobRunner(storage::Storage& storage, const core::Clock& clock, std::string holder);
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  void Add(Job job);
  // Runs every due job whose lease this server obtains; returns their names.
  // Ticks of this server never overlap (the background thread and callers).
  std::vector<std::string> Tick();
  // Ticks every `period` on a background thread until Stop().
  void Start(std::chrono::seconds period);
  void Stop();

 private:
  static constexpr std::chrono::minutes kLease{30};

  storage::Storage& storage_;
  const core::Clock& clock_;
  const std::string holder_;
  std::vector<Job> jobs_;  // set before Start()
  std::mutex tick_mutex_;  // one tick at a time within this server (thread and callers)
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace caredesk::app
