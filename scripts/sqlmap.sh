#!/usr/bin/env bash
# SQL-injection scan of the CareDesk API with sqlmap, against a throwaway server on 127.0.0.1.
#
#   bash scripts/sqlmap.sh
#
# Installs sqlmap (Debian package) if missing, builds build/caredesk if missing, seeds the demo
# district into a SQLite database in a temporary directory, serves it on a free loopback port,
# signs in as admin (changing the initial password) and runs sqlmap in batch mode against every
# route listed in routes() below, one sqlmap run per route. Case routes run as the demo
# counselor of 서교동 (admins never see cases). Prints one table and exits
#   0  nothing injectable,
#   1  sqlmap reported an injectable parameter,
#   2  the scan is incomplete (setup failed, a baseline request failed, sqlmap errored or timed out).
# The server is stopped and the temporary directory removed on exit.
#
# Environment:
#   SQLMAP_LEVEL, SQLMAP_RISK   sqlmap --level / --risk (default 3 / 2)
#   SQLMAP_DBMS                 sqlmap --dbms (default SQLite, the scanned backend; empty = every
#                               DBMS, about 7x the requests)
#   SQLMAP_ROUTE_TIMEOUT        seconds one route may take (default 300)
#   SQLMAP_TOTAL_TIMEOUT        seconds all routes together may take (default 2400)
#   SQLMAP_VERBOSE=1            stream sqlmap's output instead of keeping it in per-route logs
#   SQLMAP_KEEP=1               keep the temporary directory (sqlmap logs and output) on exit
#   CAREDESK_BIN                the binary to scan (default build/caredesk, built if missing)
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
bin="${CAREDESK_BIN:-$root/build/caredesk}"
level="${SQLMAP_LEVEL:-3}"
risk="${SQLMAP_RISK:-2}"
dbms="${SQLMAP_DBMS-SQLite}"
route_timeout="${SQLMAP_ROUTE_TIMEOUT:-300}"
total_timeout="${SQLMAP_TOTAL_TIMEOUT:-2400}"
verbose="${SQLMAP_VERBOSE:-0}"
keep="${SQLMAP_KEEP:-0}"
readonly kServerStartSeconds=30
readonly kServerStopSeconds=15
readonly kCurlSeconds=10
readonly kDemoPassword='Demo-2026!care'
readonly kAdminPassword='Injection-Check-2026!'
readonly kScannerLogin='sqlmap.scanner'
readonly kScannerPassword='Sqlmap-Scan-2026!'
readonly kCounselorPassword='Counselor-Scan-2026!'

step() { printf '\n==> %s\n' "$*" >&2; }
die() {
  printf 'sqlmap.sh: %s\n' "$*" >&2
  exit 2
}
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

# --- tools --------------------------------------------------------------------------------------
missing=()
for tool in sqlmap curl python3 timeout; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  packages=()
  for tool in "${missing[@]}"; do
    case $tool in
      timeout) packages+=(coreutils) ;;
      *) packages+=("$tool") ;;
    esac
  done
  step "installing Debian packages: ${packages[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${packages[@]}"
fi
sqlmap_version=$(sqlmap --version 2>/dev/null | head -1 | tr -d '\r')
[ -n "$sqlmap_version" ] || die "sqlmap does not run"

if [ ! -x "$bin" ]; then
  [ -z "${CAREDESK_BIN:-}" ] || die "CAREDESK_BIN=$bin is not an executable"
  step "building build/caredesk"
  bash scripts/deps.sh
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAREDESK_TESTS=ON >/dev/null
  ninja -C build caredesk
fi

# --- scratch space and cleanup ------------------------------------------------------------------
work=$(mktemp -d /tmp/caredesk-sqlmap.XXXXXX)
server_pid=""
unlocker_pid=""

# shellcheck disable=SC2317 # reached through the EXIT trap
stop_unlocker() {
  if [ -n "$unlocker_pid" ]; then
    kill "$unlocker_pid" 2>/dev/null || true
    wait "$unlocker_pid" 2>/dev/null || true
    unlocker_pid=""
  fi
  return 0
}

# shellcheck disable=SC2317 # reached through the EXIT trap
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
  return 0
}

