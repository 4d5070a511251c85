-- wrk script: POST /webhook/appointment with a unique appointment id per request; counts statuses.
local threads = {}
local counter = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  created, other = 0, 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"event_type":"appointment.scheduled","appointment_id":"b-%d-%d","patient_id":"p-%d","timestamp":"2025-01-10T12:30:00Z","notes":"bench"}',
    tid, counter, counter % 1000)
  return wrk.format(nil, "/webhook/appointment", nil, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  io.write(string.format("RESULT requests_per_sec=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f created=%d non_201=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, c, o,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
