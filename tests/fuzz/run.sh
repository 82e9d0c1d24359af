#!/usr/bin/env bash
# Runs the libFuzzer harnesses of tests/fuzz.
#
#   run.sh check NAME BINARY CORPUS WORK MAX_LEN DICT RUNS
#       What ctest runs (`make test-fuzz`): replays the committed CORPUS, then RUNS mutations
#       with -seed=1. New inputs go to WORK/new (emptied first), never into CORPUS; a crash
#       input to WORK/artifacts/. Fails when the harness finds a crash.
#   run.sh all BUILD_DIR SECONDS
#       What `make fuzz` runs: every harness of BUILD_DIR/fuzzers.txt for SECONDS each on a
#       scratch corpus BUILD_DIR/fuzz/NAME/corpus (seeded from the committed one, kept between
#       runs), then a table of runs, exec/s, coverage and crashes. Fails when any crashed.
set -uo pipefail

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

# The app_requests harness keeps its SQLite database here: tmpfs when there is one, and removed
# even when the harness dies of a crash.
scratch_dir() {
  mktemp -d /dev/shm/caredesk-fuzz.XXXXXX 2>/dev/null || mktemp -d
}

# Prints "runs exec/s cov ft corpus" from a libFuzzer log.
stats() {
  local log=$1
  local runs execs cov ft corp
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  local last
  last=$(grep -E '^#[0-9]+' "$log" | grep ' cov: ' | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
  echo "${runs:-?} ${execs:-?} ${cov:-?} ${ft:-?} ${corp:-?}"
}

mode=${1:-}
case "$mode" in
  check)
    name=$2 binary=$3 corpus=$4 work=$5 max_len=$6 dict=$7 runs=$8
    rm -rf "$work/new"
    mkdir -p "$work/new" "$work/artifacts"
    tmp=$(scratch_dir)
    trap 'rm -rf "$tmp"' EXIT
    args=(-runs="$runs" -seed=1 -max_len="$max_len" -timeout=30 -print_final_stats=1
          -artifact_prefix="$work/artifacts/")
    if [ -n "$dict" ]; then
      args+=(-dict="$dict")
    fi
    CAREDESK_FUZZ_TMPDIR=$tmp "$binary" "${args[@]}" "$work/new" "$corpus" >"$work/check.log" 2>&1
    status=$?
    if [ $status -ne 0 ]; then
      cat "$work/check.log"
      echo "fuzz_$name: the harness failed (exit $status); the input is in $work/artifacts/"
      exit 1
    fi
    read -r r e c f n <<<"$(stats "$work/check.log")"
    echo "fuzz_$name: $r runs, $e exec/s, cov $c, ft $f, corpus $n"
    ;;
  all)
    build=$2 seconds=$3
    list="$build/fuzzers.txt"
    [ -f "$list" ] || { echo "no $list: build the fuzz build first" >&2; exit 2; }
    summary=()
    failed=0
    while read -r name binary corpus max_len dict; do
      [ -n "$name" ] || continue
      work="$build/fuzz/$name"
      mkdir -p "$work/corpus" "$work/artifacts"
      cp -n "$corpus"/* "$work/corpus/" 2>/dev/null || true
      stamp="$work/.started"
      touch "$stamp"
      tmp=$(scratch_dir)
      args=(-max_total_time="$seconds" -max_len="$max_len" -timeout=30 -print_final_stats=1
            -artifact_prefix="$work/artifacts/")
      if [ -n "$dict" ]; then
        args+=(-dict="$dict")
      fi
      echo "== $name: ${seconds}s (log: $work/fuzz.log)"
      CAREDESK_FUZZ_TMPDIR=$tmp "$binary" "${args[@]}" "$work/corpus" >"$work/fuzz.log" 2>&1
      status=$?
      rm -rf "$tmp"
      crashes=$(find "$work/artifacts" -type f -newer "$stamp" | wc -l)
      if [ $status -ne 0 ] || [ "$crashes" -ne 0 ]; then
        failed=1
        grep -E '^(\*\*\*|==[0-9]+==ERROR|SUMMARY)' "$work/fuzz.log" | head -5
        find "$work/artifacts" -type f -newer "$stamp" | sed 's/^/   crash input: /'
      fi
      summary+=("$name $(stats "$work/fuzz.log") $crashes")
    done <"$list"
    echo
    printf '%-14s %10s %8s %7s %8s %7s %8s\n' harness runs exec/s cov ft corpus crashes
    for line in "${summary[@]}"; do
      # shellcheck disable=SC2086
      printf '%-14s %10s %8s %7s %8s %7s %8s\n' $line
    done
    exit $failed
    ;;
  *)
    echo "usage: run.sh check NAME BINARY CORPUS WORK MAX_LEN DICT RUNS | run.sh all BUILD SECONDS" >&2
    exit 2
    ;;
esac
