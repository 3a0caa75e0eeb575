import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminContext } from '../admin/admin-context.js';
import type { AdminCaller } from '../admin/admin-request.js';
import { ADMIN_BASE_PATH, ADMIN_ROUTES } from '../admin/admin-routes.js';
import { resolveAdminRoute } from '../admin/resolve-admin-route.js';
import { checkKeyPolicy } from '../auth/check-key-policy.js';
import { GatewayError } from '../errors/gateway-error.js';
import { createRequestId } from './create-request-id.js';
import { extractApiKey } from './extract-api-key.js';
import type { GatewayContext } from './gateway-context.js';
import { readRequestBody } from './read-request-body.js';
import { writeJson } from './write-json.js';

/** Admin bodies are small JSON objects; a channel with many keys is a few kilobytes. */
const MAX_ADMIN_BODY_BYTES = 1024 * 1024;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * `/admin/v1/*`: the admin API over HTTP. Authenticates the caller (the same
 * mixroute keys as the client API, accepted only when the key's user is an
 * admin; the key's address allowlist applies), reads the JSON body, runs the
 * route's handler and writes its answer. Errors are thrown as GatewayErrors,
 * so they are rendered where every other error is.
 */
export async function handleAdminRequest(options: {
  request: IncomingMessage;
  response: ServerResponse;
  path: string;
  query: URLSearchParams;
  context: GatewayContext;
  admin: AdminContext;
}): Promise<void> {
  const { request, response, context, admin } = options;
  const method = request.method ?? 'GET';
  const resolution = resolveAdminRoute({ routes: ADMIN_ROUTES, method, path: options.path.slice(ADMIN_BASE_PATH.length) });
  let caller: AdminCaller | undefined;
  try {
    if (resolution.kind !== 'found' || resolution.route.authenticated) caller = await authenticateAdmin(request, context, admin);
    if (resolution.kind === 'not_found') {
      throw new GatewayError({ status: 404, type: 'not_found_error', message: `Not found: ${method} ${options.path}` });
    }
    if (resolution.kind === 'wrong_method') {
      throw new GatewayError({
        status: 405,
        type: 'invalid_request_error',
        message: `Method ${method} is not allowed on ${options.path} (allowed: ${resolution.allowed.join(', ')}).`,
        headers: { allow: resolution.allowed.join(', ') },
      });
    }
  } catch (error) {
    request.resume();
    throw error;
  }
  let body: unknown;
  if (WITH_BODY.has(method)) body = parseJsonBody(await readRequestBody(request, MAX_ADMIN_BODY_BYTES));
  else request.resume();
  const result = await resolution.route.handle({ params: resolution.params, query: options.query, body, caller }, admin);
  const requestId = createRequestId();
  if (method !== 'GET' && result.status < 300) {
    // Authenticated keys carry their policy and their user's billing: drop them here at once
    // (other instances follow at their next revision poll).
    context.authenticator.invalidate();
    context.logger.info({ admin: caller?.keyName, method, path: options.path, status: result.status, requestId }, 'admin change');
  }
  if (result.status === 204) {
    response.writeHead(204, { 'request-id': requestId, 'x-mixroute-request-id': requestId });
    response.end();
    return;
  }
  writeJson({ response, status: result.status, body: result.body, requestId });
}

async function authenticateAdmin(request: IncomingMessage, context: GatewayContext, admin: AdminContext): Promise<AdminCaller> {
  const key = await context.authenticator.authenticate(extractApiKey(request.headers));
  checkKeyPolicy({ policy: key.policy, clientAddress: request.socket.remoteAddress });
  // Read fresh, not from the key cache: a demoted admin loses access at once.
  const user = await admin.storage.users.findById(key.userId);
  if (user?.role !== 'admin') {
    throw new GatewayError({ status: 403, type: 'permission_error', message: "The admin API needs a key of an admin user; this key's user is not one." });
  }
  return { keyId: key.id, keyName: key.name, userId: key.userId };
}

function parseJsonBody(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new GatewayError({ status: 400, type: 'invalid_request_error', message: 'body: not valid JSON' });
  }
}
