-- wrk script: POST one ProgramRequest body to /api/runs, then report latency percentiles and
-- every non-201 answer (a run that is not stored is an error for this benchmark).
local body_path = os.getenv("SLB_BENCH_BODY")
local file = assert(io.open(body_path, "rb"))
wrk.method = "POST"
wrk.path = "/api/runs"
wrk.headers["Content-Type"] = "application/json"
wrk.body = file:read("*a")
file:close()

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
end

function response(status, headers, body)
  if status ~= 201 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do
    bad_total = bad_total + t:get("bad")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("requests:   %d in %.1f s\n", summary.requests, seconds))
  io.write(string.format("throughput: %.0f runs/s\n", summary.requests / seconds))
  io.write(string.format("latency:    p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors:     %d non-201, %d socket (connect %d, read %d, write %d, timeout %d)\n",
    bad_total, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
