dofile(os.getenv("TNW_WRK_DIR") .. "/common.lua")
-- A return to work is possible in any dossier (also after the incapacity ended). Each
-- request varies the date (the last two weeks), the extent and the booleans, so that on
-- a database used by earlier runs almost every request is a new, validated, audited
-- write and not a recognised repeat; done() prints how many were which.
local function bool()
  return math.random(0, 1) == 1 and "true" or "false"
end
request = function()
  local body = string.format(
    '{"type":"work_resumed","date":"2026-11-%02d","extent":"part_time","percent":%d,"same_employer":%s,"same_job":%s,"adaptations":%s}',
    math.random(8, 22), math.random(1, 99), bool(), bool(), bool())
  return wrk.format("POST", "/api/v1/cases/" .. random_case() .. "/events",
    { ["Cookie"] = cookie, ["Content-Type"] = "application/json" }, body)
end
created, repeated, refused = 0, 0, 0
response = function(status, headers, body)
  if status == 201 or (status == 200 and body:find('"created":true', 1, true)) then
    created = created + 1
  elseif status == 200 then
    repeated = repeated + 1
  else
    refused = refused + 1
  end
end
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function done(summary, latency, requests)
  local c, r, f = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    r = r + t:get("repeated")
    f = f + t:get("refused")
  end
  io.write(string.format("writes: %d new events stored, %d recognised repeats, %d refused\n", c, r, f))
end
