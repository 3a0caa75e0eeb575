import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthenticatedKey } from '../auth/authenticated-key.js';
import { GatewayError } from '../errors/gateway-error.js';
import { parseAnthropicRequestEnvelope } from '../protocol/anthropic/parse-anthropic-request-envelope.js';
import { resolveSessionId } from '../routing/resolve-session-id.js';
import { buildLedgerEntry } from './build-ledger-entry.js';
import { createRequestId } from './create-request-id.js';
import { extractApiKey } from './extract-api-key.js';
import type { GatewayContext } from './gateway-context.js';
import { readRequestBody } from './read-request-body.js';
import { relayToAnthropicUpstream } from './relay-to-anthropic-upstream.js';
import { renderAnthropicError } from './render-anthropic-error.js';

/**
 * `POST /v1/messages` and `POST /v1/messages/count_tokens`: authenticate,
 * read the body (bounded), route by model, relay. Every request leaves a
 * ledger row, also the ones refused before reaching an upstream.
 */
export async function handleAnthropicRequest(options: {
  request: IncomingMessage;
  response: ServerResponse;
  endpoint: 'messages' | 'count_tokens';
  pathAndQuery: string;
  context: GatewayContext;
}): Promise<void> {
  const { request, response, context, endpoint } = options;
  const requestId = createRequestId();
  const receivedAt = Date.now();
  const startedAt = performance.now();
  let key: AuthenticatedKey | undefined;
  let clientModel: string | undefined;
  let stream = false;
  try {
    key = await context.authenticator.authenticate(extractApiKey(request.headers));
    const body = await readRequestBody(request, context.maxBodyBytes);
    const envelope = parseAnthropicRequestEnvelope(body);
    clientModel = envelope.model;
    stream = endpoint === 'messages' && envelope.stream;
    const router = context.router();
    const route = router.resolve(envelope.model);
    if (!route) {
      if (router.isServedOnlyByDisabledChannels(envelope.model)) {
        throw new GatewayError({ status: 503, type: 'api_error', message: `No enabled channel serves model ${envelope.model} right now.` });
      }
      throw new GatewayError({ status: 404, type: 'not_found_error', message: `model: ${envelope.model}` });
    }
    const sessionHeader = request.headers['x-claude-code-session-id'];
    await relayToAnthropicUpstream(
      {
        request,
        response,
        requestId,
        receivedAt,
        startedAt,
        key,
        endpoint,
        clientModel: envelope.model,
        stream,
        sessionId: resolveSessionId({ header: typeof sessionHeader === 'string' ? sessionHeader : undefined, metadataUserId: envelope.metadataUserId }),
        body,
        route,
        pathAndQuery: options.pathAndQuery,
      },
      context,
    );
  } catch (caught) {
    const clientAborted = (caught as { code?: string }).code === 'CLIENT_ABORTED';
    const error =
      caught instanceof GatewayError
        ? caught
        : new GatewayError({ status: 500, type: 'api_error', message: 'Internal error in mixroute.', cause: caught });
    if (!(caught instanceof GatewayError) && !clientAborted) {
      context.logger.error({ requestId, err: caught }, 'unexpected error while handling a request');
    }
    if (!clientAborted) {
      if (error.status === 413) response.setHeader('connection', 'close');
      renderAnthropicError({ response, error, requestId });
    }
    context.ledger.write(
      buildLedgerEntry({
        requestId,
        receivedAt,
        startedAt,
        key,
        endpoint,
        clientModel,
        stream,
        sessionId: undefined,
        status: clientAborted ? 499 : error.status,
        outcome: clientAborted ? 'client_aborted' : 'gateway_error',
        errorType: clientAborted ? null : error.type,
      }),
    );
  }
}
