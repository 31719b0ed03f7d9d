dofile(os.getenv("TNW_WRK_DIR") .. "/common.lua")
-- Dossiers the caller may read, one id per line in TNW_CASE_FILE: an outside actor's
-- reads are of the dossiers shared with its party, not of random ones.
local ids = {}
for line in io.lines(os.getenv("TNW_CASE_FILE")) do
  ids[#ids + 1] = line
end
request = function()
  return wrk.format("GET", "/api/v1/cases/" .. ids[math.random(1, #ids)], { ["Cookie"] = cookie })
end
