#!/usr/bin/env bash
# caredesk screen simulate | import | run as an operator uses them, on SQLite:
# deterministic files, bad rows reported with file, line and reason and skipped,
# a broken file importing nothing, CP949 files, idempotent re-imports, dry runs,
# and the outreach lists in --out. Usage: screening_cli_test.sh path/to/caredesk
set -uo pipefail
bin="$1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db_file="$dir/screen.db"
db="sqlite://$db_file"
export CAREDESK_KEY_FILE="$dir/screen.key"
export CAREDESK_LOG_LEVEL=error
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
count() { sqlite3 "$db_file" "$1"; }

"$bin" keygen >/dev/null
"$bin" seed-demo --database-url "$db" >/dev/null

# Simulate: the same seed writes the same files.
out=$("$bin" screen simulate --households 3000 --seed 9 --out-dir "$dir/a" --as-of 2026-11-30)
check "simulate reports what it wrote" grep -q "simulated 3000 households" <<<"$out"
"$bin" screen simulate --households 3000 --seed 9 --out-dir "$dir/b" --as-of 2026-11-30 >/dev/null
check "the same seed writes the same households" cmp -s "$dir/a/households.csv" "$dir/b/households.csv"
check "the same seed writes the same indicators" cmp -s "$dir/a/indicators.csv" "$dir/b/indicators.csv"
check "truth.csv has a row per household" test "$(wc -l <"$dir/a/truth.csv")" -eq 3001
check "the households header is the agencies' format" test "$(head -1 "$dir/a/households.csv")" = \
  "household_id,dong,head_birth_year,members,living_alone,disability,housing_type"

# Import.
out=$("$bin" screen import --households "$dir/a/households.csv" --indicators "$dir/a/indicators.csv" \
  --database-url "$db" 2>&1)
check "import stores every household" grep -q "imported: 3000 households" <<<"$out"
signals=$(count "SELECT COUNT(*) FROM screening_signals")
check "import stores the indicator rows" test "$signals" -gt 6000
out=$("$bin" screen import --households "$dir/a/households.csv" --indicators "$dir/a/indicators.csv" \
  --database-url "$db" 2>&1)
check "a batch imported twice is stored once" test "$(count "SELECT COUNT(*) FROM screening_signals")" -eq "$signals"
check "both imports are recorded" test "$(count "SELECT COUNT(*) FROM screening_imports")" -eq 2

# Bad rows: reported with file, line and reason, skipped; the good rows are stored.
cat >"$dir/h.csv" <<'EOF'
household_id,dong,head_birth_year,members,living_alone,disability,housing_type
X1,서교동,1950,1,1,0,semi_basement
X2,없는동,1950,1,1,0,apartment
X3,서교,1960,3,1,0,apartment
X4,망원1동,1960,2,0,0,castle
X1,서교동,1951,1,1,0,apartment
X5,"망원1동",1940,2,0,1,gosiwon
EOF
cat >"$dir/i.csv" <<'EOF'
household_id,indicator,months,amount_krw,reported_on
X1,rent_arrears,2,600000,2026-11-01
X1,moon_phase,1,0,2026-11-01
NOPE,gas_arrears,1,0,2026-11-01
X5,gas_arrears,1,0,2099-01-01
X5,electricity_arrears,1,,2026-11-03
X5,job_loss,x,0,2026-11-03
EOF
out=$("$bin" screen import --households "$dir/h.csv" --indicators "$dir/i.csv" --database-url "$db" 2>&1)
check "bad rows do not stop the import" grep -q "imported: 2 households, 2 indicator rows, 8 bad rows skipped" <<<"$out"
check "an unknown dong is reported with its line" grep -q "h.csv:3: 이 구에 \"없는동\" 동이 없습니다" <<<"$out"
check "living alone with 3 members is reported" grep -q "h.csv:4:.*1인 가구는 가구원이 1명입니다" <<<"$out"
check "an unknown housing type is reported" grep -q "h.csv:5:.*housing_type" <<<"$out"
check "a repeated household is reported" grep -q "h.csv:6:.*X1" <<<"$out"
check "an unknown indicator is reported" grep -q "i.csv:3:.*moon_phase" <<<"$out"
check "a household in neither file is reported" grep -q "i.csv:4:.*NOPE" <<<"$out"
check "a future date is reported" grep -q "i.csv:5:.*미래" <<<"$out"
check "a bad number is reported" grep -q "i.csv:7:.*months" <<<"$out"
check "the first X1 row is the one kept" test "$(count "SELECT housing_type FROM screening_households WHERE household_id = 'X1'")" = semi_basement

