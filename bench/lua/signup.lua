-- wrk: sign-ups, one attendee per request.
--   wrk ... -s bench/lua/signup.lua http://HOST -- PATH TOKEN MEMBER_ID [PREFIX]
-- PATH is /api/classes/{id}/enrollments; PREFIX (a digit, default 0) keeps the mobiles of
-- several wrk runs on one class apart. Each thread's mobiles are its own: 13, PREFIX, the
-- thread, a counter.
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  path = args[1]
  token = args[2]
  member = args[3]
  prefix = tonumber(args[4] or "0")
end
request = function()
  counter = counter + 1
  local mobile = string.format("13%d%d%07d", prefix % 10, id % 10, counter % 10000000)
  local body = string.format('{"member_id":%s,"attendee":{"name":"学员%d","mobile":"%s"},"consent_version":1}',
    member, counter, mobile)
  return wrk.format("POST", path, {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token}, body)
end
