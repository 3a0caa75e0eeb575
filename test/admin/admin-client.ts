import { expect } from 'vitest';

/** Plain-fetch calls to a running mixroute's admin API, as any HTTP client makes them. */
export interface AdminAnswer {
  status: number;
  headers: Headers;
  body: any;
}

export type AdminCall = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<AdminAnswer>;

/**
 * `path` is below /admin/v1. A string body is sent as it is (for malformed
 * JSON), anything else as JSON. Without `key`, no credential is sent.
 */
export function createAdminClient(baseUrl: string, key?: string): AdminCall {
  return async (method, path, body, headers = {}) => {
    const response = await fetch(`${baseUrl}/admin/v1${path}`, {
      method,
      headers: {
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
  };
}

/** Anthropic's error envelope with this status and error type. */
export function expectedError(type: string, message?: unknown) {
  return { type: 'error', error: { type, message: message ?? expect.any(String) }, request_id: expect.any(String) };
}
