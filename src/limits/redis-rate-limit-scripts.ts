/**
 * The Lua scripts behind the Redis rate limiter. Redis runs a script atomically, so all three
 * checks of an acquire and their updates are one step for every instance sharing the keys.
 * The arithmetic mirrors create-memory-rate-limiter.ts expression for expression (same
 * operations in the same order on IEEE doubles), so both implementations return the same
 * numbers and pass the same suite; the algorithm is documented in rate-limiter.ts.
 *
 * Conventions shared by both scripts:
 * - ARGV[1] is the time in milliseconds, or '' to read the Redis server's TIME. Server time is
 *   the default because every instance then measures refill with the same clock; instance
 *   clocks skew. Tests inject a time to control refill. Redis 5+ replicates script effects,
 *   not the script, so calling TIME before writing is allowed (Redis 7 always does so).
 * - An empty limit argument means unlimited.
 * - Floats cross the boundary as strings: Redis truncates Lua numbers returned to the client
 *   to integers, and '%.17g' round-trips a double exactly.
 * - Bucket hashes expire once refilled plus a minute of slack (an absent bucket is a full one);
 *   the slack keeps state through clock skew between instances and through injected clocks.
 */

const COMMON = `
local window = 60000
local slack = 60000
local now = tonumber(ARGV[1])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
end

local function format(value)
  return string.format('%.17g', value)
end

-- The bucket as it stands now: level and the timestamp to store. A clock that went backwards
-- refills nothing and keeps the later timestamp, so no interval is ever counted twice.
local function refill(key, capacity)
  local stored = redis.call('HMGET', key, 'level', 'at')
  local level = tonumber(stored[1])
  local at = tonumber(stored[2])
  if not level or not at then
    return capacity, now
  end
  local elapsed = now - at
  if elapsed < 0 then elapsed = 0 end
  level = level + elapsed * capacity / window
  if level > capacity then level = capacity end
  if now > at then at = now end
  return level, at
end

local function store(key, capacity, level, at)
  redis.call('HSET', key, 'level', format(level), 'at', format(at))
  local missing = capacity - level
  if missing < 0 then missing = 0 end
  redis.call('PEXPIRE', key, math.ceil(missing * window / capacity) + slack)
end
`;

/**
 * KEYS: requests bucket, tokens bucket, leases sorted set (member lease id, score expiry).
 * ARGV: now, requestsPerMinute, tokensPerMinute, concurrentRequests, estimatedTokens,
 *       leaseId, leaseTtlMs, concurrencyRetryAfterMs.
 * Returns: { allowed 1|0, refused limit or '', retry-after ms, now, requests level or '',
 *            tokens level or '' }.
 */
export const ACQUIRE_SCRIPT = `${COMMON}
local requestsPerMinute = tonumber(ARGV[2])
local tokensPerMinute = tonumber(ARGV[3])
local concurrentRequests = tonumber(ARGV[4])
local estimatedTokens = tonumber(ARGV[5])
local leaseId = ARGV[6]
local leaseTtlMs = tonumber(ARGV[7])
local concurrencyRetryAfterMs = tonumber(ARGV[8])

local refusedLimit = ''
local retryAfterMs = 0
local function refuse(limit, waitMs)
  if waitMs > retryAfterMs then
    retryAfterMs = waitMs
    refusedLimit = limit
  end
end

local requestsLevel, requestsAt
if requestsPerMinute then
  requestsLevel, requestsAt = refill(KEYS[1], requestsPerMinute)
  if requestsLevel < 1 then
    refuse('requests', (1 - requestsLevel) * window / requestsPerMinute)
  end
end

local tokensLevel, tokensAt
if tokensPerMinute then
  tokensLevel, tokensAt = refill(KEYS[2], tokensPerMinute)
  local needed = estimatedTokens
  if needed > tokensPerMinute then needed = tokensPerMinute end
  if tokensLevel < needed then
    refuse('tokens', (needed - tokensLevel) * window / tokensPerMinute)
  end
end

if concurrentRequests then
  -- Leases of crashed instances, and of requests that outlived the TTL, free their slots here.
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', format(now))
  if redis.call('ZCARD', KEYS[3]) >= concurrentRequests then
    refuse('concurrency', concurrencyRetryAfterMs)
  end
end

if refusedLimit == '' then
  if requestsPerMinute then
    requestsLevel = requestsLevel - 1
    store(KEYS[1], requestsPerMinute, requestsLevel, requestsAt)
  end
  if tokensPerMinute then
    tokensLevel = tokensLevel - estimatedTokens
    store(KEYS[2], tokensPerMinute, tokensLevel, tokensAt)
  end
  if concurrentRequests then
    redis.call('ZADD', KEYS[3], format(now + leaseTtlMs), leaseId)
    redis.call('PEXPIRE', KEYS[3], leaseTtlMs + slack)
  end
end

return {
  refusedLimit == '' and 1 or 0,
  refusedLimit,
  format(retryAfterMs),
  format(now),
  requestsLevel and format(requestsLevel) or '',
  tokensLevel and format(tokensLevel) or '',
}
`;

/**
 * KEYS: tokens bucket, leases sorted set.
 * ARGV: now, tokensPerMinute at acquire time, estimatedTokens - actualTokens, leaseId or ''.
 * A positive correction refunds (never above capacity), a negative one is debt.
 */
export const RELEASE_SCRIPT = `${COMMON}
local tokensPerMinute = tonumber(ARGV[2])
local correction = tonumber(ARGV[3])
local leaseId = ARGV[4]

if leaseId ~= '' then
  redis.call('ZREM', KEYS[2], leaseId)
end
if tokensPerMinute and correction ~= 0 then
  local level, at = refill(KEYS[1], tokensPerMinute)
  level = level + correction
  if level > tokensPerMinute then level = tokensPerMinute end
  store(KEYS[1], tokensPerMinute, level, at)
end
return 1
`;
