#!/usr/bin/env bash
# `make bench`: builds the benchmarks (Release, build-bench/), runs them and prints one table.
#
#   * Google Benchmark, in process: router + JSON overhead on /healthz against a bare lambda, and
#     one keep-alive connection over loopback against the real server and a bare Beast server.
#   * Google Benchmark, storage: single-row durable commit rate of SQLite (WAL, synchronous=FULL)
#     and PostgreSQL (fsync=on, synchronous_commit=on), and the raw fdatasync rate of the disk;
#     then the same commit from 1, 8 and 64 threads: SQLite with one fsync per commit, SQLite with
#     group commit (CareDesk's default) and PostgreSQL.
#   * Google Benchmark, cases (caredesk_case_bench), on both backends: durable case creation over
#     HTTP against the real App from 1, 8 and 64 keep-alive connections (SQLite with group commit
#     and with synchronous=FULL), compared with the bare commit rate above; case reads with the
#     libsodium sealer against a pass-through sealer.
#   * Google Benchmark, search (caredesk_search_bench), on both backends: CaseService::Search and
#     the repository's candidate query over BENCH_SEARCH_CASES generated cases, against a LIKE
#     scan of a plaintext copy of the same texts.
#   * wrk against /healthz of `caredesk serve` (log level warn, then info) and caredesk_bare_beast.
#   * Load of a busy district (the section BENCH_ONLY=load runs alone): `caredesk seed-demo` with
#     BENCH_LOAD_HISTORY_WEEKS weeks of history at BENCH_LOAD_HISTORY_SCALE times the demo's
#     cases a week (timed), `caredesk serve` on it (SQLite, log level warn, no rate limit, the
#     triage model trained from data/triage), the demo counselor of 서교동 signed in
#     (bench/load_session.py); then
#       - wrk with bench/mixed_workload.lua at each of BENCH_LOAD_CONNECTIONS: Today 40, a case
#         screen 30 (the case and its timeline), search 20, intake 10 (weights per screen);
#         req/s, p50/p99, requests and non-2xx per kind; the server's RSS at idle before and its
#         peak (VmHWM) after;
#       - caredesk_idle_connections: BENCH_IDLE_CONNECTIONS keep-alive connections to the same
#         server, each answered once then held idle: descriptors and RSS of the server before and
#         while held, a fresh /healthz and a signed-in Today while held, and when the server
#         closes the idle connections (server.header_timeout_ms, 15 s);
#       - accept at the descriptor limit: a server started with RLIMIT_NOFILE 256 is sent 400
#         connections: its CPU and accept-failure log lines while at the limit, and whether it
#         answers again once they close.
#   * The blind-spot screening (BENCH_ONLY=screening runs it alone; its own table): `caredesk
#     screen simulate` writes BENCH_SCREENING_HOUSEHOLDS households (about 3.2 indicator rows
#     each), then caredesk_screening_bench reads them with the import's line reader (the
#     baseline), imports them, scores and ranks every household and runs a real screening (10
#     outreach cases per dong), on SQLite and on a durable PostgreSQL: seconds, rows/s and each
#     step's peak memory.
#   * The monthly report set (BENCH_ONLY=reports runs it alone; its own table): BENCH_REPORT_CASES
#     cases (default 1,000,000) with five timeline events each, bulk-loaded, then one scan of
#     every event and case (the baseline) and the nine reports for last month, district-wide,
#     on SQLite and a durable PostgreSQL: seconds and each step's peak memory.
#   * The triage classifier against fastText on the same split of data/triage
#     (scripts/bench_triage.sh, its own table after the main one): accuracy, training time,
#     throughput, latency, model size.
#
# Everything listens on 127.0.0.1 only; every wait is bounded. About six minutes plus build
# time, plus loading the search database the first time (see below).
# Raw results (JSON, wrk output, server logs) are kept in build-bench/bench-results/.
#
# The search database is loaded once per case count and kept in build-bench/search-cache/
# (<backend>-n<cases>-s<schema version>-g<generator version>/): later runs reuse it, so only the
# first `make bench` pays for the load. A new schema version or generator version loads a new
# one. To reclaim the disk space (several GB for the default count) or force a reload:
# rm -rf build-bench/search-cache (or `make clean`).
#
# Environment:
#   BENCH_ONLY           empty: everything; "load": only the load section (and its table rows);
#                        "screening": only the screening section
#   BENCH_SCREENING_HOUSEHOLDS  households of the screening section (default 1000000)
#   BENCH_REPORT_CASES   cases of the reports section (default 1000000; five events each)
#   BENCH_IO_THREADS     I/O threads for both HTTP servers (default: nproc, CareDesk's default)
#   BENCH_WRK_ARGS       wrk load (default: -t2 -c32 -d5s)
#   BENCH_SEARCH_CASES   cases in the search database (default: caredesk_search_bench's, see the
#                        table); each count has its own cache
#   BENCH_SEARCH_LOAD_THREADS  PostgreSQL writers while loading the search database (default 3)
#   BENCH_LOAD_CONNECTIONS  wrk connection counts of the mixed workload (default "8 64")
#   BENCH_LOAD_DURATION  each mixed-workload run (default 10s)
#   BENCH_LOAD_HISTORY_WEEKS / BENCH_LOAD_HISTORY_SCALE  the seeded history (default 52 / 10)
#   BENCH_IDLE_CONNECTIONS  idle keep-alive connections held (default 10000); the script raises
#                        its descriptor limit (soft, and hard when root) to fit them
#   CAREDESK_BENCH_DIR   where the storage benchmark writes (default: a new dir in /var/tmp, which
#                        is on disk; /tmp may be tmpfs). Must not be a memory file system.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
build="$root/build-bench"
results="$build/bench-results"
io_threads="${BENCH_IO_THREADS:-$(nproc)}"
read -r -a wrk_args <<<"${BENCH_WRK_ARGS:--t2 -c32 -d5s}"
only="${BENCH_ONLY:-}"
read -r -a load_connections <<<"${BENCH_LOAD_CONNECTIONS:-8 64}"
load_duration="${BENCH_LOAD_DURATION:-10s}"
history_weeks="${BENCH_LOAD_HISTORY_WEEKS:-52}"
history_scale="${BENCH_LOAD_HISTORY_SCALE:-10}"
idle_connections="${BENCH_IDLE_CONNECTIONS:-10000}"
readonly kServerStartSeconds=30
readonly kServerStopSeconds=15
readonly kCurlSeconds=5
readonly kLoadWrkThreads=2
readonly kLoadLogin=seogyo.counselor              # a demo counselor (src/app/demo_data.cpp)
readonly kLoadPassword='Bench-Load-2026!'         # replaces the demo's initial password
readonly kIdleHoldSeconds=30                      # the longest hold; the script ends it earlier
readonly kIdleWaitSeconds=120                     # for the client to open and answer them all
readonly kIdleServerCloseSeconds=30               # > server.header_timeout_ms (15 s)
readonly kDescriptorMargin=1024                   # descriptors besides the idle connections
readonly kEmfileLimit=256                         # RLIMIT_NOFILE of the EMFILE check's server
readonly kEmfileConnections=400                   # more than it can accept
readonly kEmfileSampleSeconds=3                   # CPU sampled at the limit
readonly kEmfileRecoverSeconds=10
readonly kSettleSeconds=10