# shellcheck disable=SC2317 # reached through the EXIT trap
cleanup() {
  set +e
  stop_unlocker
  stop_server
  if [ "$keep" = 1 ]; then
    printf 'sqlmap.sh: kept %s\n' "$work" >&2
  else
    rm -rf "$work"
  fi
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- server -------------------------------------------------------------------------------------
step "seeding the demo district into $work/caredesk.db"
db_url="sqlite://$work/caredesk.db"
"$bin" keygen --key-file "$work/caredesk.key" >/dev/null
"$bin" seed-demo --database-url "$db_url" --key-file "$work/caredesk.key" >"$work/seed.log" 2>&1 ||
  {
    cat "$work/seed.log" >&2
    die "seed-demo failed"
  }

# --max-failed-logins 100 (the highest allowed) plus the unlocker below keep the scan account of
# the sign-in route from locking: a locked account answers every sign-in the same way, which would
# blind sqlmap. Everything else is the production default.
"$bin" serve --database-url "$db_url" --key-file "$work/caredesk.key" --address 127.0.0.1 \
  --port 0 --log-level warn --cookie-secure false --max-failed-logins 100 \
  >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
base=""
for _ in $(seq $((kServerStartSeconds * 10))); do
  base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/server.out" | head -1 || true)
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$base" ]; then
  cat "$work/server.out" "$work/server.log" >&2
  die "the server did not start within ${kServerStartSeconds}s"
fi
step "server at $base/"

# api METHOD PATH [JSON]: one request with the admin session; prints the body, then the status on
# its own last line.
api() {
  local method=$1 path=$2 body=${3:-}
  local args=(-s --max-time "$kCurlSeconds" -X "$method" -w '\n%{http_code}' -b "$work/cookies"
    -c "$work/cookies" -H "X-CSRF-Token: ${csrf:-}")
  [ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data-binary "$body")
  curl "${args[@]}" "$base$path"
}
# expect STATUS RESPONSE WHAT: the body of RESPONSE (from api) if its status is STATUS, else die.
expect() {
  local status=${2##*$'\n'} body=${2%$'\n'*}
  [ "$status" = "$1" ] || die "$3: HTTP $status (expected $1): $body"
  printf '%s' "$body"
}
# json EXPR: the part EXPR (e.g. '["user"]["id"]') of the JSON on stdin; strings and numbers bare.
json() {
  python3 -c 'import json, sys
v = json.load(sys.stdin)'"$1"'
print(v if isinstance(v, (str, int)) else json.dumps(v))'
}

login_json() { printf '{"login":"%s","password":"%s"}' "$1" "$2"; }

step "signing in as admin, changing the initial password, signing in again"
csrf=""
csrf=$(expect 200 "$(api POST /api/v1/auth/login "$(login_json admin "$kDemoPassword")")" \
  "first admin sign-in" | json '["csrf_token"]')
expect 204 "$(api POST /api/v1/auth/password \
  "{\"current_password\":\"$kDemoPassword\",\"new_password\":\"$kAdminPassword\"}")" \
  "admin password change" >/dev/null
csrf=$(expect 200 "$(api POST /api/v1/auth/login "$(login_json admin "$kAdminPassword")")" \
  "admin sign-in with the new password" | json '["csrf_token"]')
session=$(awk '$6 == "caredesk_session" { print $7 }' "$work/cookies")
[ -n "$session" ] || die "no caredesk_session cookie after sign-in"
admin_id=$(expect 200 "$(api GET /api/v1/auth/me)" "GET /api/v1/auth/me" | json '["user"]["id"]')

# The sign-in route is scanned with a dedicated least-privilege account, so that its failed
# sign-ins never touch the admin whose session drives the other scans.
scanner_id=$(expect 201 "$(api POST /api/v1/users "{\"login\":\"$kScannerLogin\",
  \"display_name\":\"sqlmap scan\",\"role\":\"auditor\",\"initial_password\":\"$kScannerPassword\"}")" \
  "creating $kScannerLogin" | json '["id"]')

# Rows that make the create routes answer 409 Conflict every time: a stable baseline whose values
# still reach the INSERT (uniqueness is enforced by the database).
expect 201 "$(api POST /api/v1/agencies '{"name":"sqlmap probe agency","kind":"external",
  "categories":["welfare"],"contact":"02-000-0000","response_hours":24}')" \
  "creating the probe agency" >/dev/null
expect 201 "$(api POST /api/v1/users "{\"login\":\"sqlmap.probe\",\"display_name\":\"sqlmap probe\",
  \"role\":\"counselor\",\"dong_id\":1,\"initial_password\":\"$kScannerPassword\"}")" \
  "creating the probe user" >/dev/null

# The case routes run as the demo counselor of 서교동, with one case to read and search.
counselor_session=""
counselor_csrf=""
step "signing in as seogyo.counselor"
ccookies="$work/counselor.cookies"
capi() {
  local method=$1 path=$2 body=${3:-}
  local args=(-s --max-time "$kCurlSeconds" -X "$method" -w '\n%{http_code}' -b "$ccookies"
    -c "$ccookies" -H "X-CSRF-Token: ${counselor_csrf:-}")
  [ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data-binary "$body")
  curl "${args[@]}" "$base$path"
}
counselor_csrf=$(expect 200 "$(capi POST /api/v1/auth/login "$(login_json seogyo.counselor "$kDemoPassword")")" \
  "counselor sign-in" | json '["csrf_token"]')
expect 204 "$(capi POST /api/v1/auth/password \
  "{\"current_password\":\"$kDemoPassword\",\"new_password\":\"$kCounselorPassword\"}")" \
  "counselor password change" >/dev/null
counselor_csrf=$(expect 200 "$(capi POST /api/v1/auth/login "$(login_json seogyo.counselor "$kCounselorPassword")")" \
  "counselor sign-in with the new password" | json '["csrf_token"]')
counselor_session=$(awk '$6 == "caredesk_session" { print $7 }' "$ccookies")
case_id=$(expect 200 "$(capi GET '/api/v1/cases?limit=1')" "GET /api/v1/cases" | json '["items"][0]["id"]')
counselor_id=$(expect 200 "$(capi GET /api/v1/auth/me)" "counselor me" | json '["user"]["id"]')

# A filter that matches exactly one access record (the admin's last sign-in), so that a true
# condition and a false one give different pages.
record=$(expect 200 "$(api GET "/api/v1/access-records?user_id=$admin_id&action=login&limit=1")" \
  "GET /api/v1/access-records" | json '["items"][0]')
record_type=$(json '["target_type"]' <<<"$record")
record_target=$(json '["target_id"]' <<<"$record")
record_before=$(($(json '["id"]' <<<"$record") + 1))

# --- scanning -----------------------------------------------------------------------------------
rows=()
worst=0
started=$(date +%s)
deadline=$((started + total_timeout))

# scan NAME AUTH METHOD PATH BODY PARAMS EXPECT
#   NAME    label in the table (e.g. "GET /api/v1/agencies/{id}")
#   AUTH    session (admin cookie + X-CSRF-Token) or none
#   PATH    with a '*' where a path segment is injected
#   BODY    JSON body ('' for none); every value in it is tested (sqlmap's JSON support)
#   PARAMS  comma-separated parameters to test (query names, JSON keys, User-Agent, cookie
#           names); '' for none besides '*' markers. An array value in BODY is tested too and
#           shows as 'name[]' below.
#   EXPECT  HTTP status of the unmodified request (checked with curl first)
scan() {
  local name=$1 auth=$2 method=$3 path=$4 body=$5 params=$6 expect_status=$7
  local slug log status now budget rc result tested
  slug=$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '_')
  log="$work/logs/$slug.log"
  mkdir -p "$work/logs"
  step "$name"

  local curl_args=(-s -o /dev/null -w '%{http_code}' --max-time "$kCurlSeconds" -X "$method")
  local sqlmap_args=(-u "$base${path}" --batch --ignore-stdin --disable-coloring --flush-session
    --output-dir "$work/sqlmap/$slug" --level "$level" --risk "$risk" --drop-set-cookie
    --timeout 30 --retries 1 --ignore-code 401)
  [ -z "$dbms" ] || sqlmap_args+=(--dbms "$dbms")
  [ -z "$params" ] || sqlmap_args+=(-p "$params")
  if [ "$auth" = session ]; then
    curl_args+=(-b "caredesk_session=$session" -H "X-CSRF-Token: $csrf")
    sqlmap_args+=(--cookie "caredesk_session=$session" -H "X-CSRF-Token: $csrf")
  elif [ "$auth" = counselor ]; then
    curl_args+=(-b "caredesk_session=$counselor_session" -H "X-CSRF-Token: $counselor_csrf")
    sqlmap_args+=(--cookie "caredesk_session=$counselor_session" -H "X-CSRF-Token: $counselor_csrf")
  fi
  if [ -n "$body" ]; then
    curl_args+=(-H 'Content-Type: application/json' --data-binary "${body//\*/}")
    sqlmap_args+=(--data "$body")
  elif [ "$method" != GET ]; then
    sqlmap_args+=(--method "$method")
  fi

  status=$(curl "${curl_args[@]}" "$base${path//\*/}" || true)
  now=$(date +%s)
  budget=$((deadline - now < route_timeout ? deadline - now : route_timeout))
  if [ "$status" != "$expect_status" ]; then
    result="ERROR: baseline HTTP $status, expected $expect_status"
    rc=0
  elif [ "$budget" -le 0 ]; then
    result="SKIPPED: total time budget (${total_timeout}s) used up"
    rc=0
  else
    rc=0
    if [ "$verbose" = 1 ]; then
      HOME="$work/home" TERM=dumb timeout -k 10 "$budget" sqlmap "${sqlmap_args[@]}" </dev/null 2>&1 |
        tee "$log" || rc=$?
    else
      HOME="$work/home" TERM=dumb timeout -k 10 "$budget" sqlmap "${sqlmap_args[@]}" </dev/null \
        >"$log" 2>&1 || rc=$?
    fi
    result=""
  fi
  local seconds=$(($(date +%s) - now))

  if [ -z "$result" ]; then
    local wanted
    wanted=$(printf '%s' "$params" | tr ',' '\n' | grep -c . || true)
    [[ "$path" != *'*'* ]] || wanted=$((wanted + 1))
    IFS=$'\x1f' read -r tested result < <(python3 - "$log" "$body" "$rc" "$wanted" "$budget" "$path" <<'PY'
import json, re, sys
log, body, rc, wanted, budget, path = sys.argv[1:7]
rc, wanted = int(rc), int(wanted)
text = open(log, encoding="utf-8", errors="replace").read()
arrays = [k for k, v in json.loads(body.replace("*", "")).items() if isinstance(v, list)] if body else []


def label(place, name):
    # sqlmap names '*' markers and JSON array items '#N*'.
    if name.startswith("JSON "):
        name = name[len("JSON "):]
    if re.fullmatch(r"#\d+\*", name):
        if "URI" in place:
            # A '*' in PATH, or the end of the URL that sqlmap tries by itself when it has no
            # other parameter there.
            return "{path}" if "*" in path else "URL path"
        return (arrays.pop(0) + "[]") if arrays else name
    return name


tested = []
for place, name in re.findall(r"testing for SQL injection on (.*?)parameter '([^']+)'", text):
    n = label(place, name)
    if n not in tested:
        tested.append(n)
found = (sorted(set(re.findall(r"^Parameter: (.+)$", text, re.M))) or
         sorted(set(re.findall(r"parameter '([^']+)' (?:is vulnerable|appears to be)", text))))
if "all tested parameters do not appear to be injectable" in text:
    result = "not injectable"
    discarded = text.count("false positive or unexploitable injection point detected")
    if discarded:
        result += f" ({discarded} false positive(s) discarded by sqlmap)"
    if len(tested) < wanted:
        result = f"ERROR: sqlmap tested only {len(tested)} of {wanted} parameters"
elif found or "identified the following injection point" in text:
    result = "INJECTABLE: " + ("; ".join(found) or "see log")
elif rc in (124, 137):
    result = f"TIMEOUT after {budget}s"
else:
    errors = re.findall(r"\[(?:CRITICAL|ERROR)\] (.*)", text)
    result = f"ERROR: sqlmap exit {rc}" + (": " + errors[-1][:160] if errors else "")
print(", ".join(tested) + "\x1f" + result)
PY
)
  elif [ -n "$params" ]; then
    tested=$params
  else
    tested='{path}'
  fi

  # With --ignore-code 401, a lost admin session would make every answer a 401: check it survived.
  if [ "$auth" != none ] && [[ "$result" == "not injectable"* ]]; then
    local me cookie=$session
    [ "$auth" != counselor ] || cookie=$counselor_session
    me=$(curl -s -o /dev/null -w '%{http_code}' --max-time "$kCurlSeconds" \
      -b "caredesk_session=$cookie" "$base/api/v1/auth/me" || true)
    [ "$me" = 200 ] || result="ERROR: the admin session no longer works (HTTP $me)"
  fi

  case $result in
    INJECTABLE*) worst=1 ;;
    "not injectable"*) ;;
    *) [ "$worst" -eq 1 ] || worst=2 ;;
  esac
  if [[ "$result" != "not injectable"* ]] && [ -f "$log" ] && [ "$verbose" != 1 ]; then
    tail -25 "$log" >&2
  fi
  printf '%s (%ss): %s\n' "$name" "$seconds" "$result" >&2
  rows+=("$name"$'\t'"$tested"$'\t'"$expect_status"$'\t'"${seconds}s"$'\t'"$result")
}

