#include "tests/support/pg_cluster.hpp"

#include <fcntl.h>
#include <signal.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <mutex>
#include <random>
#include <sstream>
#include <vector>

#include "storage/postgres/pg_connection.hpp"

namespace caredesk::testing {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void Die(const std::string& why) {
  std::cerr
      << "\n*** PostgreSQL test cluster: " << why << "\n"
      << "*** Install Debian's 'postgresql' package (make deps) or set CAREDESK_TEST_PG_URL.\n";
  std::exit(2);
}

std::string FindBinDir() {
  const fs::path root = "/usr/lib/postgresql";
  std::string best;
  int best_version = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const auto name = entry.path().filename().string();
    const int version = std::atoi(name.c_str());
    if (version > best_version && fs::exists(entry.path() / "bin" / "initdb")) {
      best_version = version;
      best = (entry.path() / "bin").string();
    }
  }
  if (best.empty()) {
    Die("no initdb under /usr/lib/postgresql/*/bin");
  }
  return best;
}

// Runs argv as `uid`/`gid` (when running as root) with output appended to `log`.
int Run(const std::vector<std::string>& argv, uid_t uid, gid_t gid, bool drop,
        const std::string& log) {
  const pid_t pid = fork();
  if (pid < 0) {
    Die("fork failed");
  }
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out >= 0) {
      dup2(out, STDOUT_FILENO);
      dup2(out, STDERR_FILENO);
    }
    if (drop && (setgid(gid) != 0 || setuid(uid) != 0)) {
      _exit(126);
    }
    std::vector<char*> args;
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

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    Die("cannot find a free loopback port");
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

PgCluster& PgCluster::Shared() {
  static PgCluster* cluster = [] {
    auto* c = new PgCluster();
    std::atexit([] { Shared().Stop(); });
    return c;
  }();
  return *cluster;
}

PgCluster::PgCluster() {
  if (const char* url = std::getenv("CAREDESK_TEST_PG_URL"); url != nullptr && *url != '\0') {
    admin_url_ = url;
    return;
  }
  Start();
}

PgCluster::PgCluster(bool durable) : durable_(durable) { Start(); }

std::unique_ptr<PgCluster> PgCluster::StartDurable() {
  return std::unique_ptr<PgCluster>(new PgCluster(true));
}

PgCluster::~PgCluster() { Stop(); }

void PgCluster::Start() {
  bin_dir_ = FindBinDir();
  char tmpl[] = "/tmp/caredesk-pg-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    Die("mkdtemp failed");
  }
  dir_ = tmpl;
  owned_ = true;
  // initdb refuses to run as root: run the cluster as the 'postgres' user.
  const bool root = geteuid() == 0;
  uid_t uid = geteuid();
  gid_t gid = getegid();
  if (root) {
    const passwd* pw = getpwnam("postgres");
    if (pw == nullptr) {
      Die("running as root but there is no 'postgres' user");
    }
    uid = pw->pw_uid;
    gid = pw->pw_gid;
    if (chown(dir_.c_str(), uid, gid) != 0) {
      Die("cannot chown " + dir_);
    }
  }
  const std::string log = dir_ + "/setup.log";
  const std::string data = dir_ + "/data";
  if (Run({bin_dir_ + "/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
           "--locale=C.UTF-8", "--no-sync"},
          uid, gid, root, log) != 0) {
    Die("initdb failed:\n" + ReadFile(log));
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = FreePort();
    const std::string opts = "-p " + std::to_string(port_) + " -k " + dir_ +
                             " -c listen_addresses=127.0.0.1" +
                             (durable_ ? " -c fsync=on -c synchronous_commit=on"
                                         " -c full_page_writes=on"
                                       : " -c fsync=off -c synchronous_commit=off"
                                         " -c full_page_writes=off") +
                             " -c max_connections=200";
    if (Run({bin_dir_ + "/pg_ctl", "-D", data, "-l", dir_ + "/server.log", "-w", "-t", "30", "-o",
             opts, "start"},
            uid, gid, root, log) == 0) {
      options_ = opts;
      admin_url_ = "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/postgres";
      return;
    }
  }
  Die("pg_ctl start failed:\n" + ReadFile(log) + ReadFile(dir_ + "/server.log"));
}

