-- wrk script for the signed-in scenario of scripts/bench.mjs (not meant to be run by hand).
--
-- Every request GETs the URL given to wrk, as the next of the session cookies in
-- BENCH_SESSION_TOKENS (comma-separated values of authjs.session-token), so the readers rotate
-- and a cache kept per reader could not flatter the figure; with none it sends no cookie, so the
-- signed-out run pays the same Lua per request. The requests are built once, in init().
-- done() prints how many requests took longer than BENCH_SLOW_MS (wrk's own default timeout;
-- the bench runs wrk with a longer one so they are measured, not dropped), for bench.mjs:
--   bench-read slow 12 of 3456
--
-- Each connection's first request waits BENCH_OPEN_MS (its first BENCH_CONNECTIONS_PER_THREAD
-- requests are the first of each of its connections), so every connection is open before any
-- request is made: a Node server accepts one new connection per turn of its event loop (libuv
-- since 1.45, libuv#3696), and when 50 connections arrive at once at a server that is already
-- busy with the first of them, each turn is longer than the last, and the fiftieth connection
-- waits about 7 s for its first answer (seen here with a bare http server doing 6 ms of work per
-- request). That measures how the run starts, the same for every page, not the page; behind
-- nginx (deploy/nginx.conf) the connections to the server are kept open. wrk starts a request's
-- clock after its delay.

local tokens = {}
for token in string.gmatch(os.getenv("BENCH_SESSION_TOKENS") or "", "[^,]+") do
  tokens[#tokens + 1] = token
end
local slow_us = (tonumber(os.getenv("BENCH_SLOW_MS")) or 2000) * 1000
local open_ms = tonumber(os.getenv("BENCH_OPEN_MS")) or 0
local first_requests = tonumber(os.getenv("BENCH_CONNECTIONS_PER_THREAD")) or 0

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads)
end

-- Thread state from here on (thread_id was set by setup()).
local prepared, counter = {}, 0

function init(args)
  if #tokens == 0 then
    prepared[1] = wrk.format("GET", wrk.path)
  else
    for i, token in ipairs(tokens) do
      prepared[i] = wrk.format("GET", wrk.path, { ["Cookie"] = "authjs.session-token=" .. token })
    end
  end
  -- Start the threads on different readers.
  counter = (thread_id - 1) * 7
end

function request()
  counter = counter + 1
  return prepared[counter % #prepared + 1]
end

local delayed = 0

function delay()
  if delayed < first_requests then
    delayed = delayed + 1
    return open_ms
  end
  return 0
end

function done(summary, latency, requests)
  -- latency(i) is the i-th distinct latency recorded (microseconds) and how many requests took it.
  local slow, total = 0, 0
  for i = 1, #latency do
    local value, count = latency(i)
    total = total + count
    if value > slow_us then
      slow = slow + count
    end
  end
  io.write("bench-read slow ", slow, " of ", total, "\n")
end
