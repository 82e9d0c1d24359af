// A throw-away PostgreSQL cluster configured for durability (fsync=on, synchronous_commit=on,
// full_page_writes=on), for the commit-rate benchmark. The test cluster in tests/support runs
// with fsync=off, which would measure memory, not the disk.
#pragma once

#include <memory>
#include <string>

namespace caredesk::bench {

struct PgClusterOptions {
  // Keep the cluster: reuse `dir` when it already holds one (no initdb), and leave it in place
  // when stopped. For data loaded once and cached between runs (the search benchmark).
  bool keep = false;
};

class DurablePgCluster {
 public:
  // initdb into `dir` (created; on the disk under test) and start on a free loopback port.
  // When running as root, the cluster runs as the 'postgres' user (initdb refuses root).
  // Throws std::runtime_error (with initdb's or the server's log) when it cannot.
  static std::unique_ptr<DurablePgCluster> Start(const std::string& dir,
                                                 const PgClusterOptions& options = {});

  // Stops a cluster in `dir` that an interrupted run left running, if any (bounded wait).
  static void StopStale(const std::string& dir);

  ~DurablePgCluster();  // Stop()
  DurablePgCluster(const DurablePgCluster&) = delete;
  DurablePgCluster& operator=(const DurablePgCluster&) = delete;

  // URL of the 'postgres' database as the superuser (trust authentication on loopback).
  const std::string& url() const { return url_; }

  // Stops the server (fast shutdown) and removes `dir` (unless kept). Idempotent.
  void Stop();

 private:
  DurablePgCluster() = default;

  std::string dir_;
  std::string bin_dir_;
  std::string url_;
  bool running_ = false;
  bool keep_ = false;
};

}  // namespace caredesk::bench
