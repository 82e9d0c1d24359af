// A throw-away PostgreSQL cluster for tests: initdb into a temp dir, start on a
// random loopback port, remove everything at exit. When the environment sets
// CAREDESK_TEST_PG_URL (an admin URL), that server is used instead.
// Failing to start is fatal: storage tests never silently skip PostgreSQL.
#pragma once

#include <memory>
#include <string>

namespace caredesk::testing {

class PgCluster {
 public:
  // The cluster for this process, started on first use. Thread-safe. Runs with fsync=off.
  static PgCluster& Shared();

  // A cluster of the caller's own that survives a crash: fsync=on, synchronous_commit=on,
  // full_page_writes=on (slower; for the tests that kill PostgreSQL itself). Ignores
  // CAREDESK_TEST_PG_URL: it must be a server this process may kill.
  static std::unique_ptr<PgCluster> StartDurable();

  // URL of the maintenance database, as the superuser.
  const std::string& admin_url() const { return admin_url_; }

  // Creates a new empty database and returns its URL.
  std::string CreateDatabase();

  // Stops and removes the cluster (if this process started it).
  void Stop();

  // An outage: stops the server (fast shutdown: every connection is cut; not a crash, which this
  // cluster, run with fsync=off for speed, would not survive whole), keeping its data. False when
  // the cluster is not this process's own (CAREDESK_TEST_PG_URL). Resume() starts it again on the
  // same port.
  bool Pause();
  void Resume();

  // A crash: SIGKILL to the postmaster and every process it started, no shutdown checkpoint.
  // Waits until they are gone. Resume() then runs crash recovery from the WAL. Only for a
  // StartDurable() cluster (an fsync=off one may not come back whole); false otherwise.
  bool Crash();

  ~PgCluster();

 private:
  PgCluster();
  explicit PgCluster(bool durable);
  void Start();

  std::string dir_;      // temp dir holding data/, the socket and the log
  std::string bin_dir_;  // /usr/lib/postgresql/NN/bin
  std::string admin_url_;
  int port_ = 0;
  std::string options_;  // pg_ctl -o of the running server
  bool owned_ = false;
  bool durable_ = false;
  int next_db_ = 0;
};

}  // namespace caredesk::testing
