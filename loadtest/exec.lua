-- wrk script: POST /v1/exec {"command":"echo hi"} with the token from SHELLWISE_TOKEN.
wrk.method = "POST"
wrk.body = '{"command":"echo hi"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SHELLWISE_TOKEN")

local failures = 0
response = function(status, headers, body)
  if status ~= 200 or not string.find(body, '"stdout":"hi\\n"', 1, true) then
    failures = failures + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f requests=%d non2xx_or_wrong=%d rps=%.0f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, summary.errors.status, summary.requests / (summary.duration / 1e6)))
end
