-- wrk script: POST a JSON body to /v1/exec and check EVERY response, status and body.
--
-- Configured from the environment (bench.py sets these; the defaults are the `echo hi` case):
--   LT_TOKEN or SHELLWISE_TOKEN   bearer token
--   LT_BODY                       request body            (default {"command":"echo hi"})
--   LT_STATUS                     expected HTTP status    (default 200)
--   LT_EXPECT_1, LT_EXPECT_2, ... substrings the body must contain (plain match, no patterns)
--
-- Why the thread objects: each wrk thread runs this script in its own Lua state, so counters
-- bumped in response() live in that thread only. setup() (main state) keeps every thread
-- object and done() (main state again) reads each thread's counters with thread:get().
-- Without that, wrong bodies are counted where nobody ever looks.
--
-- done() prints one machine-readable line, prefixed so bench.py can find it in wrk's output:
--   LT_RESULT {"requests":..,"checked":..,"wrong_status":..,"wrong_body":..,"first_wrong":..,...}

local token = os.getenv("LT_TOKEN") or os.getenv("SHELLWISE_TOKEN") or ""
local want_status = tonumber(os.getenv("LT_STATUS") or "200")
local expect = {}
for i = 1, 16 do
  local e = os.getenv("LT_EXPECT_" .. i)
  if not e then break end
  expect[#expect + 1] = e
end
if #expect == 0 and not os.getenv("LT_BODY") then
  expect = { '"stdout":"hi\\n"', '"exitCode":0,' }
end

wrk.method = "POST"
wrk.body = os.getenv("LT_BODY") or '{"command":"echo hi"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

-- Per-thread counters (globals of this thread's Lua state; read by done() via thread:get).
checked = 0
wrong_status = 0
wrong_body = 0
first_wrong = ""

response = function(status, headers, body)
  checked = checked + 1
  local bad = nil
  if status ~= want_status then
    wrong_status = wrong_status + 1
    bad = "status " .. status
  else
    for _, e in ipairs(expect) do
      if not string.find(body, e, 1, true) then
        wrong_body = wrong_body + 1
        bad = "missing " .. e
        break
      end
    end
  end
  if bad and first_wrong == "" then
    first_wrong = bad .. ": " .. string.sub(body or "", 1, 300)
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function json_string(s)
  s = string.gsub(s, '[%c"\\]', function(c)
    if c == '"' then return '\\"' end
    if c == "\\" then return "\\\\" end
    return string.format("\\u%04x", string.byte(c))
  end)
  return '"' .. s .. '"'
end

function done(summary, latency, requests)
  local c, ws, wb, first = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    c = c + (t:get("checked") or 0)
    ws = ws + (t:get("wrong_status") or 0)
    wb = wb + (t:get("wrong_body") or 0)
    local f = t:get("first_wrong") or ""
    if first == "" then first = f end
  end
  local e = summary.errors
  io.write(string.format(
    'LT_RESULT {"requests":%d,"checked":%d,"wrong_status":%d,"wrong_body":%d,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,"non2xx3xx":%d,' ..
    '"duration_s":%.3f,"rps":%.1f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,' ..
    '"first_wrong":%s}\n',
    summary.requests, c, ws, wb, e.connect, e.read, e.write, e.timeout, e.status,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, json_string(first)))
end
