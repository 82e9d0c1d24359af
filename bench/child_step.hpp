// What the district-scale benchmarks share: each step runs in a child process, so its peak
// memory (ru_maxrss) is its own, and writes back its seconds, rows and a note through a pipe.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

namespace caredesk::bench {

inline constexpr double kKiBPerMiB = 1024.0;
using StepClock = std::chrono::steady_clock;

struct Step {
  std::string name;
  std::string backend;
  double seconds = 0;
  double rows = 0;
  double peak_mib = 0;
  bool ok = false;
  std::string note;
};

// What a child writes back through its pipe: seconds, rows, a note.
struct ChildResult {
  double seconds = 0;
  double rows = 0;
  char note[256] = {};
};

// Runs `work` in a child process; its peak RSS is the child's own.
template <typename F>
Step InChild(const std::string& name, const std::string& backend, F work) {
  Step step{name, backend};
  int fds[2];
  if (pipe(fds) != 0) {
    step.note = "pipe failed";
    return step;
  }
  std::cout.flush();
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    ChildResult r;
    int code = 0;
    try {
      code = work(r) ? 0 : 1;
    } catch (const std::exception& e) {
      std::snprintf(r.note, sizeof r.note, "%s", e.what());
      code = 1;
    }
    (void)!write(fds[1], &r, sizeof r);
    _exit(code);
  }
  close(fds[1]);
  ChildResult r;
  const auto got = read(fds[0], &r, sizeof r);
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  step.ok = got == static_cast<ssize_t>(sizeof r) && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  step.seconds = r.seconds;
  step.rows = r.rows;
  step.note = r.note;
  step.peak_mib = static_cast<double>(usage.ru_maxrss) / kKiBPerMiB;
  return step;
}

inline double Since(StepClock::time_point t) {
  return std::chrono::duration<double>(StepClock::now() - t).count();
}

inline void Note(ChildResult& r, const std::string& text) {
  std::snprintf(r.note, sizeof r.note, "%s", text.c_str());
}

}  // namespace caredesk::bench