# Keeps the scan account unlocked while its sign-in is scanned (see above).
start_unlocker() {
  (
    while :; do
      curl -s -o /dev/null --max-time "$kCurlSeconds" -X POST -b "caredesk_session=$session" \
        -H "X-CSRF-Token: $csrf" "$base/api/v1/users/$scanner_id/unlock" || true
      sleep 1
    done
  ) &
  unlocker_pid=$!
}

# One line per route; add new routes here (the case search and case creation routes too).
routes() {
  start_unlocker
  scan "POST /api/v1/auth/login" none POST /api/v1/auth/login \
    "$(login_json "$kScannerLogin" "$kScannerPassword")" "login,password,User-Agent" 200
  stop_unlocker
  local locks
  locks=$(expect 200 "$(api GET "/api/v1/access-records?action=account_locked&target_id=$scanner_id&limit=100")" \
    "counting lockouts" | json '["items"].__len__()')
  if [ "$locks" -gt 0 ]; then
    rows[-1]="${rows[-1]%$'\t'*}"$'\t'"ERROR: $kScannerLogin was locked $locks time(s) during the scan"
    [ "$worst" -eq 1 ] || worst=2
  fi

  scan "GET /api/v1/agencies" session GET /api/v1/agencies "" "caredesk_session" 200
  scan "GET /api/v1/agencies/{id}" session GET '/api/v1/agencies/1*' "" "" 200
  scan "POST /api/v1/agencies" session POST /api/v1/agencies \
    '{"name":"sqlmap probe agency","kind":"external","categories":["welfare"],"contact":"02-000-0000","response_hours":24}' \
    "name,kind,categories,contact,response_hours" 409
  scan "GET /api/v1/access-records" session GET \
    "/api/v1/access-records?user_id=$admin_id&action=login&target_type=$record_type&target_id=$record_target&before_id=$record_before&limit=5" \
    "" "user_id,action,target_type,target_id,before_id,limit" 200
  scan "POST /api/v1/users" session POST /api/v1/users \
    "{\"login\":\"sqlmap.probe\",\"display_name\":\"sqlmap probe\",\"role\":\"counselor\",\"dong_id\":1,\"initial_password\":\"$kScannerPassword\"}" \
    "login,display_name,role,dong_id,initial_password" 409

  # Cases (as the 서교동 counselor).
  scan "GET /api/v1/cases" counselor GET \
    "/api/v1/cases?status=referred&category=finance&urgency=urgent&channel=phone&counselor_id=$counselor_id&open=true&limit=5" \
    "" "status,category,urgency,channel,counselor_id,open,limit" 200
  scan "GET /api/v1/cases/search" counselor GET "/api/v1/cases/search?q=%EC%B9%B4%EB%93%9C%EB%B9%9A&limit=5" \
    "" "q,limit" 200
  scan "GET /api/v1/cases/{id}" counselor GET "/api/v1/cases/${case_id}*" "" "" 200
  scan "GET /api/v1/residents" counselor GET \
    "/api/v1/residents?name=%EB%B0%95%EC%B1%84%EB%AC%B4&birth_date=1968-11-03&phone=01020000002" \
    "" "name,birth_date,phone" 200
  scan "POST /api/v1/cases" counselor POST /api/v1/cases \
    '{"channel":"phone","primary_category":"housing","urgency":"normal","summary":"sqlmap probe case","follow_up":{"kind":"counseling","due":"2027-01-15"}}' \
    "channel,primary_category,urgency,summary" 201
}
routes

# --- one table ----------------------------------------------------------------------------------
elapsed=$(($(date +%s) - started))
step "results"
python3 - "${rows[@]}" <<'PY'
import sys
header = ("route", "parameters", "baseline", "time", "result")
rows = [tuple(r.split("\t")) for r in sys.argv[1:]]
widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"
print(line(header))
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in rows:
    print(line(r))
PY
printf '\n%s; --level %s --risk %s --dbms %s; %s routes in %ss; %s on %s.\n' \
  "sqlmap $sqlmap_version" "$level" "$risk" "${dbms:-any}" "${#rows[@]}" "$elapsed" \
  "caredesk $("$bin" --version | awk '{print $2}')" "$(date -u +%Y-%m-%dT%H:%MZ)"
case $worst in
  0) echo "OK: no parameter is injectable." ;;
  1) echo "FAIL: sqlmap found an injectable parameter." ;;
  *) echo "INCOMPLETE: at least one route was not scanned fully." ;;
esac
exit "$worst"
