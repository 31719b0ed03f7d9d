-- Shared by the load scripts: the session cookie and a random dossier id.
cookie = os.getenv("TNW_COOKIE")
cases = tonumber(os.getenv("TNW_CASES") or "1000000")
function init(args)
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1000000))
end
function random_case()
  return string.format("C%07d", math.random(1, cases))
end
function response(status, headers, body)
  if status >= 300 then
    errors = (errors or 0) + 1
  end
end
-- Paced clients (TNW_THINK_MS set): each connection waits a random think time (mean
-- TNW_THINK_MS, exponential) after each answer, like a person at a screen; unset, every
-- connection sends its next request at once (saturation).
local think = tonumber(os.getenv("TNW_THINK_MS") or "")
if think then
  function delay()
    return math.floor(-think * math.log(1 - math.random()))
  end
end
