import type { z } from 'zod';
import { GatewayError } from '../errors/gateway-error.js';

/**
 * Validates a request body (or query) with a zod schema; a 400
 * `invalid_request_error` naming every wrong field (`spend_limit.period: …`)
 * otherwise. `where` prefixes top-level problems (`body`, `query`).
 */
export function parseAdminInput<Schema extends z.ZodType>(options: { schema: Schema; value: unknown; where?: string }): z.infer<Schema> {
  const result = options.schema.safeParse(options.value);
  if (result.success) return result.data;
  const where = options.where ?? 'body';
  const problems = result.error.issues.flatMap((issue) => {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : where;
    if (issue.code === 'unrecognized_keys') {
      const prefix = issue.path.length > 0 ? `${field}.` : '';
      return issue.keys.map((key) => `${prefix}${key}: unknown field`);
    }
    if (issue.path.length > 0 && valueAt(options.value, issue.path) === undefined) return [`${field}: required`];
    return [`${field}: ${issue.message}`];
  });
  throw new GatewayError({ status: 400, type: 'invalid_request_error', message: problems.join('; ') });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const step of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[step];
  }
  return current;
}
