-- wrk script of `bench/load.sh --tokens-vs COMMIT` (bench/load/tokens.sh); the scenario comes from the environment:
--   SSPF_MODE  me            GET /api/me with SSPF_TOKEN (one token validation + the session check + the endpoint's read)
--              login-json    POST /api/auth/login (the retired first-party endpoint, only in the older tree)
--              login-connect POST /connect/token, the Development password grant of the public client sspf-dev
--   SSPF_USER  the demo user who signs in (login modes); the password is the demo password
-- done() is scenario.lua's (loaded first; init and request below replace its own): "RESULT {...}" with the counts and
-- p50/p95/p99 in microseconds.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "scenario.lua")
local mode = os.getenv("SSPF_MODE")
local token = os.getenv("SSPF_TOKEN")
local user = os.getenv("SSPF_USER") or "samordnare@falkenberg.example"
local password = "Sspf-demo-2026!"

function init(args)
  if mode == "me" then
    wrk.headers["Authorization"] = "Bearer " .. token
  elseif mode == "login-json" then
    wrk.method = "POST"
    wrk.path = "/api/auth/login"
    wrk.headers["Content-Type"] = "application/json"
    wrk.body = '{"email":"' .. user .. '","password":"' .. password .. '"}'
  elseif mode == "login-connect" then
    wrk.method = "POST"
    wrk.path = "/connect/token"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    wrk.body = "grant_type=password&client_id=sspf-dev&scope=sspf_api%20offline_access&username=" ..
      user:gsub("@", "%%40") .. "&password=" .. password:gsub("!", "%%21")
  end
end

function request()
  if mode == "me" then return wrk.format("GET", "/api/me") end
  return wrk.format()
end
