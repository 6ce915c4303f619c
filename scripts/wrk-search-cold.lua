-- wrk script: every request a different search (30 x 30 word pairs x 10 pages = 9,000
-- combinations per thread, each thread on its own sequence: more than the server's result cache
-- holds), so the figure is the uncached search path.
local words = {"router", "password", "invoice", "camera", "firmware", "vpn", "certificate",
  "printer", "subscription", "gateway", "backup", "restore", "email", "reset", "update",
  "motion", "refund", "timeout", "server", "battery", "guest", "network", "mesh", "node",
  "dns", "address", "alert", "folder", "payment", "power"}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local n = 0
function init(args)
  n = (id or 1) * 4500
end
request = function()
  n = n + 1
  local a = words[(n % #words) + 1]
  local b = words[(math.floor(n / #words) % #words) + 1]
  local offset = (math.floor(n / 900) % 10) * 10
  return wrk.format("GET", "/api/v1/search?q=" .. a .. "+" .. b .. "&offset=" .. offset)
end
