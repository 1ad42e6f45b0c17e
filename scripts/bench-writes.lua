-- wrk script for the write scenario of scripts/bench.mjs (not meant to be run by hand).
--
-- Every request POSTs a comment with varied text to the URL given to wrk, as the next of the
-- session cookies in BENCH_SESSION_TOKENS (comma-separated values of authjs.session-token), so
-- the writers rotate between users. Each thread counts answers by status and keeps the first
-- error body; done() prints one line of counts and, if any, that error, for bench.mjs to parse:
--   bench-writes statuses 201=1234,500=2
--   bench-writes first-error 500 {"error":...}

local tokens = {}
for token in string.gmatch(os.getenv("BENCH_SESSION_TOKENS") or "", "[^,]+") do
  tokens[#tokens + 1] = token
end

local words = {
  "Xiaomi", "Redmi", "Note 4", "India", "Indonesia", "growth", "shipments", "quarter", "battery",
  "camera", "price", "budget", "flagship", "retail", "online", "offline", "targets", "revenue",
  "market", "share", "OnePlus", "Samsung", "supply", "chain", "R&D", "strong", "likely", "doubt",
  "next", "year", "MIUI", "updates", "stores", "margins", "Lei Jun", "100 million", "impressive",
}

-- Main state: keep the threads so done() can collect their counts.
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads)
end

-- Thread state from here on: thread_id was set by setup(); statuses and first_error are
-- globals so that done() can read them with thread:get().
local counter = 0

function init(args)
  if #tokens == 0 then
    error("BENCH_SESSION_TOKENS is empty")
  end
  math.randomseed(7919 * thread_id)
  -- Start the threads on different users.
  counter = (thread_id - 1) * 7
  statuses = {}
  first_error = nil
end

function request()
  counter = counter + 1
  local token = tokens[counter % #tokens + 1]
  local text = {}
  for i = 1, math.random(8, 60) do
    text[i] = words[math.random(#words)]
  end
  local body = string.format('{"body":"Bench comment %d-%d: %s."}', thread_id, counter, table.concat(text, " "))
  return wrk.format("POST", wrk.path, {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "authjs.session-token=" .. token,
  }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 300 and first_error == nil then
    first_error = status .. " " .. (body or "")
  end
end

function done(summary, latency, requests)
  local counts, first = {}, nil
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      counts[status] = (counts[status] or 0) + n
    end
    first = first or thread:get("first_error")
  end
  local list = {}
  for status, n in pairs(counts) do
    list[#list + 1] = status .. "=" .. n
  end
  table.sort(list)
  io.write("bench-writes statuses ", table.concat(list, ","), "\n")
  if first then
    io.write("bench-writes first-error ", (string.sub(string.gsub(first, "%s+", " "), 1, 600)), "\n")
  end
end
