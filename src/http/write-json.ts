import type { ServerResponse } from 'node:http';

/** A JSON response with `request-id`, which the SDKs read from every answer. */
export function writeJson(options: {
  response: ServerResponse;
  status: number;
  body: unknown;
  requestId: string;
  headOnly?: boolean;
  headers?: Record<string, string>;
}): void {
  const text = JSON.stringify(options.body);
  options.response.writeHead(options.status, {
    ...options.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': options.requestId,
    'x-mixroute-request-id': options.requestId,
  });
  options.response.end(options.headOnly ? undefined : text);
}
