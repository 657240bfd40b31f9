-- wrk script for benchmarks/care_load.py: each request is a random line of the request file
-- ("<bearer token>\t<path>"), so every connection acts as many officers of many dongs; done()
-- prints one JSON line with the latency percentiles (microseconds) wrk measured.
local lines = {}

function init(args)
  for line in io.lines(args[1]) do
    local token, path = line:match("^(%S+)\t(%S+)$")
    lines[#lines + 1] = wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
  end
  math.randomseed(tonumber(args[2] or "1") + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
end

function request()
  return lines[math.random(#lines)]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"n": %d, "us": %d, "p50": %d, "p95": %d, "p99": %d, "non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