void PgCluster::Stop() {
  if (!owned_) {
    return;
  }
  owned_ = false;
  const bool root = geteuid() == 0;
  uid_t uid = geteuid();
  gid_t gid = getegid();
  if (root) {
    if (const passwd* pw = getpwnam("postgres"); pw != nullptr) {
      uid = pw->pw_uid;
      gid = pw->pw_gid;
    }
  }
  Run({bin_dir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "stop"}, uid, gid, root,
      "/dev/null");
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

namespace {
// The user the cluster runs as: 'postgres' when we are root.
void ClusterUser(uid_t& uid, gid_t& gid, bool& root) {
  root = geteuid() == 0;
  uid = geteuid();
  gid = getegid();
  if (root) {
    if (const passwd* pw = getpwnam("postgres"); pw != nullptr) {
      uid = pw->pw_uid;
      gid = pw->pw_gid;
    }
  }
}
}  // namespace

bool PgCluster::Pause() {
  if (!owned_) {
    return false;
  }
  uid_t uid = 0;
  gid_t gid = 0;
  bool root = false;
  ClusterUser(uid, gid, root);
  return Run({bin_dir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "fast", "-w", "stop"}, uid,
             gid, root, dir_ + "/setup.log") == 0;
}

void PgCluster::Resume() {
  uid_t uid = 0;
  gid_t gid = 0;
  bool root = false;
  ClusterUser(uid, gid, root);
  if (Run({bin_dir_ + "/pg_ctl", "-D", dir_ + "/data", "-l", dir_ + "/server.log", "-w", "-t", "30",
           "-o", options_, "start"},
          uid, gid, root, dir_ + "/setup.log") != 0) {
    Die("pg_ctl start (resume) failed:\n" + ReadFile(dir_ + "/server.log"));
  }
}

namespace {
// The processes of process group `group` still running (zombies do not count), from /proc.
std::vector<pid_t> RunningInGroup(pid_t group) {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::ifstream in(entry.path() / "stat");
    const std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // "pid (comm) state ppid pgrp ...": comm may hold spaces, so read after the last ')'.
    const auto close_paren = stat.rfind(')');
    if (close_paren == std::string::npos) {
      continue;
    }
    std::istringstream rest(stat.substr(close_paren + 1));
    std::string state;
    pid_t ppid = -1;
    pid_t pgrp = -1;
    rest >> state >> ppid >> pgrp;
    if (pgrp == group && state != "Z") {
      out.push_back(std::stoi(name));
    }
  }
  return out;
}
}  // namespace

bool PgCluster::Crash() {
  if (!owned_ || !durable_) {
    return false;
  }
  std::ifstream pid_file(dir_ + "/data/postmaster.pid");
  pid_t postmaster = -1;
  pid_file >> postmaster;
  if (postmaster <= 0) {
    return false;
  }
  // pg_ctl starts the postmaster in a session of its own, so its process group is every
  // PostgreSQL process, including a backend forked this instant.
  if (kill(-postmaster, SIGKILL) != 0) {
    return false;
  }
  for (int i = 0; i < 500; ++i) {
    if (RunningInGroup(postmaster).empty()) {
      // The dead postmaster may stay a zombie (its parent, pg_ctl, is gone and PID 1 here need
      // not reap), which PostgreSQL's lock-file checks take for a live one: the stale lock files
      // go, as an operator would remove them once every PostgreSQL process is gone.
      std::error_code ec;
      fs::remove(dir_ + "/data/postmaster.pid", ec);
      const std::string socket = ".s.PGSQL." + std::to_string(port_);
      fs::remove(dir_ + "/" + socket, ec);
      fs::remove(dir_ + "/" + socket + ".lock", ec);
      return true;
    }
    usleep(10000);
  }
  return false;
}

std::string PgCluster::CreateDatabase() {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::random_device rd;
  const std::string name = "caredesk_t" + std::to_string(getpid()) + "_" +
                           std::to_string(++next_db_) + "_" + std::to_string(rd() % 100000);
  try {
    auto admin = storage::postgres::OpenPgConnection(admin_url_);
    admin->ExecuteScript("CREATE DATABASE " + name);
  } catch (const std::exception& e) {
    Die(std::string("CREATE DATABASE failed: ") + e.what());
  }
  const auto slash = admin_url_.rfind('/');
  return admin_url_.substr(0, slash + 1) + name;
}

}  // namespace caredesk::testing
