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
  if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
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
    -- Cases in turn; every pass over the slice alternates Close and Reopen, so each request is a permitted transition.
    local id = ids[((i - 1) % n) + 1]
    local round = math.floor((i - 1) / n)
    local body
    local close = (round % 2 == 0) ~= closed[((i - 1) % n) + 1]
    if close then body = '{"trigger":"Close","closeReason":"GoalsReached"}' else body = '{"trigger":"Reopen"}' end
    return wrk.format("POST", "/api/cases/" .. id .. "/transitions", nil, body)
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

function done(summary, latency, requests)
  local s = summary
  local errors = s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout
  io.write(string.format('RESULT {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d}\n',
    s.requests, s.duration, s.errors.status, errors,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
