-- wrk script for benchmarks/load_bench.py: every request is drawn at random from a file of paths,
-- one per line (the first script argument). A path starting with "!" is sent with the bearer
-- token in LOAD_TOKEN. done() prints one JSON line the bench reads (wrk has no p95 of its own).
local paths = {}
local token = os.getenv("LOAD_TOKEN") or ""

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() + #paths + (tonumber(args[2]) or 0))
end

function request()
  local path = paths[math.random(#paths)]
  if path:sub(1, 1) == "!" then
    return wrk.format("GET", path:sub(2), { Authorization = "Bearer " .. token })
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'LOADJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
