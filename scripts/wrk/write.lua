dofile(os.getenv("TNW_WRK_DIR") .. "/common.lua")
-- A return to work is possible in any dossier (also after the incapacity ended), so
-- every request is a real, validated, audited write (or a recognised repeat).
local body = '{"type":"work_resumed","date":"2026-11-22","extent":"full_time","same_employer":true,"same_job":true,"adaptations":false}'
request = function()
  return wrk.format("POST", "/api/v1/cases/" .. random_case() .. "/events",
    { ["Cookie"] = cookie, ["Content-Type"] = "application/json" }, body)
end
