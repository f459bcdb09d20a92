-- One wrk script for every scenario of bench/load.sh; the scenario comes from the environment:
--   SSPF_MODE   baseline | read | list | search | transition
--   SSPF_TOKEN  bearer token of the demo user the scenario runs as (not for baseline)
--   SSPF_THREADS wrk's -t (the transition scenario splits the ids between threads)
--   SSPF_IDS    file with one case id (or personnummer, for search) per line, written by the bench seed
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
  for k, id in ipairs(all) do
    if mode ~= "transition" or (k % threadCount) == (tid - 1) then table.insert(ids, id) end
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
    if round % 2 == 0 then body = '{"trigger":"Close","closeReason":"GoalsReached"}' else body = '{"trigger":"Reopen"}' end
    return wrk.format("POST", "/api/cases/" .. id .. "/transitions", nil, body)
  end
end

function done(summary, latency, requests)
  local s = summary
  local errors = s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout
  io.write(string.format('RESULT {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d}\n',
    s.requests, s.duration, s.errors.status, errors,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
