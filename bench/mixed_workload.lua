-- The mixed workload of a busy dong's counselor, for wrk (scripts/bench.sh runs it):
--
--   wrk -t2 -c64 -d10s --latency -s bench/mixed_workload.lua http://127.0.0.1:PORT/ -- \
--     SESSION_COOKIE CSRF_TOKEN CASE_IDS_FILE
--
-- Each request opens one of the screens a counselor works in, weighted per screen:
--   40  today     GET /api/v1/work/today (the work list: due, overdue, new in the dong, crises)
--   30  case      GET /api/v1/cases/{id} of a random case the counselor may see, and then (the
--                 next request of the same wrk thread) timeline: GET /api/v1/cases/{id}/timeline,
--                 which the case screen loads beside it
--   20  search    GET /api/v1/cases/search?q=...&limit=50 (the case list's 내용으로 찾기) with a
--                 word from the demo district's consultations
--   10  intake    POST /api/v1/cases: a walk-in with a new resident, a first consultation and a
--                 follow-up (needs X-CSRF-Token)
-- The directory and staff lists the web app fetches once per session are not part of it.
--
-- Every request carries X-Request-Id "<kind>-<thread>-<n>", which the server echoes: response()
-- reads the kind back from it (wrk does not say which request a response answers), counts
-- requests and non-2xx per kind and keeps the first failure of each kind. done() prints one line
-- per kind for bench.sh:
--   mixed kind=today requests=1234 non2xx=0 first_failure=
-- and "mixed kind=untagged ..." for responses without a known kind (there should be none).

local all_kinds = { "today", "case", "timeline", "search", "intake", "untagged" }
local known = {}
for _, k in ipairs(all_kinds) do
  known[k] = true
end
local weights = { { "today", 40 }, { "case", 30 }, { "search", 20 }, { "intake", 10 } }

-- Two syllables or more (the search index is of syllable pairs), from the demo consultations.
local search_terms = {
  "채무", "월세", "독촉", "층간소음", "보증금", "기초연금", "치매", "반지하", "경력",
  "무상교복", "건강검진", "긴급복지", "담배", "쓰레기", "상속", "재산세", "침수", "돌봄",
  "식사", "안부", "카드", "임대차", "직업훈련", "정신건강",
}

-- Everyday walk-ins (no crisis words: a crisis flag would not fail, but it is not the common case).
local concerns = {
  { "welfare", "기초연금 신청 자격이 되는지 알고 싶어요.", "소득·재산 기준 설명, 신청 서류 안내." },
  { "housing", "전세 계약이 끝나는데 집주인이 보증금을 안 돌려줍니다.",
    "임대차 계약서 확인. 임차권등기명령 절차 설명." },
  { "finance", "카드값이 밀려서 독촉 전화가 하루에 열 번도 넘게 와요.",
    "채무 약 1,800만원. 채무조정 상담 희망." },
  { "neighbour_dispute", "아랫집에서 담배 연기가 올라와서 창문을 못 엽니다.",
    "관리사무소 안내문 게시 요청, 이웃분쟁조정 절차 안내." },
  { "jobs", "경력 단절 후 다시 일하고 싶은데 어디서부터 시작할지 모르겠어요.",
    "직업훈련 과정, 내일배움카드 안내." },
  { "sanitation", "골목에 무단투기 쓰레기가 쌓여 악취가 납니다.",
    "청소행정과 수거 요청, 무단투기 단속 카메라 요청." },
  { "tax", "재산세 고지서 금액이 작년보다 많이 올랐어요.", "세무과 문의 후 산정 근거 안내." },
  { "safety", "장마 때마다 반지하 집에 물이 들어옵니다.", "물막이판 설치 신청, 침수 취약가구 등록." },
}
local surnames = { "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오" }
local given = { "민수", "영희", "철호", "순자", "지훈", "미경", "성민", "옥순", "현우", "정숙" }

local threads = {}
local next_thread = 1

function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

-- Per thread; the counters are globals (requests_<kind>, non2xx_<kind>, failure_<kind>) because
-- thread:get() in done() reads globals.
local cookie, csrf
local case_ids = {}
local sent = 0
local pending_timeline = nil

local function url_encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- Enough for the fixed texts above: none holds a quote, a backslash or a control character.
local function json_string(s)
  return '"' .. s .. '"'
end

function init(args)
  cookie, csrf = args[1], args[2]
  if not cookie or not csrf or not args[3] then
    error("usage: wrk ... -s mixed_workload.lua URL -- SESSION_COOKIE CSRF_TOKEN CASE_IDS_FILE")
  end
  for line in io.lines(args[3]) do
    local id = line:match("^%s*(%d+)%s*$")
    if id then
      table.insert(case_ids, id)
    end
  end
  if #case_ids == 0 then
    error("no case ids in " .. args[3])
  end
  -- A fixed seed per thread: the same mix every run.
  math.randomseed(20261201 + thread_number)
  for _, k in ipairs(all_kinds) do
    _G["requests_" .. k], _G["non2xx_" .. k], _G["failure_" .. k] = 0, 0, ""
  end
end

local function pick_kind()
  local r = math.random(100)
  for _, w in ipairs(weights) do
    if r <= w[2] then
      return w[1]
    end
    r = r - w[2]
  end
  return weights[#weights][1]
end

local function intake_body()
  local c = concerns[math.random(#concerns)]
  local name = surnames[math.random(#surnames)] .. given[math.random(#given)]
  local birth = string.format("%d-%02d-%02d", 1940 + math.random(0, 49), math.random(12),
    math.random(28))
  local phone = string.format("010-%04d-%04d", 5000 + thread_number, sent % 10000)
  local alone = math.random(3) == 1
  local members = alone and 1 or math.random(2, 4)
  return "{" ..
    '"channel":"visit",' ..
    '"resident":{"name":' .. json_string(name) .. ',"birth_date":"' .. birth .. '",' ..
    '"phone":"' .. phone .. '","address":"서울 마포구 월드컵로 ' .. math.random(300) .. '",' ..
    '"household":{"living_alone":' .. tostring(alone) .. ',"members":' .. members .. '}},' ..
    '"confirm_new_resident":true,' ..
    '"primary_category":"' .. c[1] .. '",' ..
    '"summary":' .. json_string(c[2]) .. ',' ..
    '"consultation":{"kind":"visit","notes":' .. json_string(c[3]) .. '},' ..
    '"follow_up":{"kind":"counseling","note":"다음 상담 예약"}' ..
    "}"
end

function request()
  sent = sent + 1
  local kind, path, method, body
  if pending_timeline then
    kind, method = "timeline", "GET"
    path = "/api/v1/cases/" .. pending_timeline .. "/timeline"
    pending_timeline = nil
  else
    kind = pick_kind()
    method = "GET"
    if kind == "today" then
      path = "/api/v1/work/today"
    elseif kind == "case" then
      local id = case_ids[math.random(#case_ids)]
      path = "/api/v1/cases/" .. id
      pending_timeline = id
    elseif kind == "search" then
      path = "/api/v1/cases/search?q=" .. url_encode(search_terms[math.random(#search_terms)]) ..
        "&limit=50"
    else
      method, path, body = "POST", "/api/v1/cases", intake_body()
    end
  end
  local headers = {
    ["Cookie"] = cookie,
    ["Accept"] = "application/json",
    ["X-Request-Id"] = kind .. "-" .. thread_number .. "-" .. sent,
  }
  if method ~= "GET" then
    headers["X-CSRF-Token"] = csrf
    headers["Content-Type"] = "application/json"
  end
  return wrk.format(method, path, headers, body)
end

function response(status, headers, body)
  local id = headers["X-Request-Id"] or ""
  local kind = id:match("^(%a+)%-")
  if not kind or not known[kind] then
    kind = "untagged"
  end
  _G["requests_" .. kind] = _G["requests_" .. kind] + 1
  if status < 200 or status > 299 then
    _G["non2xx_" .. kind] = _G["non2xx_" .. kind] + 1
    if _G["failure_" .. kind] == "" then
      -- Error bodies hold codes and public messages, never personal data.
      _G["failure_" .. kind] = status .. " " .. (body or ""):sub(1, 200):gsub("%s+", " ")
    end
  end
end

function done(summary, latency, requests)
  for _, k in ipairs(all_kinds) do
    local n, bad, first = 0, 0, ""
    for _, thread in ipairs(threads) do
      n = n + thread:get("requests_" .. k)
      bad = bad + thread:get("non2xx_" .. k)
      if first == "" then
        first = thread:get("failure_" .. k)
      end
    end
    io.write(string.format("mixed kind=%s requests=%d non2xx=%d first_failure=%s\n", k, n, bad,
      first))
  end
end
