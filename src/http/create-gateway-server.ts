import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';
import type { ClientDialect } from './client-dialect.js';
import { createRequestId } from './create-request-id.js';
import type { GatewayContext } from './gateway-context.js';
import { ADMIN_BASE_PATH } from '../admin/admin-base-path.js';
import { handleInferenceRequest } from './handle-inference-request.js';
import { handleModels } from './handle-models.js';
import { renderGatewayError } from './render-gateway-error.js';
import { writeJson } from './write-json.js';

/**
 * The gateway's HTTP server. Routes on the path alone: the query (Claude
 * Code's `?beta=true`, pagination) never changes where a request goes.
 */
export function createGatewayServer(context: GatewayContext): Server {
  // requestTimeout bounds receiving a request (a slow client trickling its body holds a socket);
  // it does not limit how long a response may stream.
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 300_000, headersTimeout: 60_000 }, (request, response) => {
    route(request, response, context).catch((error: unknown) => {
      const requestId = createRequestId();
      const gatewayError =
        error instanceof GatewayError ? error : new GatewayError({ status: 500, type: 'api_error', message: 'Internal error in mixroute.', cause: error });
      if (!(error instanceof GatewayError)) context.logger.error({ requestId, err: error }, 'unexpected error');
      renderGatewayError({ response, error: gatewayError, requestId, dialect: dialectOf(request.url) });
    });
  });
  return server;
}

const MODEL_PATH = '/v1/models/';
let adminModule: Promise<typeof import('./handle-admin-request.js')> | undefined;

async function route(request: IncomingMessage, response: ServerResponse, context: GatewayContext): Promise<void> {
  const url = request.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const method = request.method ?? 'GET';

  if (method === 'POST' && path === '/v1/messages') {
    return handleInferenceRequest({ request, response, dialect: 'anthropic', endpoint: 'messages', pathAndQuery: url, context });
  }
  if (method === 'POST' && path === '/v1/messages/count_tokens') {
    return handleInferenceRequest({ request, response, dialect: 'anthropic', endpoint: 'count_tokens', pathAndQuery: url, context });
  }
  if (method === 'POST' && path === '/v1/chat/completions') {
    return handleInferenceRequest({ request, response, dialect: 'openai', endpoint: 'chat_completions', pathAndQuery: url, context });
  }
  const requestId = createRequestId();
  if ((method === 'GET' || method === 'HEAD') && (path === '/' || path === '/health')) {
    // Claude Code sends `HEAD /` at start as a warm-up; answer at once, without a key.
    writeJson({ response, status: 200, body: { status: 'ok', service: 'mixroute' }, requestId, headOnly: method === 'HEAD' });
    return;
  }
  if (method === 'GET' && path === '/metrics' && context.metrics) {
    if (context.metricsToken && request.headers.authorization !== `Bearer ${context.metricsToken}`) {
      throw new GatewayError({ status: 401, type: 'authentication_error', message: 'metrics need Authorization: Bearer <server.metrics.token>' });
    }
    const { contentType, body } = await context.metrics.render();
    response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    response.end(body);
    return;
  }
  if (method === 'GET' && (path === '/v1/models' || path.startsWith(MODEL_PATH))) {
    let modelId: string | undefined;
    try {
      modelId = path === '/v1/models' ? undefined : decodeURIComponent(path.slice(MODEL_PATH.length));
    } catch {
      throw new GatewayError({ status: 404, type: 'not_found_error', message: 'model: (not a valid URL-encoded name)' });
    }
    const query = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1));
    return handleModels({ request, response, modelId, query, context, requestId });
  }
  if (context.admin && path.startsWith(`${ADMIN_BASE_PATH}/`)) {
    const query = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1));
    // Loaded on first use: a gateway nobody administers over HTTP does not carry the admin API in memory.
    const { handleAdminRequest } = await (adminModule ??= import('./handle-admin-request.js'));
    return handleAdminRequest({ request, response, path, query, context, admin: context.admin });
  }
  const known = ['/v1/messages', '/v1/messages/count_tokens', '/v1/chat/completions', '/v1/models'].includes(path) || path.startsWith(MODEL_PATH);
  request.resume();
  throw known
    ? new GatewayError({ status: 405, type: 'invalid_request_error', message: `Method ${method} is not allowed on ${path}.` })
    : new GatewayError({ status: 404, type: 'not_found_error', message: `Not found: ${method} ${path}` });
}

function dialectOf(url: string | undefined): ClientDialect {
  return url?.startsWith('/v1/chat/') ? 'openai' : 'anthropic';
}