step() { printf '\n==> %s\n' "$*" >&2; }
die() {
  printf 'bench.sh: %s\n' "$*" >&2
  exit 1
}

case "$only" in
  "" | load | screening | reports) ;;
  *) die "BENCH_ONLY must be empty (everything), 'load', 'screening' or 'reports', not '$only'" ;;
esac
for tool in cmake ninja wrk curl python3 prlimit; do
  command -v "$tool" >/dev/null || die "'$tool' is missing (make deps installs it)"
done

# --- build ------------------------------------------------------------------------------------
step "build (Release, -DCAREDESK_BENCH=ON, in build-bench/)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAREDESK_BENCH=ON >/dev/null
# Only what the benchmarks need, so a half-edited test elsewhere does not block them.
if [ "$only" = load ]; then
  cmake --build "$build" --target caredesk caredesk_idle_connections
elif [ "$only" = screening ]; then
  cmake --build "$build" --target caredesk caredesk_screening_bench
elif [ "$only" = reports ]; then
  cmake --build "$build" --target caredesk caredesk_report_bench
else
  cmake --build "$build" --target caredesk caredesk_bare_beast caredesk_http_bench \
    caredesk_storage_bench caredesk_case_bench caredesk_search_bench caredesk_triage_bench \
    caredesk_idle_connections caredesk_screening_bench caredesk_report_bench
fi

# --- scratch space and cleanup ----------------------------------------------------------------
rm -rf "$results"
mkdir -p "$results"
work=$(mktemp -d /var/tmp/caredesk-bench.XXXXXX)
# The PostgreSQL cluster runs as 'postgres' when we are root: it must be able to traverse here.
chmod 711 "$work"
storage_dir="${CAREDESK_BENCH_DIR:-$work/storage}"
case_dir="$storage_dir/case"
search_cache="$build/search-cache"
server_pid=""
idle_pid=""
seed_dir=""

# Explicit `return 0`: a bare `return` in code called from a trap returns the status of the
# command before the trap (130 after Ctrl+C), which set -e would then treat as a failure.
stop_server() {
  if [ -z "$server_pid" ]; then
    return 0
  fi
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq $((kServerStopSeconds * 10))); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

