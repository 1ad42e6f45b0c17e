-- wrk script for the search scenario of scripts/bench.mjs (not meant to be run by hand).
--
-- Every request GETs the next of the addresses in BENCH_PATHS (separated by "|"; each already
-- the canonical /search?q=... address, so none is answered by a redirect), the threads starting
-- at different ones, so the mix of queries is the same over the run. Without a -H Cookie, the
-- signed-out page; with one, the signed-in page (wrk.format adds wrk's -H headers).
-- done() prints the 95th percentile latency, which wrk's --latency report leaves out:
--   bench-read p95-us 12345

local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "", "[^|]+") do
  paths[#paths + 1] = path
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads)
end

local prepared, counter = {}, 0

function init(args)
  if #paths == 0 then
    error("BENCH_PATHS is empty")
  end
  for i, path in ipairs(paths) do
    prepared[i] = wrk.format("GET", path)
  end
  counter = (thread_id - 1) * 7
end

function request()
  counter = counter + 1
  return prepared[counter % #prepared + 1]
end

function done(summary, latency, requests)
  io.write("bench-read p95-us ", latency:percentile(95), "\n")
end
