-- wrk script of `npm run bench`: replays requests precomputed by test/bench/load.ts, so the Lua
-- side only joins three strings per request. Usage: wrk ... -s replay.lua <url> -- <file> <threads>
-- The file: a line with the number of templates T; T lines "path<TAB>head<TAB>tail"; then one
-- request per line, "template number<TAB>variables" (body = head .. variables .. tail).
-- Each thread starts at its own offset and wraps around. done() prints one "WRK {json}" line.

local threads = {}
local templates = {}
local requests = {}
local position = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  local count = tonumber(file:read("*l"))
  for i = 1, count do
    local path, head, tail = file:read("*l"):match("^([^\t]*)\t([^\t]*)\t([^\t]*)$")
    templates[i] = { path = path, head = head, tail = tail }
  end
  for line in file:lines() do
    local template, variables = line:match("^(%d+)\t(.*)$")
    requests[#requests + 1] = { templates[tonumber(template)], variables }
  end
  file:close()
  local threadCount = tonumber(args[2] or "1")
  position = math.floor(#requests * id / threadCount)
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  position = position + 1
  if position > #requests then position = 1 end
  local entry = requests[position]
  local template = entry[1]
  return wrk.format("POST", template.path, nil, template.head .. entry[2] .. template.tail)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"status_errors":%d,"timeouts":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
