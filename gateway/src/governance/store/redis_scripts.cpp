// The Lua text of the fleet scripts (see redis_scripts.h). Numbers go back to Redis through
// string.format: Lua's own tostring keeps only 14 digits and writes large integers as 1e+15.
#include "governance/store/redis_scripts.h"

namespace sluice::gateway {

namespace {

constexpr std::string_view admit_script = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = 60000000
local rpm, tpm = tonumber(ARGV[1]), tonumber(ARGV[2])
local cost, micro = tonumber(ARGV[3]), tonumber(ARGV[4])
local token_budget, usd_budget = tonumber(ARGV[5]), tonumber(ARGV[6])
local b = redis.call('HMGET', KEYS[1], 'r', 'ra', 't', 'ta')
local function refill(level, at, limit)
  if not level then return limit end
  local l = tonumber(level) + (now - tonumber(at)) * limit / window
  if l > limit then return limit end
  return l
end
local r_level, t_level
if rpm > 0 then
  r_level = refill(b[1], b[2], rpm)
  if r_level < 1 then return {1, math.ceil((1 - r_level) * window / rpm)} end
end
if tpm > 0 and cost > 0 then
  if cost > tpm then return {2, window} end
  t_level = refill(b[3], b[4], tpm)
  if t_level < cost then return {2, math.ceil((cost - t_level) * window / tpm)} end
end
if token_budget > 0 or usd_budget > 0 then
  local used = redis.call('HMGET', KEYS[2], 't', 'u')
  local fresh = not used[1]
  local used_tokens = fresh and tonumber(ARGV[7]) or tonumber(used[1])
  local used_usd = fresh and tonumber(ARGV[8]) or tonumber(used[2] or '0')
  if token_budget > 0 and used_tokens + cost > token_budget then return {3, 0} end
  if usd_budget > 0 and used_usd + micro > usd_budget then return {4, 0} end
  if fresh then
    redis.call('HSET', KEYS[2], 't', ARGV[7], 'u', ARGV[8])
    redis.call('EXPIRE', KEYS[2], 5356800)
  end
  redis.call('HINCRBY', KEYS[2], 't', ARGV[3])
  redis.call('HINCRBY', KEYS[2], 'u', ARGV[4])
end
local ttl = 0
local function take(field, level, limit, units)
  local left = level - units
  redis.call('HSET', KEYS[1], field, string.format('%.17g', left), field .. 'a', string.format('%d', now))
  local full_in = math.ceil((limit - left) * window / limit / 1000) + 1000
  if full_in > ttl then ttl = full_in end
end
if r_level then take('r', r_level, rpm, 1) end
if t_level then take('t', t_level, tpm, cost) end
if ttl > 0 and redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return {0, 0}
)lua";

constexpr std::string_view settle_script = R"lua(
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', 86400) then return {0} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = 60000000
local p = ARGV[1]
local totals, seen, order = {1}, {}, {}
for i = 2, #ARGV, 12 do
  local id, budget_month, now_month = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local tpm, tpm_reserved = tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])
  local budget_tokens, budget_usd = tonumber(ARGV[i + 5]), tonumber(ARGV[i + 6])
  local used, used_usd = tonumber(ARGV[i + 7]), tonumber(ARGV[i + 8])
  local budgeted = ARGV[i + 9] == '1'
  if tpm > 0 and tpm_reserved ~= used then
    -- Give back what was reserved and not used, or charge what was used beyond it (never refused:
    -- the work is done). A bucket that expired was full.
    local key = p .. 'fleet:' .. id
    local b = redis.call('HMGET', key, 't', 'ta')
    local level = tpm
    if b[1] then
      level = tonumber(b[1]) + (now - tonumber(b[2])) * tpm / window
      if level > tpm then level = tpm end
    end
    level = level + tpm_reserved - used
    if level > tpm then level = tpm end
    redis.call('HSET', key, 't', string.format('%.17g', level), 'ta', string.format('%d', now))
    local full_in = math.ceil((tpm - level) * window / tpm / 1000) + 1000
    if redis.call('PTTL', key) < full_in then redis.call('PEXPIRE', key, full_in) end
  end
  -- The budget: the reservation becomes the real use. A reservation made in an earlier month went with
  -- that month; the use counts in this one. A key with a budget whose month Redis has not counted yet
  -- starts from what the replica knew.
  local key = p .. 'budget:' .. id .. ':' .. now_month
  local exists = redis.call('EXISTS', key) == 1
  if not exists and budgeted then
    redis.call('HSET', key, 't', ARGV[i + 10], 'u', ARGV[i + 11])
    redis.call('EXPIRE', key, 5356800)
    budget_tokens, budget_usd = 0, 0
    exists = true
  end
  if exists then
    if budget_month ~= now_month then
      budget_tokens, budget_usd = 0, 0
    end
    if used ~= budget_tokens then
      redis.call('HINCRBY', key, 't', string.format('%d', used - budget_tokens))
    end
    if used_usd ~= budget_usd then
      redis.call('HINCRBY', key, 'u', string.format('%d', used_usd - budget_usd))
    end
    if budgeted and not seen[key] then
      seen[key] = true
      order[#order + 1] = {key, id, now_month}
    end
  end
end
-- Each budgeted key's month once, after the whole batch.
for _, k in ipairs(order) do
  local u = redis.call('HMGET', k[1], 't', 'u')
  totals[#totals + 1] = k[2]
  totals[#totals + 1] = k[3]
  totals[#totals + 1] = u[1]
  totals[#totals + 1] = u[2]
end
return totals
)lua";

// KEYS: P state. ARGV: field, month, level. Raises the announced level of a key's budget alerts for
// the month and returns the level announced before (0 for a new month); a lower level changes nothing.
constexpr std::string_view alert_script = R"lua(
local v = redis.call('HGET', KEYS[1], ARGV[1])
local before = 0
if v then
  local m, l = string.match(v, '^(%d+):(%d+)$')
  if m == ARGV[2] then before = tonumber(l) end
end
if tonumber(ARGV[3]) > before then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. ARGV[3])
end
return before
)lua";

}  // namespace

std::string_view fleet_admit_script() noexcept { return admit_script; }

std::string_view fleet_settle_script() noexcept { return settle_script; }

std::string_view fleet_alert_script() noexcept { return alert_script; }

}  // namespace sluice::gateway
