#!/usr/bin/env bash
# `caredesk report run` as an operator uses it, and the files it writes opened by real
# programs: the XLSX by LibreOffice (converted to CSV, it must hold the same cells as the
# CSV export), the iCalendar feed by python3-icalendar. Usage: report_files_test.sh caredesk
set -uo pipefail
bin="$1"
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; rm -rf "$dir"' EXIT
db="sqlite://$dir/reports.db"
export CAREDESK_KEY_FILE="$dir/reports.key"
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

"$bin" keygen >/dev/null
"$bin" seed-demo --database-url "$db" --history-weeks 10 --log-level error >/dev/null
to=$(date -u +%Y-%m-%d)
from=$(date -u -d "-70 days" +%Y-%m-%d)

for kind in intake summary follow_ups referrals; do
  out=$("$bin" report run "$kind" --from "$from" --to "$to" --format xlsx -o "$dir/$kind.xlsx" \
    --database-url "$db" --log-level error)
  check "report run $kind writes an xlsx" test -s "$dir/$kind.xlsx"
  "$bin" report run "$kind" --from "$from" --to "$to" --format csv -o "$dir/$kind.csv" \
    --database-url "$db" --log-level error >/dev/null
  check "the $kind csv starts with the UTF-8 BOM" \
    test "$(head -c 3 "$dir/$kind.csv" | od -An -tx1 | tr -d ' ')" = "efbbbf"
  # LibreOffice: UTF-8 (76), comma (44), double quotes (34), from the first row.
  (cd "$dir" && HOME="$dir" soffice -env:UserInstallation="file://$dir/lo" --headless \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir "$dir/lo-out" \
    "$dir/$kind.xlsx" >/dev/null 2>&1)
  check "LibreOffice opens the $kind xlsx" test -s "$dir/lo-out/$kind.csv"
  # The same cells: LibreOffice quotes every text cell and pads rows with empty cells.
  normal() { sed -e '1s/^\xEF\xBB\xBF//' -e 's/\r$//' -e 's/"//g' -e 's/,*$//' "$1"; }
  if ! diff <(normal "$dir/$kind.csv") <(normal "$dir/lo-out/$kind.csv") >"$dir/$kind.diff"; then
    head -20 "$dir/$kind.diff"
    check "the $kind xlsx holds the csv's numbers" false
  else
    check "the $kind xlsx holds the csv's numbers" true
  fi
done
check "report run names the tables it wrote" grep -q "tables" <<<"$out"
rows=$(grep -c '' "$dir/intake.csv")
check "the intake csv has its tables" test "$rows" -gt 20
check "the intake csv names the period" grep -q "기간,$from ~ $to" "$dir/intake.csv"

"$bin" report run intake --from "$from" --to "$to" --scope dong:서교동 --format json \
  -o "$dir/seogyo.json" --database-url "$db" --log-level error >/dev/null
check "--scope dong: narrows to the dong" python3 -c "
import json,sys; r=json.load(open('$dir/seogyo.json')); sys.exit(0 if r['scope']['dong_id'] else 1)"
"$bin" report run nope --from "$from" --to "$to" -o "$dir/x" --database-url "$db" \
  --log-level error >/dev/null 2>&1
check "an unknown report name is a usage error (2)" test $? -eq 2
"$bin" report run intake --from "$to" --to "$from" -o "$dir/x" --database-url "$db" \
  --log-level error >"$dir/reversed.out" 2>&1
check "a reversed period is refused with the reason" grep -q "기간의 끝이 시작보다" "$dir/reversed.out"

# The iCalendar feed, parsed by python3-icalendar: sign in, create the secret feed, fetch it.
port=$((20000 + RANDOM % 20000))
"$bin" serve --database-url "$db" --port "$port" --log-level error >"$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.2
done
login=$(curl -fs -c "$dir/jar" -H 'Content-Type: application/json' \
  -d '{"login":"seogyo.counselor","password":"Demo-2026!care"}' \
  "http://127.0.0.1:$port/api/v1/auth/login")
csrf=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['csrf_token'])" "$login" 2>/dev/null)
if python3 -c "import json,sys; sys.exit(0 if json.loads(sys.argv[1])['must_change_password'] else 1)" "$login" 2>/dev/null; then
  curl -fs -b "$dir/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d '{"current_password":"Demo-2026!care","new_password":"Report-Test-2026!x"}' \
    "http://127.0.0.1:$port/api/v1/auth/password" >/dev/null
fi
feed=$(curl -fs -b "$dir/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d '{}' \
  "http://127.0.0.1:$port/api/v1/auth/me/calendar-feed")
path=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['path'])" "$feed" 2>/dev/null)
check "a calendar feed is made" test -n "$path"
curl -fs "http://127.0.0.1:$port$path" -o "$dir/feed.ics"
# Debian's python3 (python3-icalendar), not another one first on the PATH.
check "python3-icalendar parses the feed and finds events" /usr/bin/python3 - "$dir/feed.ics" <<'PY'
import sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
events = [c for c in cal.walk('VEVENT')]
assert cal['VERSION'] == '2.0', cal.get('VERSION')
assert events, 'no events'
for e in events:
    assert e.get('UID') and e.get('DTSTART') and e.get('SUMMARY'), e
    assert '2026-' in str(e['SUMMARY']) or '-' in str(e['SUMMARY'])
PY

echo "report files: $passed passed, $failed failed"
test "$failed" -eq 0
