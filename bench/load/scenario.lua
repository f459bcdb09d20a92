-- One wrk script for every scenario of bench/load.sh; the scenario comes from the environment:
--   SSPF_MODE   baseline | secure | read | list | search | transition | create
--   SSPF_TOKEN  bearer token of the demo user the scenario runs as (not for baseline)
--   SSPF_THREADS wrk's -t (the transition scenario splits the ids between threads)
--   SSPF_IDS    file with one case id (or personnummer, for search) per line, written by the bench seed; for the
--               transition an optional second field per line is the case's current state (a case that is Closed starts
--               with Reopen), so that a run can start wherever the previous one stopped
--   SSPF_MUNICIPALITY (create) the municipality's id; SSPF_RUN (create) 0-4, a block of personnummer of its own per
--               run of the scenario against one database, so that no two requests ever open a case for the same youth
-- done() prints one line "RESULT {...}" with the counts and p50/p95/p99 in microseconds for bench/load/report.py.
local mode = os.getenv("SSPF_MODE")
local token = os.getenv("SSPF_TOKEN")
local idsFile = os.getenv("SSPF_IDS")
local counter = 1

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local ids = {}
local closed = {}
local n = 0
local i = 0

function init(args)
  local all = {}
  for line in io.lines(idsFile) do
    if line ~= "" then table.insert(all, line) end
  end
  local threadCount = tonumber(os.getenv("SSPF_THREADS")) or 1
  -- Each thread gets its own slice of the ids, so that the transition scenario never has two threads on one case.
  local tid = tonumber(tid) or 1
  for k, line in ipairs(all) do
    local id, state = line:match("^(%S+)%s*(%S*)$")
    if mode ~= "transition" or (k % threadCount) == (tid - 1) then
      table.insert(ids, id)
      closed[#ids] = state == "Closed"
    end
  end
  n = #ids
  math.randomseed(os.time() + tid * 7919)
  wrk.headers["Content-Type"] = "application/json"
  -- The secure baseline checks its token itself; under Authorization the app's bearer handler (UseAuthentication, for
  -- every request) would check it a second time, so its header is one the handler does not read.
  if token and token ~= "" then wrk.headers[mode == "secure" and "X-Bench-Token" or "Authorization"] = "Bearer " .. token end
end

function request()
  i = i + 1
  if mode == "baseline" then
    return wrk.format("GET", "/bench/baseline/" .. ids[math.random(n)])
  elseif mode == "secure" then
    return wrk.format("GET", "/bench/secure/" .. ids[math.random(n)])
  elseif mode == "read" then
    return wrk.format("GET", "/api/cases/" .. ids[math.random(n)])
  elseif mode == "list" then
    return wrk.format("GET", "/api/cases?page=" .. math.random(10) .. "&pageSize=25")
  elseif mode == "search" then
    return wrk.format("POST", "/api/cases/search-by-personnummer", nil, '{"personnummer":"' .. ids[math.random(n)] .. '"}')
  elseif mode == "transition" then
    -- Cases in turn; each request asks for the transition the case's last answer permits (Close an open case, Reopen
    -- a closed one), so every request is a permitted transition. The state is tracked per case from the answers
    -- (response() below), not derived from the request counter: wrk calls request() once more than it sends, on the
    -- first thread, to check the script (script_verify_request), which shifted that thread's passes by one case, so
    -- its first case was asked for the wrong transition once per run — the single 409 of every earlier run.
    local k = ((i - 1) % n) + 1
    local body
    if closed[k] then body = '{"trigger":"Reopen"}' else body = '{"trigger":"Close","closeReason":"GoalsReached"}' end
    return wrk.format("POST", "/api/cases/" .. ids[k] .. "/transitions", nil, body)
  elseif mode == "create" then
    return wrk.format("POST", "/api/cases", nil, createBody(i))
  end
end

-- A valid personnummer no other request of this database uses: born 2015-01-01 + (i mod 730) days (the seed's youths
-- are born 2010-2014, so no open case exists for it), serial number from the run, the thread and i div 730, and the
-- Luhn check digit over the ten digits YYMMDDNNN. Up to 73,000 cases per thread and run.
local run = tonumber(os.getenv("SSPF_RUN")) or 0
local municipality = os.getenv("SSPF_MUNICIPALITY") or ""
function personnummer(k)
  local born = os.time({ year = 2015, month = 1, day = 1 + (k % 730), hour = 12 })
  local serial = run * 200 + (tonumber(tid) - 1) * 100 + math.floor(k / 730) % 100
  local digits = os.date("%y%m%d", born) .. string.format("%03d", serial)
  local sum = 0
  for p = 1, 9 do
    local d = tonumber(digits:sub(p, p)) * ((p % 2 == 1) and 2 or 1)
    if d > 9 then d = d - 9 end
    sum = sum + d
  end
  return os.date("%Y", born) .. digits:sub(3, 6) .. "-" .. digits:sub(7, 9) .. ((10 - sum % 10) % 10)
end

function createBody(k)
  return '{"municipalityId":"' .. municipality .. '","youth":{"personnummer":"' .. personnummer(k) ..
    '","givenName":"Bench","familyName":"Skapad"},"guardians":[],"signalCategory":"SchoolAbsence",' ..
    '"proposedParties":["Skola","Socialtjanst"]}'
end

-- The transition scenario: the answer names the case and its new state ({"id":..., "state":...}).
local index = nil
if mode == "transition" then
  response = function(status, headers, body)
    if status ~= 200 or body == nil then return end
    if index == nil then
      index = {}
      for k, id in ipairs(ids) do index[id] = k end
    end
    local id = body:match('"id":%s*"([^"]+)"')
    local state = body:match('"state":%s*"([^"]+)"')
    local k = id and index[id]
    if k and state then closed[k] = state == "Closed" end
  end
end

function done(summary, latency, requests)
  local s = summary
  local errors = s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout
  io.write(string.format('RESULT {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d}\n',
    s.requests, s.duration, s.errors.status, errors,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
