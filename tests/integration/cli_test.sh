#!/usr/bin/env bash
# The caredesk binary as an operator uses it. Usage: cli_test.sh path/to/caredesk
set -uo pipefail
bin="$1"
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; rm -rf "$dir"' EXIT
db="sqlite://$dir/cli.db"
export CAREDESK_KEY_FILE="$dir/cli.key"
passed=0
failed=0
check() {  # check NAME COMMAND...
  local name="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "FAILED: $name"
    failed=$((failed + 1))
  fi
}

out=$("$bin" migrate --database-url "$db" --log-level warn)
check "first migrate applies migrations" grep -q "0 -> " <<<"$out"
out=$("$bin" migrate --database-url "$db" --log-level warn)
check "second migrate applies nothing" grep -q "(0 migrations applied)" <<<"$out"

out=$("$bin" keygen)
check "keygen writes the key file" test -f "$CAREDESK_KEY_FILE"
check "the key file is private (0600)" test "$(stat -c %a "$CAREDESK_KEY_FILE")" = 600
"$bin" keygen >/dev/null 2>&1
check "keygen refuses to overwrite a key file" test $? -ne 0

out=$("$bin" seed-demo --database-url "$db" --log-level warn)
check "seed-demo creates 16 dongs" grep -q "16 dongs" <<<"$out"
check "seed-demo prints the demo logins" grep -q "seogyo.counselor" <<<"$out"
out=$("$bin" seed-demo --database-url "$db" --log-level warn)
check "seed-demo is idempotent" grep -q "(0 new)" <<<"$out"
check "seed-demo adds demo cases once" grep -q " 0 new demo cases" <<<"$out"
hist_db="sqlite://$dir/history.db"
out=$("$bin" seed-demo --database-url "$hist_db" --history-weeks 6 --log-level warn)
hist_cases=$(sed -n 's/.* \([0-9]*\) new demo cases.*/\1/p' <<<"$out")
check "seed-demo --history-weeks adds past cases to the eight" test "${hist_cases:-0}" -gt 20
check "the history leaves the access records intact" \
  "$bin" audit verify --database-url "$hist_db" --log-level warn
"$bin" seed-demo --database-url "$hist_db" --history-weeks 99 --log-level warn >/dev/null 2>&1
check "seed-demo refuses more than 52 weeks of history" test $? -ne 0
# Two weeks at three times the demo's 3-8 cases a week: at least 2 x 3 x 3 past cases.
out=$("$bin" seed-demo --database-url "sqlite://$dir/busy.db" --history-weeks 2 --history-scale 3 \
  --log-level warn)
busy_cases=$(sed -n 's/.* \([0-9]*\) new demo cases.*/\1/p' <<<"$out")
check "seed-demo --history-scale makes a busier history" test "${busy_cases:-0}" -ge $((18 + 8))

# Key rotation: a new seal key, every data key re-sealed under it, nothing left behind.
out=$("$bin" rotate-key --database-url "$db" --log-level warn)
check "rotate-key adds seal key 2" grep -q "added seal key 2" <<<"$out"
check "rotate-key re-seals the demo data keys" grep -Eq "re-sealed under key 2: [1-9][0-9]* data keys" <<<"$out"
check "rotate-key leaves nothing under older keys" grep -q " 0 still under older keys" <<<"$out"
out=$("$bin" rotate-key --reseal-only --database-url "$db" --log-level warn)
check "rotate-key --reseal-only has nothing left to do" grep -q "key 2: 0 data keys" <<<"$out"

help=$("$bin" serve --help)
for opt in --port --database-url CAREDESK_DATABASE_URL --max-body-bytes --header-timeout-ms \
           --database-password-file --key-file --config; do
  check "serve --help documents $opt" grep -q -- "$opt" <<<"$help"
done

"$bin" serve --database-url "mysql://nope" >/dev/null 2>"$dir/err"
check "a bad database URL exits with code 2" test $? -eq 2
check "a bad database URL is explained in Korean" grep -q "데이터베이스 주소" "$dir/err"

printf '[server]\nport = 1\n[databse]\nurl = "x"\n' >"$dir/bad.toml"
"$bin" serve --config "$dir/bad.toml" >/dev/null 2>"$dir/err"
check "an unknown config key is refused" grep -q "unknown option 'databse.url'" "$dir/err"

# Precedence: file < environment < flag.
printf '[server]\nport = 1\naddress = "127.0.0.1"\n[database]\nurl = "%s"\n[log]\nlevel = "warn"\n' "$db" >"$dir/ok.toml"
CAREDESK_PORT=2 "$bin" serve --config "$dir/ok.toml" --port 0 >"$dir/out" 2>"$dir/log" &
server=$!
for _ in $(seq 1 100); do
  grep -q "http://" "$dir/out" 2>/dev/null && break
  sleep 0.1
done
port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$dir/out")
check "serve starts on the flag's port (0 = free port), not the file's or env's" test -n "$port" -a "$port" != 1 -a "$port" != 2
check "healthz answers" curl -sf "http://127.0.0.1:$port/healthz" -o /dev/null
check "the API needs a session" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/agencies")" = 401
login=$(curl -s -i -X POST -H 'Content-Type: application/json' \
  -d '{"login": "admin", "password": "Demo-2026!care"}' "http://127.0.0.1:$port/api/v1/auth/login")
check "a demo account signs in" grep -q "caredesk_session=" <<<"$login"
out=$("$bin" audit verify --database-url "$db" --log-level warn)
check "audit verify finds the chain intact" grep -q "intact" <<<"$out"
kill -TERM "$server"
wait "$server"
code=$?
check "SIGTERM stops the server with exit code 0" test "$code" -eq 0
check "the log has no request lines at warn level" bash -c "! grep -q 'request method=' '$dir/log'"

# Backup while nothing runs, restore into a new file: the same cases, an intact chain.
out=$("$bin" backup --database-url "$db" --output "$dir/cli.backup" --log-level warn)
check "backup writes the file and counts what it holds" grep -q "cases 8" <<<"$out"
check "backup reminds that the key file is not in it" grep -q "key file is not in it" <<<"$out"
"$bin" backup --database-url "$db" --output "$dir/cli.backup" --log-level warn >/dev/null 2>&1
check "backup never overwrites a file" test $? -ne 0
out=$("$bin" restore --database-url "sqlite://$dir/restored.db" --input "$dir/cli.backup" --log-level warn)
check "restore into a new database" grep -q "cases 8" <<<"$out"
out=$("$bin" audit verify --database-url "sqlite://$dir/restored.db" --log-level warn)
check "the restored access records are intact" grep -q "intact" <<<"$out"
"$bin" restore --database-url "$db" --input "$dir/cli.backup" --log-level warn >"$dir/restore" 2>&1
check "restore refuses a database that is not empty" test $? -ne 0
check "restore says to use --replace" grep -q -- "--replace" "$dir/restore"

# Tampering with one access record is detected.
sqlite3 "$dir/cli.db" "UPDATE access_records SET ip = '10.9.9.9' WHERE id = 1"
"$bin" audit verify --database-url "$db" --log-level warn >"$dir/verify" 2>&1
check "audit verify fails on an edited record" test $? -ne 0
check "audit verify names the record" grep -q "TAMPERED at record 1" "$dir/verify"

echo "cli_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