cleanup() {
  set +e  # clean up as much as possible, whatever fails
  if [ -n "$idle_pid" ]; then
    kill -KILL "$idle_pid" 2>/dev/null
    wait "$idle_pid" 2>/dev/null
  fi
  stop_server
  # Normally each benchmark stops its cluster; this covers an interrupted run. The search
  # clusters are stopped but kept (they are the cache).
  local pgdata
  for pgdata in "$storage_dir/pg/data" "$case_dir/case-pg/data" "$search_cache"/*/pg/data; do
    if [ -f "$pgdata/postmaster.pid" ]; then
      local pg_ctl
      pg_ctl=$(printf '%s\n' /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)
      local as_owner=()
      if [ "$(id -u)" -eq 0 ]; then
        as_owner=(runuser -u postgres --)
      fi
      "${as_owner[@]}" "$pg_ctl" -D "$pgdata" -m immediate -w -t 10 stop >/dev/null 2>&1
    fi
  done
  if [ -n "$seed_dir" ] && [ "$seed_dir" != "$work" ]; then
    rm -rf "$seed_dir"
  fi
  rm -rf "$work"
  if [ -n "${CAREDESK_BENCH_DIR:-}" ]; then
    rm -rf "$storage_dir/pg" "$case_dir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

# --- Google Benchmark ---------------------------------------------------------------------------
if [ -z "$only" ]; then
  step "HTTP in process and over loopback (caredesk_http_bench)"
  "$build/bench/caredesk_http_bench" --benchmark_out="$results/http.json" \
    --benchmark_out_format=json

  step "durable commits and raw fdatasync (caredesk_storage_bench, in $storage_dir)"
  CAREDESK_BENCH_DIR="$storage_dir" "$build/bench/caredesk_storage_bench" \
    --benchmark_out="$results/storage.json" --benchmark_out_format=json

  step "case creation over HTTP and case reads (caredesk_case_bench, in $case_dir)"
  CAREDESK_BENCH_DIR="$case_dir" "$build/bench/caredesk_case_bench" \
    --benchmark_out="$results/case.json" --benchmark_out_format=json

  step "search (caredesk_search_bench, database cached in ${search_cache#"$root"/})"
  CAREDESK_SEARCH_CACHE="$search_cache" BENCH_SEARCH_EXPLAIN="$results/search_plans.txt" \
    "$build/bench/caredesk_search_bench" \
    --benchmark_out="$results/search.json" --benchmark_out_format=json
fi

# --- wrk against real processes -----------------------------------------------------------------
# Starts "$@" with stdout to $1.out and stderr to $1.log; waits for the line announcing the URL.
# Sets server_pid and server_url.
start_server() {
  local name=$1
  shift
  "$@" >"$results/$name.out" 2>"$results/$name.log" &
  server_pid=$!
  server_url=""
  for _ in $(seq $((kServerStartSeconds * 10))); do
    server_url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$results/$name.out" | head -1 || true)
    if [ -n "$server_url" ]; then
      break
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$server_url" ]; then
    cat "$results/$name.out" "$results/$name.log" >&2
    die "$name did not start listening within ${kServerStartSeconds}s"
  fi
  local body
  body=$(curl -sf --max-time "$kCurlSeconds" "${server_url}healthz") ||
    die "$name: GET ${server_url}healthz failed"
  [ "$body" = '{"status":"ok"}' ] || die "$name: unexpected /healthz body: $body"
}

run_wrk() {
  local name=$1
  step "wrk ${wrk_args[*]} --latency ${server_url}healthz ($name)"
  wrk "${wrk_args[@]}" --latency "${server_url}healthz" | tee "$results/wrk_$name.txt"
}

if [ -z "$only" ]; then
  start_server bare_beast "$build/bench/caredesk_bare_beast" --address 127.0.0.1 --port 0 \
    --io-threads "$io_threads"
  run_wrk bare_beast
  stop_server

  [ -f "$work/bench.key" ] || "$build/caredesk" keygen --key-file "$work/bench.key" >/dev/null
  for level in warn info; do
    # Per-request logs go to stderr, which is a file on disk here (as under systemd/journald it
    # would be a pipe): the info run shows what one log line per request costs.
    start_server "caredesk_$level" "$build/caredesk" serve \
      --database-url "sqlite://$work/serve_$level.db" --address 127.0.0.1 --port 0 \
      --io-threads "$io_threads" --log-level "$level" --key-file "$work/bench.key"
    run_wrk "caredesk_$level"
    stop_server
  done
fi

# --- the load of a busy district ----------------------------------------------------------------
# Value of a field of /proc/PID/status ("VmRSS" -> kB), the number of open descriptors of PID, and
# its CPU time in clock ticks (utime + stime).
proc_status() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }
fd_count() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
now() { date +%s.%N; }
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# "200 0.001234" (status and seconds) of GET $1 with the extra curl arguments after it; "000 ..."
# when there is no answer within $kCurlSeconds.
probe() {
  local url=$1
  shift
  curl -s -o /dev/null --max-time "$kCurlSeconds" -w '%{http_code} %{time_total}' "$@" "$url" ||
    true
}

# Waits (at most kSettleSeconds) until PID's descriptor count stays the same for half a second.
wait_for_settled_fds() {
  local last=-1 count
  for _ in $(seq $((kSettleSeconds * 2))); do
    count=$(fd_count "$1")
    [ "$count" = "$last" ] && return 0
    last=$count
    sleep 0.5
  done
}

# Starts caredesk_idle_connections with "$@" (stdout to $1.txt, stderr to $1.log) and waits until
# it holds its connections. Sets idle_pid.
start_idle_client() {
  local name=$1
  shift
  "$build/bench/caredesk_idle_connections" "$@" >"$results/$name.txt" 2>"$results/$name.log" &
  idle_pid=$!
  for _ in $(seq $((kIdleWaitSeconds * 10))); do
    if grep -q '^holding' "$results/$name.txt"; then
      return 0
    fi
    kill -0 "$idle_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$results/$name.txt" "$results/$name.log" >&2
  die "$name: the connections were not open and answered within ${kIdleWaitSeconds}s"
}

# Lets the idle connections go and waits for the client to report and exit.
stop_idle_client() {
  kill -USR1 "$idle_pid" 2>/dev/null || true
  wait "$idle_pid" || die "caredesk_idle_connections failed (see ${results#"$root"/})"
  idle_pid=""
}

if [ -z "$only" ] || [ "$only" = load ]; then
  # The server raises its soft limit to the hard one (RaiseFileLimit in src/cli/main.cpp); both
  # it and the client need a descriptor per idle connection.
  wanted_files=$((idle_connections + kDescriptorMargin))
  if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt "$wanted_files" ]; then
    ulimit -Hn "$wanted_files" 2>/dev/null ||
      die "the hard descriptor limit $(ulimit -Hn) is below the $wanted_files needed for \
$idle_connections connections, and only root may raise it (or set BENCH_IDLE_CONNECTIONS)"
  fi
  ulimit -Sn "$(ulimit -Hn)"

  step "the load of a busy district: triage model, demo district with $history_weeks weeks x \
$history_scale of history"
  load_db="$work/load.db"
  load_key="$work/load.key"
  load_model="$work/triage.model"
  "$build/caredesk" keygen --key-file "$load_key" >/dev/null
  "$build/caredesk" triage train --data "$root/data/triage" --model "$load_model" \
    --log-level warn >"$results/load_triage_train.txt" 2>&1
  # Seeded in memory (/dev/shm) where there is one: every step of the history is a durable
  # commit, which on disk takes minutes and measures nothing of interest here. The server then
  # runs on a copy on disk (seed-demo has checkpointed its WAL into the file when it exits).
  seed_dir="$work"
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    seed_dir=$(mktemp -d /dev/shm/caredesk-bench-seed.XXXXXX)
  fi
  seed_started=$(now)
  "$build/caredesk" seed-demo --database-url "sqlite://$seed_dir/seed.db" --key-file "$load_key" \
    --triage-model-file "$load_model" --history-weeks "$history_weeks" \
    --history-scale "$history_scale" --log-level warn >"$results/load_seed.txt" \
    2>"$results/load_seed.log"
  printf 'seed seconds=%s cases=%s where=%s\n' "$(seconds_between "$seed_started" "$(now)")" \
    "$(sed -n 's/.* \([0-9]*\) new demo cases.*/\1/p' "$results/load_seed.txt")" "$seed_dir" \
    >>"$results/load_seed.txt"
  [ ! -e "$seed_dir/seed.db-wal" ] || die "seed-demo left a WAL file: the copy would be incomplete"
  cp "$seed_dir/seed.db" "$load_db"
  if [ "$seed_dir" != "$work" ]; then
    rm -rf "$seed_dir"
    seed_dir=""
  fi
  initial_password=$(sed -n "s/.*initial password '\([^']*\)'.*/\1/p" "$results/load_seed.txt")
  [ -n "$initial_password" ] || die "seed-demo did not name the demo accounts' initial password"

  # No rate limit: every request of the run comes from 127.0.0.1 (it is off by default; said
  # here so that a CAREDESK_RATE_LIMIT_PER_SECOND in the environment cannot turn it on).
  start_server caredesk_load "$build/caredesk" serve --database-url "sqlite://$load_db" \
    --address 127.0.0.1 --port 0 --io-threads "$io_threads" --log-level warn \
    --key-file "$load_key" --triage-model-file "$load_model" --rate-limit-per-second 0
  load_pid=$server_pid
  python3 "$root/bench/load_session.py" "$server_url" "$kLoadLogin" "$initial_password" \
    "$kLoadPassword" "$work" | tee "$results/load_session.txt"
  cookie=$(cat "$work/cookie")
  csrf=$(cat "$work/csrf")
  printf 'memory idle_rss_kb=%s\n' "$(proc_status "$load_pid" VmRSS)" >"$results/load_memory.txt"
  for conns in "${load_connections[@]}"; do
    threads=$((conns < kLoadWrkThreads ? conns : kLoadWrkThreads))
    step "wrk -t$threads -c$conns -d$load_duration --latency, mixed workload \
(bench/mixed_workload.lua) as $kLoadLogin"
    wrk -t"$threads" -c"$conns" -d"$load_duration" --latency -s "$root/bench/mixed_workload.lua" \
      "$server_url" -- "$cookie" "$csrf" "$work/case_ids" | tee "$results/wrk_mixed_c$conns.txt"
  done
  printf 'memory peak_rss_kb=%s rss_after_kb=%s\n' "$(proc_status "$load_pid" VmHWM)" \
    "$(proc_status "$load_pid" VmRSS)" >>"$results/load_memory.txt"

  step "$idle_connections idle keep-alive connections to the same server \
(caredesk_idle_connections)"
  port=${server_url##*:}
  port=${port%/}
  # The last requests of wrk's connections may still be finishing: wait for the count to settle.
  wait_for_settled_fds "$load_pid"
  {
    printf 'idle_server before fds=%s rss_kb=%s\n' "$(fd_count "$load_pid")" \
      "$(proc_status "$load_pid" VmRSS)"
    start_idle_client idle_client --port "$port" --connections "$idle_connections" \
      --answer-seconds "$kIdleWaitSeconds" --hold-seconds "$kIdleHoldSeconds" \
      --await-server-close-seconds "$kIdleServerCloseSeconds"
    printf 'idle_server held fds=%s rss_kb=%s\n' "$(fd_count "$load_pid")" \
      "$(proc_status "$load_pid" VmRSS)"
    printf 'idle_server healthz %s\n' "$(probe "${server_url}healthz")"
    printf 'idle_server today %s\n' "$(probe "${server_url}api/v1/work/today" -H "Cookie: $cookie")"
    stop_idle_client
    wait_for_settled_fds "$load_pid"
    printf 'idle_server after fds=%s rss_kb=%s peak_rss_kb=%s\n' "$(fd_count "$load_pid")" \
      "$(proc_status "$load_pid" VmRSS)" "$(proc_status "$load_pid" VmHWM)"
  } >"$results/idle_server.txt"
  cat "$results/idle_client.txt" "$results/idle_server.txt"
  stop_server

  step "accept at the descriptor limit: RLIMIT_NOFILE $kEmfileLimit, $kEmfileConnections \
connections"
  # prlimit sets the hard limit too, so the server cannot raise its soft limit above it.
  start_server caredesk_emfile prlimit --nofile="$kEmfileLimit:$kEmfileLimit" -- \
    "$build/caredesk" serve --database-url "sqlite://$work/emfile.db" --address 127.0.0.1 \
    --port 0 --io-threads "$io_threads" --log-level warn --key-file "$load_key" \
    --triage-model-file ""
  emfile_pid=$server_pid
  port=${server_url##*:}
  port=${port%/}
  {
    printf 'emfile start limit=%s connections=%s fds=%s\n' "$kEmfileLimit" \
      "$kEmfileConnections" "$(fd_count "$emfile_pid")"
    connecting=$(now)
    start_idle_client emfile_client --port "$port" --connections "$kEmfileConnections" \
      --answer-seconds 5 --hold-seconds "$kIdleHoldSeconds"
    ticks=$(cpu_ticks "$emfile_pid")
    started=$(now)
    sleep "$kEmfileSampleSeconds"
    printf 'emfile at_limit fds=%s seconds=%s cpu_ticks=%s ticks_per_second=%s\n' \
      "$(fd_count "$emfile_pid")" "$(seconds_between "$started" "$(now)")" \
      "$(($(cpu_ticks "$emfile_pid") - ticks))" "$(getconf CLK_TCK)"
    printf 'emfile healthz_at_limit %s\n' "$(probe "${server_url}healthz")"
    stop_idle_client
    released=$(now)
    answer="000 -"
    for _ in $(seq "$kEmfileRecoverSeconds"); do
      answer=$(probe "${server_url}healthz")
      [ "${answer%% *}" = 200 ] && break
      sleep 1
    done
    alive=no
    kill -0 "$emfile_pid" 2>/dev/null && alive=yes
    printf 'emfile after alive=%s seconds=%s healthz=%s fds=%s\n' "$alive" \
      "$(seconds_between "$released" "$(now)")" "${answer%% *}" "$(fd_count "$emfile_pid")"
    printf 'emfile log seconds_at_limit=%s accept_failed=%s accepting_again=%s\n' \
      "$(seconds_between "$connecting" "$released")" \
      "$(grep -c 'accept failed' "$results/caredesk_emfile.log" || true)" \
      "$(grep -c 'accepting connections again' "$results/caredesk_emfile.log" || true)"
  } >"$results/emfile.txt"
  cat "$results/emfile_client.txt" "$results/emfile.txt"
  grep 'accept' "$results/caredesk_emfile.log" | head -5 || true
  stop_server
fi

# --- one table (BENCH_ONLY=screening has its own only) --------------------------------------------
if [ "$only" != screening ]; then
step "results (raw output in ${results#"$root"/})"
python3 - "$results" "$io_threads" "${wrk_args[*]}" "$load_at_start" "$history_weeks" \
  "$history_scale" "$load_duration" <<'PY'
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

results, io_threads, wrk_args, load = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
history_weeks, history_scale, load_duration = sys.argv[5:8]
rows = []


def row(bench, variant, metric, value):
    rows.append((bench, variant, metric, value))


def load_bench(name):
    data = json.loads((results / name).read_text())
    by_name = {}
    for b in data["benchmarks"]:
        # "loopback/caredesk/iterations:1/manual_time" -> "loopback/caredesk"
        key = "/".join(p for p in b["name"].split("/") if ":" not in p and p != "manual_time")
        by_name[key] = b
    return data.get("context", {}), by_name


def ns_per_op(b):
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
    return b["real_time"] * scale


def check(b):
    if b.get("error_occurred"):
        return "FAILED: " + b.get("error_message", "?")
    return None


# wrk's latency ("812.00us", "1.23ms", "2.01s") in ms.
def wrk_ms(s):
    m = re.match(r"([\d.]+)(us|ms|s)", s)
    return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]


# wrk: "Requests/sec: 12345.67", "50%  1.23ms", "Non-2xx or 3xx responses: 5", "Socket errors: ..."
def wrk_row(name, label):
    text = (results / f"wrk_{name}.txt").read_text()
    rps = re.search(r"Requests/sec:\s*([\d.]+)", text)
    lat = dict(re.findall(r"^\s*(50|99)%\s+(\S+)", text, re.M))
    bench = f"HTTP /healthz via wrk {wrk_args}"
    bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    note = ""
    if bad:
        note += f" ({bad.group(1)} non-2xx!)"
    if errors:
        note += f" ({errors.group(0)})"
    row(bench, label, "req/s", f"{float(rps.group(1)):,.0f}{note}" if rps else "n/a")
    row(bench, label, "p50 latency ms", f"{wrk_ms(lat['50']):.3f}" if "50" in lat else "n/a")
    row(bench, label, "p99 latency ms", f"{wrk_ms(lat['99']):.3f}" if "99" in lat else "n/a")


# Everything but the load section ran unless BENCH_ONLY was set.
full = (results / "http.json").exists()
context = {}
load_rates = {}
if full:
    wrk_row("bare_beast", f"bare Beast ({io_threads} io threads)")
    wrk_row("caredesk_warn", f"CareDesk serve, --log-level warn ({io_threads} io threads)")
    wrk_row("caredesk_info", "CareDesk serve, --log-level info (stderr to file)")

    _, http = load_bench("http.json")
    bench = "HTTP /healthz loopback, 1 keep-alive conn, sequential"
    for key, label in (("loopback/bare_beast", "bare Beast (1 io thread)"),
                       ("loopback/caredesk", "CareDesk http::Server (1 io thread)")):
        b = http[key]
        failed = check(b)
        if failed:
            row(bench, label, "us/req", failed)
            continue
        row(bench, label, "req/s", f"{b['ops_per_s']:,.0f}")
        row(bench, label, "mean / p99 us", f"{b['mean_us']:.1f} / {b['p99_us']:.1f}")

    bench = "router+JSON in-process (/healthz)"
    bare = ns_per_op(http["inproc/bare_lambda"])
    routed = ns_per_op(http["inproc/router_json"])
    for key, label in (
        ("inproc/bare_lambda", "bare lambda, same body"),
        ("inproc/router_json", "Router::Find + handler + JsonResponse"),
    ):
        row(bench, label, "ns/op", f"{ns_per_op(http[key]):.1f}")
    row(bench, "= router+JSON overhead", "ns/op", f"{routed - bare:.1f}")
    for key, label in (
        ("inproc/router_json_metrics", "... + UTF-8 check + Metrics::Record"),
        ("inproc/router_find_only", "Router::Find alone"),
        ("inproc/json_response_only", "JsonResponse alone"),
    ):
        row(bench, label, "ns/op", f"{ns_per_op(http[key]):.1f}")

    context, storage = load_bench("storage.json")
    for key, bench, label, unit in (
        ("durable_commit/sqlite", "durable commit, 1 INSERT/tx", "SQLite (WAL, synchronous=FULL)",
         "commits/s"),
        ("durable_commit/postgresql", "durable commit, 1 INSERT/tx",
         "PostgreSQL (fsync=on, synchronous_commit=on)", "commits/s"),
        ("raw_fdatasync/inplace", "raw write 100 B + fdatasync", "same disk, in place", "syncs/s"),
        ("raw_fdatasync/append", "raw write 100 B + fdatasync", "same disk, appending", "syncs/s"),
    ):
        b = storage[key]
        failed = check(b)
        if failed:
            row(bench, label, unit, failed)
            continue
        row(bench, label, unit, f"{b['ops_per_s']:,.0f}")
        row(bench, label, "p50 / p99 ms", f"{b['p50_us'] / 1e3:.2f} / {b['p99_us'] / 1e3:.2f}")

    BACKENDS = (("sqlite", "SQLite"), ("postgresql", "PostgreSQL"))
    commit_rate = {}
    for backend, _ in BACKENDS:
        b = storage[f"durable_commit/{backend}"]
        if not check(b):
            commit_rate[backend] = b["ops_per_s"]
    # Both SQLite modes are compared with the one-fsync-per-commit rate.
    if "sqlite" in commit_rate:
        commit_rate["sqlite_full"] = commit_rate["sqlite"]
    fsync_rate = None
    if not check(storage["raw_fdatasync/inplace"]):
        fsync_rate = storage["raw_fdatasync/inplace"]["ops_per_s"]

    bench = "durable writes, 1 INSERT/tx, N threads at once"
    for variant, label in (("sqlite_full", "SQLite, one fsync per commit (FULL)"),
                           ("sqlite_group", "SQLite, group commit (default)"),
                           ("postgresql", "PostgreSQL")):
        for writers in (1, 8, 64):
            b = storage[f"durable_writes/{variant}/t{writers}"]
            name = f"{label}, {writers} thread{'s' if writers > 1 else ''}"
            failed = check(b)
            if failed:
                row(bench, name, "commits/s", failed)
                continue
            note = ""
            if fsync_rate:
                note = f" (= {b['ops_per_s'] / fsync_rate:.2f} x raw fdatasync rate)"
            row(bench, name, "commits/s", f"{b['ops_per_s']:,.0f}{note}")
            extra = ""
            if "commits_per_sync" in b:
                extra = f", {b['commits_per_sync']:.1f} commits per WAL fsync"
            row(bench, name, "p50 / p99 ms",
                f"{b['p50_us'] / 1e3:.2f} / {b['p99_us'] / 1e3:.2f}{extra}")


    def ms_pair(b):
        return f"{b['p50_us'] / 1e3:.2f} / {b['p99_us'] / 1e3:.2f}"


    case_context, case = load_bench("case.json")
    bench = "case creation over HTTP (POST /api/v1/cases)"
    for backend, name in (("sqlite", "SQLite, group commit"), ("sqlite_full", "SQLite, FULL"),
                          ("postgresql", "PostgreSQL")):
        for conns in (1, 8, 64):
            b = case[f"create_http/{backend}/c{conns}"]
            label = f"{name}, {conns} keep-alive conn{'s' if conns > 1 else ''}"
            failed = check(b)
            if failed:
                row(bench, label, "cases/s", failed)
                continue
            note = ""
            if backend in commit_rate:
                note = f" (= {b['ops_per_s'] / commit_rate[backend]:.2f} x bare commit rate)"
            if int(b.get("errors", 0)):
                note += f" ({int(b['errors'])} requests failed!)"
            row(bench, label, "cases/s", f"{b['ops_per_s']:,.0f}{note}")
            extra = ""
            if "commits_per_sync" in b:
                extra = f", {b['commits_per_sync']:.1f} commits per WAL fsync"
            row(bench, label, "p50 / p99 ms", ms_pair(b) + extra)

    bench = f"case read: GetCase, random of {int(case_context.get('read_set_cases', 0)):,} cases"
    for backend, name in BACKENDS:
        sealed, plain = case[f"read/{backend}/sodium"], case[f"read/{backend}/plaintext"]
        for b, label in ((sealed, f"{name}, libsodium sealer"),
                         (plain, f"{name}, pass-through sealer")):
            failed = check(b)
            if failed:
                row(bench, label, "reads/s", failed)
                continue
            row(bench, label, "reads/s", f"{b['ops_per_s']:,.0f}")
            row(bench, label, "p50 / p99 us", f"{b['p50_us']:.0f} / {b['p99_us']:.0f}")
        if not check(sealed) and not check(plain):
            extra = sealed["mean_us"] - plain["mean_us"]
            row(bench, f"= {name}, cost of field encryption", "us/read (mean)",
                f"{extra:+.1f} ({extra / plain['mean_us'] * 100:+.0f}%)")

    search_context, search = load_bench("search.json")
    load_rates = {}
    VARIANTS = (
        ("service", "CaseService::Search, 50 results"),
        ("candidates", "SearchCases alone, 100 candidates"),
        ("like", "no index: LIKE, newest 50"),
        ("like_count", "no index: LIKE, COUNT (full scan)"),
    )
    for backend, name in BACKENDS:
        if f"{backend}_cases" not in search_context:
            continue
        c = search_context
        cases = int(c[f"{backend}_cases"])
        bench = f"search over {cases:,} cases ({name})"
        size = int(c[f"{backend}_bytes"]) / 2**30
        row(bench, "database: postings / size on disk", "",
            f"{int(c[f'{backend}_postings']):,} / {size:.1f} GiB")
        when = ("loaded in this run" if c[f"{backend}_loaded_now"] == "yes"
                else f"cached, loaded {c[f'{backend}_loaded_at']}")
        rate = cases / float(c[f"{backend}_load_cases_s"])
        load_rates[name] = rate
        row(bench, f"loading it through CreateCase ({int(c[f'{backend}_load_threads'])} writer(s))",
            "s", f"{float(c[f'{backend}_load_s']):,.0f} = {rate:,.0f} cases/s ({when})")
        for key, b in search.items():
            parts = key.split("/")
            if parts[0] != "search" or parts[1] != backend:
                continue
            label = f"{parts[2]}: " + dict(VARIANTS)[parts[3]]
            failed = check(b)
            if failed:
                row(bench, label, "p50 / p99 ms", failed)
                continue
            row(bench, label, "p50 / p99 ms",
                f"{ms_pair(b)} ({int(b['hits'])} hits, n={int(b['ops'])})")


# --- the load section: "key=value ..." lines of bench.sh and the two clients ---------------------
def kv_lines(name, prefix):
    path = results / name
    if not path.exists():
        return []
    return [dict(re.findall(r"(\w+)=(\S*)", line)) for line in path.read_text().splitlines()
            if line.startswith(prefix)]


def kv_line(name, prefix):
    found = kv_lines(name, prefix)
    return found[0] if found else {}


def mib(kb):
    return int(kb) / 1024


def probe_text(words, no_answer="no answer!"):
    # "200 0.001234" -> "200 in 1.2 ms"; "000 ..." -> no answer
    status, seconds = (words + " -").split(" ")[:2]
    if status == "000":
        return no_answer
    note = "" if status.startswith("2") else "!"
    return f"{status}{note} in {float(seconds) * 1e3:.1f} ms"


seed = kv_line("load_seed.txt", "seed ")
session = kv_line("load_session.txt", "session ")
if seed:
    bench = "load: the demo district (SQLite)"
    cases = int(seed.get("cases") or 0)
    seconds = float(seed["seconds"])
    where = " in /dev/shm" if seed.get("where", "").startswith("/dev/shm") else ""
    row(bench, f"seed-demo, {history_weeks} weeks of history x {history_scale}", "cases / time",
        f"{cases:,} cases in {seconds:,.0f} s ({cases / seconds:,.0f} cases/s{where})")
if session:
    row(bench, f"{session['login']}'s view", "cases visible / Today items / search hits",
        f"{int(session['cases_visible']):,} / {session['today_items']} / {session['search_hits']}")

KINDS = ("today", "case", "timeline", "search", "intake")
for path in sorted(results.glob("wrk_mixed_c*.txt"), key=lambda p: int(p.stem.split("_c")[1])):
    conns = int(path.stem.split("_c")[1])
    text = path.read_text()
    kinds = {m[0]: (int(m[1]), int(m[2]), m[3]) for m in re.findall(
        r"^mixed kind=(\w+) requests=(\d+) non2xx=(\d+) first_failure=(.*)$", text, re.M)}
    threads = re.search(r"(\d+) threads and (\d+) connections", text)
    bench = f"load: mixed workload, wrk -d{load_duration} (bench/mixed_workload.lua)"
    label = f"{conns} connections" + (f", {threads.group(1)} wrk threads" if threads else "")
    rps = re.search(r"Requests/sec:\s*([\d.]+)", text)
    lat = dict(re.findall(r"^\s*(50|99)%\s+(\S+)", text, re.M))
    bad = sum(k[1] for k in kinds.values())
    note = ""
    if not kinds:
        note += " (no per-kind counts: the script failed!)"
    if bad:
        note += f" ({bad} non-2xx!)"
    if kinds.get("untagged", (0,))[0]:
        note += f" ({kinds['untagged'][0]} untagged responses!)"
    errors = re.search(r"Socket errors:.*", text)
    if errors:
        note += f" ({errors.group(0)})"
    row(bench, label, "req/s", f"{float(rps.group(1)):,.0f}{note}" if rps else "n/a")
    row(bench, label, "p50 / p99 latency ms",
        f"{wrk_ms(lat['50']):.2f} / {wrk_ms(lat['99']):.2f}" if len(lat) == 2 else "n/a")
    row(bench, label, "requests per kind",
        " / ".join(f"{k} {kinds.get(k, (0,))[0]:,}" +
                   (f" ({kinds[k][1]} non-2xx!)" if kinds.get(k, (0, 0))[1] else "")
                   for k in KINDS))
    for k, (_, failed, first) in kinds.items():
        if failed:
            row(bench, label, f"first {k} failure", first[:100])

memory = {}
for m in kv_lines("load_memory.txt", "memory "):
    memory.update(m)
if memory:
    bench = "load: server memory (CareDesk serve, SQLite)"
    row(bench, "at idle, signed in, before the mixed runs", "RSS MiB",
        f"{mib(memory['idle_rss_kb']):.1f}")
    if "peak_rss_kb" in memory:
        row(bench, "after the mixed runs", "peak RSS (VmHWM) / RSS MiB",
            f"{mib(memory['peak_rss_kb']):.1f} / {mib(memory['rss_after_kb']):.1f}")

opened = kv_line("idle_client.txt", "opened ")
if opened:
    server = {}
    for line in (results / "idle_server.txt").read_text().splitlines():
        words = line.split(" ", 2)
        server[words[1]] = words[2] if len(words) > 2 else ""
    before, held, after = (dict(re.findall(r"(\w+)=(\S*)", server.get(k, "")))
                           for k in ("before", "held", "after"))
    n = int(opened["connections"])
    bench = f"load: {n:,} idle keep-alive connections"
    note = ""
    for key in ("failed", "unanswered", "not_started"):
        if int(opened[key]):
            note += f" ({opened[key]} {key.replace('_', ' ')}!)"
    row(bench, "each sent GET /healthz once", "established / answered",
        f"{int(opened['established']):,} / {int(opened['answered']):,}{note}")
    seconds = float(opened["seconds"])
    row(bench, "each sent GET /healthz once", "time to open and answer all",
        f"{seconds:.2f} s ({int(opened['answered']) / seconds:,.0f} connections/s)")
    row(bench, "server, /proc/<pid>/fd", "descriptors before / held / after",
        f"{int(before['fds']):,} / {int(held['fds']):,} / {int(after['fds']):,}")
    grown = int(held["rss_kb"]) - int(before["rss_kb"])
    row(bench, "server, VmRSS", "RSS MiB before / held / after",
        f"{mib(before['rss_kb']):.1f} / {mib(held['rss_kb']):.1f} / {mib(after['rss_kb']):.1f} "
        f"({grown / max(1, int(opened['answered'])):.1f} KiB per connection held)")
    row(bench, "while held", "fresh GET /healthz", probe_text(server.get("healthz", "000")))
    row(bench, "while held", "signed-in GET /api/v1/work/today",
        probe_text(server.get("today", "000")))
    hold = kv_line("idle_client.txt", "held ")
    if hold:
        row(bench, "end of the hold", "still open / closed by the server",
            f"{int(hold['still_open']):,} / {int(hold['closed_by_server']):,} after "
            f"{float(hold['seconds']):.1f} s held")
    closed = kv_line("idle_client.txt", "server_close ")
    if closed:
        row(bench, "then left idle", "closed by the server (idle limit)",
            f"{int(closed['closed_by_server']):,} after {closed['idle_seconds_min']}–"
            f"{closed['max']} s idle ({int(closed['still_open'])} still open)")

emfile = {}
if (results / "emfile.txt").exists():
    for line in (results / "emfile.txt").read_text().splitlines():
        words = line.split(" ", 2)
        emfile[words[1]] = words[2] if len(words) > 2 else ""
if emfile:
    start, at_limit, after = (dict(re.findall(r"(\w+)=(\S*)", emfile.get(k, "")))
                              for k in ("start", "at_limit", "after"))
    client = kv_line("emfile_client.txt", "opened ")
    bench = (f"load: accept at RLIMIT_NOFILE {start['limit']}, "
             f"{int(start['connections']):,} connections")
    if client:
        row(bench, "at the limit", "answered / established, waiting to be accepted",
            f"{int(client['answered']):,} / "
            f"{int(client['established']) - int(client['answered']):,}"
            + (f" ({client['failed']} failed)" if int(client["failed"]) else ""))
    row(bench, "at the limit", "server descriptors before / at the limit",
        f"{start['fds']} / {at_limit['fds']}")
    seconds = float(at_limit["seconds"])
    cpu = int(at_limit["cpu_ticks"]) / int(at_limit["ticks_per_second"]) / seconds * 100
    row(bench, "at the limit", "server CPU (% of one core)", f"{cpu:.1f}%")
    row(bench, "at the limit", "fresh GET /healthz",
        probe_text(emfile.get("healthz_at_limit", "000"),
                   "no answer in 5 s (waits to be accepted)"))
    healthy = after.get("alive") == "yes" and after.get("healthz") == "200"
    row(bench, "after the connections close", "server alive / GET /healthz",
        f"{after.get('alive')} / {after.get('healthz')} within {float(after['seconds']):.1f} s"
        + ("" if healthy else " (did not recover!)"))
    logged = dict(re.findall(r"(\w+)=(\S*)", emfile.get("log", "")))
    if logged:
        row(bench, f"the whole {float(logged['seconds_at_limit']):.0f} s at the limit",
            "warnings: accept failed / accepting again",
            f"{logged['accept_failed']} / {logged['accepting_again']}")


header = ("benchmark", "backend/variant", "metric", "value")


def width(text):
    # Hangul and other wide characters take two terminal columns.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


widths = [max(width(r[i]) for r in rows + [header]) for i in range(4)]


def line(r):
    return "| " + " | ".join(c + " " * (w - width(c)) for c, w in zip(r, widths)) + " |"


print(line(header))
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in rows:
    print(line(r))
print()
print(f"host: {context.get('num_cpus', os.cpu_count())} CPUs at "
      f"{context.get('mhz_per_cpu', '?')} MHz, load average at start {load}; wrk and the servers "
      "share these CPUs.")
if full:
    print(f"disk: {context.get('filesystem', '?')} ({context.get('work_dir', '?')}); "
          f"postgresql {context.get('postgresql', '?')}; sqlite {context.get('sqlite', '?')}.")
if seed:
    print("load: one `caredesk serve` (SQLite in /var/tmp, log level warn, no rate limit, the "
          "triage model) on the seeded demo district; the demo counselor of 서교동 signed in. "
          "Weights per screen: Today 40, a case screen 30 (the case, then its timeline), search 20 "
          "(a word of the demo consultations), intake 10 (a walk-in with a new resident); every "
          "read but the timeline writes an access record (a durable commit). Intakes of the runs "
          "add to the district. The idle connections go to the same process after the runs; the "
          "server closes a keep-alive connection idle for server.header_timeout_ms (15 s).")
if full:
    print("cases: each POST is four durable write transactions (resident, its access record, case, "
          "its access record) plus reads; the bare commit rate is the storage benchmark's, from "
          "this run. Reads: the same generated cases stored through the repository with each "
          "sealer.")
    print("search: a counselor of one dong (scope: the dong or cases they are involved in); "
          "service = SearchCases for 100 candidates, GetCase + MatchesQuery until 50 match, and "
          "the access record (one durable commit); LIKE runs on bench_plain, a plaintext copy of "
          "the same texts (id, dong, summary + notes + outcome) in the same database. The loaded "
          "database is cached in build-bench/search-cache/ (BENCH_SEARCH_CASES sets the count).")
if load_rates:
    minutes = sum(1_000_000 / r for r in load_rates.values()) / 60
    print(f"search load: 1,000,000 cases at these rates would take ~{minutes:,.0f} min "
          f"({' + '.join(load_rates)}, one after the other; more once the indexes outgrow memory).")
if context.get("library_build_type") == "debug":
    print("note: Debian's libbenchmark reports itself as a debug build; it only affects the "
          "harness, not the code measured (built Release).")
PY
fi

# --- the blind-spot screening at district scale (its own table) -------------------------------
if [ -z "$only" ] || [ "$only" = screening ]; then
  screening_households="${BENCH_SCREENING_HOUSEHOLDS:-1000000}"
  step "screening: simulate $screening_households households"
  "$build/caredesk" screen simulate --households "$screening_households" --seed 2026 \
    --out-dir "$work/screening" | tee "$results/screening_simulate.txt"
  step "screening: read, import, score and run on SQLite and PostgreSQL"
  "$build/bench/caredesk_screening_bench" --households "$work/screening/households.csv" \
    --indicators "$work/screening/indicators.csv" --work "$storage_dir/screening" |
    tee "$results/screening.txt"
  rm -rf "$work/screening" "$storage_dir/screening"
fi

# --- the monthly report set at district scale (its own table) ---------------------------------
if [ -z "$only" ] || [ "$only" = reports ]; then
  step "reports: ${BENCH_REPORT_CASES:-1000000} cases, the monthly set on SQLite and PostgreSQL"
  "$build/bench/caredesk_report_bench" --cases "${BENCH_REPORT_CASES:-1000000}" \
    --work "$storage_dir/reports" | tee "$results/reports.txt"
  rm -rf "$storage_dir/reports"
fi

# --- the triage classifier against fastText (its own table) -----------------------------------
if [ -z "$only" ]; then
  bash "$root/scripts/bench_triage.sh" "$build" "$results"
fi
