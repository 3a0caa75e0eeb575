import type { KeyConfig } from '../config/config.js';
import type { ApiKeyPolicy } from '../storage/api-key-policy.js';
import { parseUsdAmount } from '../metering/money/usd-amount.js';

/** A key's restrictions as written in YAML → the stored policy (absent fields stay absent). */
export function convertKeyPolicy(key: Pick<KeyConfig, 'models' | 'allowed_ips' | 'limits'>): ApiKeyPolicy {
  return {
    ...(key.models ? { allowedModels: key.models } : {}),
    ...(key.allowed_ips ? { allowedIps: key.allowed_ips } : {}),
    ...(key.limits?.requests_per_minute ? { requestsPerMinute: key.limits.requests_per_minute } : {}),
    ...(key.limits?.tokens_per_minute ? { tokensPerMinute: key.limits.tokens_per_minute } : {}),
    ...(key.limits?.concurrent_requests ? { concurrentRequests: key.limits.concurrent_requests } : {}),
    ...(key.limits?.quota_usd !== undefined ? { quotaNanoUsd: parseUsdAmount(key.limits.quota_usd)! } : {}),
  };
}
