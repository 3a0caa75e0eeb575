import { BlockList, isIPv6 } from 'node:net';
import { GatewayError } from '../errors/gateway-error.js';
import { compileModelPattern } from '../routing/compile-model-pattern.js';
import type { ApiKeyPolicy } from '../storage/api-key-policy.js';

interface CompiledPolicy {
  models?: Array<(model: string) => boolean>;
  addresses?: BlockList;
}

/** Compiled once per policy object (keys are cached by the authenticator, so this is once per key load). */
const compiled = new WeakMap<ApiKeyPolicy, CompiledPolicy>();

function compile(policy: ApiKeyPolicy): CompiledPolicy {
  let result = compiled.get(policy);
  if (!result) {
    result = {};
    if (policy.allowedModels) result.models = policy.allowedModels.map(compileModelPattern);
    if (policy.allowedIps) {
      const list = new BlockList();
      for (const entry of policy.allowedIps) {
        const [address, prefix] = entry.split('/');
        const family = isIPv6(address!) ? 'ipv6' : 'ipv4';
        if (prefix === undefined) list.addAddress(address!, family);
        else list.addSubnet(address!, Number(prefix), family);
      }
      result.addresses = list;
    }
    compiled.set(policy, result);
  }
  return result;
}

/** An IPv4 client on a dual-stack socket shows as `::ffff:a.b.c.d`; the allowlist is written in IPv4. */
function normalizeAddress(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  return { address, family: isIPv6(address) ? 'ipv6' : 'ipv4' };
}

/**
 * Refuses, with 403 `permission_error` (the key is valid but not allowed this),
 * a request from an address outside the key's allowlist or for a model outside
 * its allowed patterns.
 */
export function checkKeyPolicy(options: { policy: ApiKeyPolicy; model?: string | undefined; clientAddress: string | undefined }): void {
  const policy = compile(options.policy);
  if (policy.addresses) {
    const client = options.clientAddress ? normalizeAddress(options.clientAddress) : undefined;
    if (!client || !policy.addresses.check(client.address, client.family)) {
      throw new GatewayError({ status: 403, type: 'permission_error', message: `This API key may not be used from ${client?.address ?? 'an unknown address'}.` });
    }
  }
  if (policy.models && options.model !== undefined && !policy.models.some((matches) => matches(options.model!))) {
    throw new GatewayError({ status: 403, type: 'permission_error', message: `This API key may not use model ${options.model}.` });
  }
}

/** Whether the key's allowed patterns admit a model (for the models listing). */
export function isModelAllowed(policy: ApiKeyPolicy, model: string): boolean {
  const models = compile(policy).models;
  return !models || models.some((matches) => matches(model));
}
