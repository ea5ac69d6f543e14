-- wrk: 1 元 payments, every request with its own Idempotency-Key.
--   wrk ... -s bench/lua/payment.lua http://HOST -- TOKEN FIRST COUNT PAID_ON RUN
--   wrk ... -s bench/lua/payment.lua http://HOST -- TOKEN ID,ID,… 0 PAID_ON RUN
-- Invoices FIRST..FIRST+COUNT-1, or the listed ids, visited a stride apart (4729 is prime to
-- any count of the form 2^a 5^b, so 100,000 invoices are all visited before one repeats).
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  token = args[1]
  listed = {}
  for v in string.gmatch(args[2], "[^,]+") do table.insert(listed, v) end
  first = tonumber(listed[1])
  count = tonumber(args[3])
  if #listed == 1 then listed = nil else count = #listed end
  paid_on = args[4]
  run = args[5]
end
request = function()
  counter = counter + 1
  local k = (id * 7919 + counter * 4729) % count
  local invoice = listed and listed[k + 1] or (first + k)
  local body = string.format(
    '{"amount_fen":100,"paid_on":"%s","method":"bank_transfer","reference":"bench %d-%d"}',
    paid_on, id, counter)
  return wrk.format("POST", "/api/dues/invoices/" .. invoice .. "/payments",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token,
     ["Idempotency-Key"] = string.format("%s-%d-%d", run, id, counter)}, body)
end
