-- wrk script for bench/serve: POSTs real photos to /v1/classify, cycling through the files listed
-- (one path per line) in $PHOTO_LIST, each thread from its own offset. Counts answers by status
-- (200, the designed 503, anything else) and prints one JSON line when done, latencies in µs.
local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   bodies = {}
   for path in io.lines(os.getenv("PHOTO_LIST")) do
      local file = assert(io.open(path, "rb"))
      bodies[#bodies + 1] = file:read("*a")
      file:close()
   end
   position = (id * 97) % #bodies
   ok, unavailable, other = 0, 0, 0
end

function request()
   position = position % #bodies + 1
   return wrk.format("POST", "/v1/classify?top=3", { ["Content-Type"] = "image/jpeg" }, bodies[position])
end

function response(status, headers, body)
   if status == 200 then
      ok = ok + 1
   elseif status == 503 then
      unavailable = unavailable + 1
   else
      other = other + 1
   end
end

function done(summary, latency, requests)
   local total_ok, total_unavailable, total_other = 0, 0, 0
   for _, thread in ipairs(threads) do
      total_ok = total_ok + thread:get("ok")
      total_unavailable = total_unavailable + thread:get("unavailable")
      total_other = total_other + thread:get("other")
   end
   local errors = summary.errors
   io.write(string.format(
      '{"duration_us": %d, "requests": %d, "ok": %d, "unavailable": %d, "other_status": %d, ' ..
      '"socket_errors": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
      summary.duration, summary.requests, total_ok, total_unavailable, total_other,
      errors.connect + errors.read + errors.write + errors.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
