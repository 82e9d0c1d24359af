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
#   * The triage classifier against fastText on the same split of data/triage
#     (scripts/bench_triage.sh, its own table after the main one): accuracy, training time,
#     throughput, latency, model size.
#
# Everything listens on 127.0.0.1 only; every wait is bounded. About five minutes plus build
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
#   BENCH_IO_THREADS     I/O threads for both HTTP servers (default: nproc, CareDesk's default)
#   BENCH_WRK_ARGS       wrk load (default: -t2 -c32 -d5s)
#   BENCH_SEARCH_CASES   cases in the search database (default: caredesk_search_bench's, see the
#                        table); each count has its own cache
#   BENCH_SEARCH_LOAD_THREADS  PostgreSQL writers while loading the search database (default 3)
#   CAREDESK_BENCH_DIR   where the storage benchmark writes (default: a new dir in /var/tmp, which
#                        is on disk; /tmp may be tmpfs). Must not be a memory file system.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
build="$root/build-bench"
results="$build/bench-results"
io_threads="${BENCH_IO_THREADS:-$(nproc)}"
read -r -a wrk_args <<<"${BENCH_WRK_ARGS:--t2 -c32 -d5s}"
readonly kServerStartSeconds=30
readonly kServerStopSeconds=15
readonly kCurlSeconds=5

step() { printf '\n==> %s\n' "$*" >&2; }
die() {
  printf 'bench.sh: %s\n' "$*" >&2
  exit 1
}

for tool in cmake ninja wrk curl python3; do
  command -v "$tool" >/dev/null || die "'$tool' is missing (make deps installs it)"
done

# --- build ------------------------------------------------------------------------------------
step "build (Release, -DCAREDESK_BENCH=ON, in build-bench/)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAREDESK_BENCH=ON >/dev/null
# Only what the benchmarks need, so a half-edited test elsewhere does not block them.
cmake --build "$build" --target caredesk caredesk_bare_beast caredesk_http_bench \
  caredesk_storage_bench caredesk_case_bench caredesk_search_bench caredesk_triage_bench

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
  rm -rf "$work"
  if [ -n "${CAREDESK_BENCH_DIR:-}" ]; then
    rm -rf "$storage_dir/pg" "$case_dir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

# --- Google Benchmark ---------------------------------------------------------------------------
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

# --- one table ----------------------------------------------------------------------------------
step "results (raw output in ${results#"$root"/})"
python3 - "$results" "$io_threads" "${wrk_args[*]}" "$load_at_start" <<'PY'
import json
import re
import sys
import unicodedata
from pathlib import Path

results, io_threads, wrk_args, load = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
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


# wrk: "Requests/sec: 12345.67", "50%  1.23ms", "Non-2xx or 3xx responses: 5", "Socket errors: ..."
def wrk_row(name, label):
    text = (results / f"wrk_{name}.txt").read_text()

    def ms(s):
        m = re.match(r"([\d.]+)(us|ms|s)", s)
        return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]

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
    row(bench, label, "p50 latency ms", f"{ms(lat['50']):.3f}" if "50" in lat else "n/a")
    row(bench, label, "p99 latency ms", f"{ms(lat['99']):.3f}" if "99" in lat else "n/a")


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
        row(bench, name, "p50 / p99 ms", f"{b['p50_us'] / 1e3:.2f} / {b['p99_us'] / 1e3:.2f}{extra}")


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
    for b, label in ((sealed, f"{name}, libsodium sealer"), (plain, f"{name}, pass-through sealer")):
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
        row(bench, label, "p50 / p99 ms", f"{ms_pair(b)} ({int(b['hits'])} hits, n={int(b['ops'])})")

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
print(f"host: {context.get('num_cpus', '?')} CPUs at {context.get('mhz_per_cpu', '?')} MHz, "
      f"load average at start {load}; wrk and the servers share these CPUs.")
print(f"disk: {context.get('filesystem', '?')} ({context.get('work_dir', '?')}); "
      f"postgresql {context.get('postgresql', '?')}; sqlite {context.get('sqlite', '?')}.")
print("cases: each POST is four durable write transactions (resident, its access record, case, its "
      "access record) plus reads; the bare commit rate is the storage benchmark's, from this run. "
      "Reads: the same generated cases stored through the repository with each sealer.")
print("search: a counselor of one dong (scope: the dong or cases they are involved in); service = "
      "SearchCases for 100 candidates, GetCase + MatchesQuery until 50 match, and the access "
      "record (one durable commit); LIKE runs on bench_plain, a plaintext copy of the same texts "
      "(id, dong, summary + notes + outcome) in the same database. The loaded database is cached "
      "in build-bench/search-cache/ (BENCH_SEARCH_CASES sets the count).")
if load_rates:
    minutes = sum(1_000_000 / r for r in load_rates.values()) / 60
    print(f"search load: 1,000,000 cases at these rates would take ~{minutes:,.0f} min "
          f"({' + '.join(load_rates)}, one after the other; more once the indexes outgrow memory).")
if context.get("library_build_type") == "debug":
    print("note: Debian's libbenchmark reports itself as a debug build; it only affects the "
          "harness, not the code measured (built Release).")
PY

# --- the triage classifier against fastText (its own table) -----------------------------------
bash "$root/scripts/bench_triage.sh" "$build" "$results"
