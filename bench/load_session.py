#!/usr/bin/env python3
"""Signs a demo counselor in for the mixed workload (scripts/bench.sh, bench/mixed_workload.lua).

    load_session.py URL LOGIN INITIAL_PASSWORD NEW_PASSWORD OUT_DIR

Signs in (POST /api/v1/auth/login), replaces the initial password if the server asks for it (the
session stays signed in), pages through GET /api/v1/cases for the ids of every case the counselor
may see, and opens each screen of the workload once, checking the answers: Today, a case and its
timeline, a search. Writes OUT_DIR/cookie, OUT_DIR/csrf and OUT_DIR/case_ids (one id a line) and
prints one line "session key=value ..." for the table. Exits 1, saying why, if anything fails.
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

TIMEOUT_SECONDS = 30
PAGE = 200
SEARCH_PROBE = "채무"  # one of bench/mixed_workload.lua's words, in the demo consultations


def fail(message):
    print(f"load_session.py: {message}", file=sys.stderr)
    sys.exit(1)


def call(base, method, path, body=None, cookie=None, csrf=None, expect=200):
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if cookie:
        headers["Cookie"] = cookie
    if csrf and method != "GET":
        headers["X-CSRF-Token"] = csrf
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            status, text, head = response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as e:
        status, text, head = e.code, e.read().decode(), e.headers
    if status != expect:
        fail(f"{method} {path}: {status} (expected {expect}): {text[:300]}")
    return (json.loads(text) if text else None), head


def main():
    if len(sys.argv) != 6:
        fail("usage: load_session.py URL LOGIN INITIAL_PASSWORD NEW_PASSWORD OUT_DIR")
    base, login, password, new_password, out = sys.argv[1].rstrip("/"), *sys.argv[2:5], sys.argv[5]
    out = Path(out)

    body, head = call(base, "POST", "/api/v1/auth/login", {"login": login, "password": password})
    if body.get("second_factor_required"):
        fail(f"{login} has a second factor; the demo accounts have none")
    set_cookie = head.get("Set-Cookie") or fail("the sign-in set no cookie")
    cookie = set_cookie.split(";", 1)[0]
    csrf = body["csrf_token"]
    if body.get("must_change_password"):
        call(base, "POST", "/api/v1/auth/password",
             {"current_password": password, "new_password": new_password}, cookie, csrf, 204)

    ids = []
    before = None
    while True:
        query = {"limit": PAGE}
        if before is not None:
            query["before_id"] = before
        page, _ = call(base, "GET", "/api/v1/cases?" + urllib.parse.urlencode(query), None, cookie)
        ids += [item["id"] for item in page["items"]]
        before = page.get("next_before_id")
        if before is None or not page["items"]:
            break
    if not ids:
        fail(f"{login} sees no case: was the demo seeded?")

    today, _ = call(base, "GET", "/api/v1/work/today", None, cookie)
    call(base, "GET", f"/api/v1/cases/{ids[-1]}", None, cookie)
    call(base, "GET", f"/api/v1/cases/{ids[-1]}/timeline", None, cookie)
    found, _ = call(base, "GET", "/api/v1/cases/search?" +
                    urllib.parse.urlencode({"q": SEARCH_PROBE, "limit": 50}), None, cookie)

    (out / "cookie").write_text(cookie + "\n")
    (out / "csrf").write_text(csrf + "\n")
    (out / "case_ids").write_text("".join(f"{i}\n" for i in ids))
    items = sum(len(today[k]) for k in ("due_today", "overdue", "new_in_dong", "crisis"))
    print(f"session login={login} cases_visible={len(ids)} today_items={items} "
          f"search_hits={len(found['items'])}")


if __name__ == "__main__":
    main()
