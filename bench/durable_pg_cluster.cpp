#include "bench/durable_pg_cluster.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace caredesk::bench {
namespace {

namespace fs = std::filesystem;

constexpr int kStartAttempts = 5;
constexpr char kStartTimeoutSeconds[] = "30";
constexpr char kStopTimeoutSeconds[] = "30";

[[noreturn]] void Fail(const std::string& why) {
  throw std::runtime_error("durable PostgreSQL cluster: " + why);
}

std::string FindBinDir() {
  const fs::path root = "/usr/lib/postgresql";
  std::string best;
  int best_version = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version && fs::exists(entry.path() / "bin" / "initdb")) {
      best_version = version;
      best = (entry.path() / "bin").string();
    }
  }
  if (best.empty()) {
    Fail("no initdb under /usr/lib/postgresql/*/bin (Debian package 'postgresql')");
  }
  return best;
}

struct RunAs {
  uid_t uid = 0;
  gid_t gid = 0;
  bool drop = false;  // true when running as root: switch to 'postgres' in the child
};

RunAs ClusterUser() {
  RunAs as{geteuid(), getegid(), false};
  if (as.uid != 0) {
    return as;
  }
  const passwd* pw = getpwnam("postgres");
  if (pw == nullptr) {
    Fail("running as root but there is no 'postgres' user");
  }
  return {pw->pw_uid, pw->pw_gid, true};
}

// Runs argv (as the cluster user) with output appended to `log`; returns the exit status.
int Run(const std::vector<std::string>& argv, const RunAs& as, const std::string& log) {
  const pid_t pid = fork();
  if (pid < 0) {
    Fail("fork failed");
  }
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out >= 0) {
      dup2(out, STDOUT_FILENO);
      dup2(out, STDERR_FILENO);
    }
    if (as.drop && (setgid(as.gid) != 0 || setuid(as.uid) != 0)) {
      _exit(126);
    }
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) {
      args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) {
      close(fd);
    }
    Fail("cannot find a free loopback port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::unique_ptr<DurablePgCluster> DurablePgCluster::Start(const std::string& dir,
                                                          const PgClusterOptions& options) {
  std::unique_ptr<DurablePgCluster> c(new DurablePgCluster());
  c->bin_dir_ = FindBinDir();
  c->dir_ = dir;
  c->keep_ = options.keep;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    Fail("cannot create " + dir + ": " + ec.message());
  }
  const RunAs as = ClusterUser();
  if (as.drop && chown(dir.c_str(), as.uid, as.gid) != 0) {
    Fail("cannot chown " + dir + " to 'postgres'");
  }
  const std::string log = dir + "/setup.log";
  const std::string data = dir + "/data";
  const bool reuse = options.keep && fs::exists(data + "/PG_VERSION");
  if (reuse && fs::exists(data + "/postmaster.pid")) {
    // Left running by an interrupted run: stop it (bounded), then start it on a new port.
    Run({c->bin_dir_ + "/pg_ctl", "-D", data, "-m", "fast", "-w", "-t", kStopTimeoutSeconds,
         "stop"},
        as, log);
  }
  // --no-sync only skips flushing the freshly created template files; every commit during the
  // benchmark is still flushed because the server runs with fsync=on.
  if (!reuse && Run({c->bin_dir_ + "/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E",
                     "UTF8", "--locale=C.UTF-8", "--no-sync"},
                    as, log) != 0) {
    Fail("initdb failed (is every parent of " + dir + " searchable by 'postgres'?):\n" +
         ReadFile(log));
  }
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    const int port = FreeLoopbackPort();
    const std::string opts = "-p " + std::to_string(port) + " -k " + dir +
                             " -c listen_addresses=127.0.0.1 -c fsync=on"
                             " -c synchronous_commit=on -c full_page_writes=on"
                             " -c max_connections=100";
    if (Run({c->bin_dir_ + "/pg_ctl", "-D", data, "-l", dir + "/server.log", "-w", "-t",
             kStartTimeoutSeconds, "-o", opts, "start"},
            as, log) == 0) {
      c->running_ = true;
      c->url_ = "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres";
      return c;
    }
  }
  Fail("pg_ctl start failed:\n" + ReadFile(log) + ReadFile(dir + "/server.log"));
}

void DurablePgCluster::StopStale(const std::string& dir) {
  const std::string data = dir + "/data";
  if (!fs::exists(data + "/postmaster.pid")) {
    return;
  }
  Run({FindBinDir() + "/pg_ctl", "-D", data, "-m", "immediate", "-w", "-t", kStopTimeoutSeconds,
       "stop"},
      ClusterUser(), "/dev/null");
}

DurablePgCluster::~DurablePgCluster() { Stop(); }

void DurablePgCluster::Stop() {
  if (!running_) {
    return;
  }
  running_ = false;
  Run({bin_dir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "fast", "-w", "-t", kStopTimeoutSeconds,
       "stop"},
      ClusterUser(), "/dev/null");
  if (!keep_) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

}  // namespace caredesk::bench
