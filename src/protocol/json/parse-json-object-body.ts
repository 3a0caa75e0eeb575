import { GatewayError } from '../../errors/gateway-error.js';

/**
 * An untrusted request body as a JSON object, or a 400 saying what it is
 * instead: the first check of both APIs' request parsers.
 */
export function parseJsonObjectBody(body: Buffer): Record<string, unknown> {
  const invalid = (message: string) => new GatewayError({ status: 400, type: 'invalid_request_error', message });
  if (body.length === 0) throw invalid('Request body is empty; expected a JSON object.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw invalid(`Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid(`Request body must be a JSON object, got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}.`);
  }
  return parsed as Record<string, unknown>;
}