# A broken file imports nothing at all.
before=$(count "SELECT COUNT(*) FROM screening_households")
printf 'household_id,dong\nY1,서교동\n' >"$dir/broken.csv"
out=$("$bin" screen import --households "$dir/broken.csv" --indicators "$dir/i.csv" --database-url "$db" 2>&1)
code=$?
check "a file without the columns fails" test "$code" -eq 1
check "it says which column is missing" grep -q "head_birth_year" <<<"$out"
check "it says nothing was imported" grep -q "nothing was imported" <<<"$out"
check "a failed import leaves nothing" test "$(count "SELECT COUNT(*) FROM screening_households")" -eq "$before"
out=$("$bin" screen import --households "$dir/missing.csv" --indicators "$dir/i.csv" --database-url "$db" 2>&1)
check "a missing file fails" test $? -eq 1

# CP949 files from older systems.
printf 'household_id,dong,head_birth_year,members,living_alone,disability,housing_type\nK1,연남동,1948,1,1,0,rooftop\n' |
  iconv -f UTF-8 -t CP949 >"$dir/h949.csv"
printf 'household_id,indicator,months,amount_krw,reported_on\nK1,water_arrears,1,30000,2026-11-02\n' >"$dir/i949.csv"
out=$("$bin" screen import --households "$dir/h949.csv" --indicators "$dir/i949.csv" --database-url "$db" 2>&1)
check "CP949 without --encoding is reported as not UTF-8" grep -q "cp949" <<<"$out"
out=$("$bin" screen import --households "$dir/h949.csv" --indicators "$dir/i949.csv" --encoding cp949 \
  --database-url "$db" 2>&1)
check "CP949 with --encoding cp949 imports" grep -q "imported: 1 households, 1 indicator rows, 0 bad" <<<"$out"
check "the Korean dong name came through" test "$(count "SELECT d.name FROM screening_households h JOIN dongs d ON d.id = h.dong_id WHERE h.household_id = 'K1'")" = 연남동

# A dry run checks and stores nothing.
before=$(count "SELECT COUNT(*) FROM screening_imports")
out=$("$bin" screen import --households "$dir/h.csv" --indicators "$dir/i.csv" --dry-run --database-url "$db" 2>&1)
check "a dry run reports the counts" grep -q "checked (dry run, nothing stored): 2 households" <<<"$out"
check "a dry run records no import" test "$(count "SELECT COUNT(*) FROM screening_imports")" -eq "$before"

# Run: each dong's outreach list, the cases, --out.
out=$("$bin" screen run --capacity-per-dong 5 --as seogyo.counselor --database-url "$db" 2>&1)
check "a counselor may not run the screening" test $? -eq 1
out=$("$bin" screen run --capacity-per-dong 5 --as district.supervisor --dry-run --database-url "$db" 2>&1)
check "a dry run opens no case" grep -q "0 outreach cases opened" <<<"$out"
check "a dry run stores no run" test "$(count "SELECT COUNT(*) FROM screening_runs")" -eq 0
out=$("$bin" screen run --capacity-per-dong 5 --as district.supervisor --out "$dir/out.csv" \
  --database-url "$db" 2>&1)
check "the run opens 5 cases in each of the 16 dongs" grep -q "80 outreach cases opened" <<<"$out"
check "the run is stored" test "$(count "SELECT COUNT(*) FROM screening_runs")" -eq 1
check "--out has the agreed header" test "$(head -1 "$dir/out.csv")" = "household_id,dong,rank,score,reasons"
check "--out lists every listed household" test "$(($(wc -l <"$dir/out.csv") - 1))" -eq 80
check "--out gives the reasons" grep -q "서로 다른 위기 영역" "$dir/out.csv"
check "the cases are outreach cases" test "$(count "SELECT COUNT(*) FROM cases WHERE channel = 'outreach'")" -eq 80
out=$("$bin" screen run --capacity-per-dong 5 --as district.supervisor --database-url "$db" 2>&1)
check "a second run opens no second case for a household" test "$(count "SELECT COUNT(*) FROM (SELECT household_id FROM screening_flags WHERE case_id IS NOT NULL AND state <> 'under_management' GROUP BY household_id HAVING COUNT(*) > 1) t")" -eq 0
check "it shows them under management" test "$(count "SELECT COUNT(*) FROM screening_flags WHERE state = 'under_management'")" -gt 0
out=$("$bin" screen run --capacity-per-dong 0 --as district.supervisor --database-url "$db" 2>&1)
check "capacity 0 is refused" test $? -ne 0

echo "screening cli: $passed passed, $failed failed"
test "$failed" -eq 0
