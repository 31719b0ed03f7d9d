dofile(os.getenv("TNW_WRK_DIR") .. "/common.lua")
request = function()
  return wrk.format("GET", "/api/v1/worklist?limit=50", { ["Cookie"] = cookie })
end
