import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { AuthenticatedKey } from '../auth/authenticated-key.js';
import type { GatewayError } from '../errors/gateway-error.js';
import type { LedgerWriter } from '../metering/create-ledger-writer.js';
import { createAnthropicStreamUsageTap } from '../metering/create-anthropic-stream-usage-tap.js';
import { readAnthropicMessageUsage } from '../metering/read-anthropic-message-usage.js';
import type { Usage } from '../metering/usage.js';
import { isHopByHopHeader, parseConnectionHeader } from '../protocol/http/is-hop-by-hop-header.js';
import { findLastEventBoundary } from '../protocol/sse/find-last-event-boundary.js';
import { buildAnthropicUpstreamRequest } from '../providers/anthropic/build-anthropic-upstream-request.js';
import type { Route } from '../routing/route.js';
import type { LedgerEntry } from '../storage/ledger-entry.js';
import { classifyUpstreamFailure } from '../upstream/classify-upstream-failure.js';
import type { UpstreamPools } from '../upstream/create-upstream-pools.js';
import { buildLedgerEntry } from './build-ledger-entry.js';
import { renderAnthropicError } from './render-anthropic-error.js';

export interface RelayRequest {
  request: IncomingMessage;
  response: ServerResponse;
  requestId: string;
  /** Date.now() when the request arrived, for the ledger. */
  receivedAt: number;
  /** performance.now() when the request arrived, for latencies. */
  startedAt: number;
  key: AuthenticatedKey;
  endpoint: 'messages' | 'count_tokens';
  clientModel: string;
  stream: boolean;
  sessionId: string | undefined;
  body: Buffer;
  route: Route;
  pathAndQuery: string;
}

export interface RelayDependencies {
  pools: UpstreamPools;
  ledger: LedgerWriter<LedgerEntry>;
  logger: Logger;
}

type Ending = Pick<LedgerEntry, 'status' | 'outcome' | 'errorType'> & { usage?: Usage; upstreamModel?: string };

/**
 * Relays one request to an Anthropic-protocol upstream and its answer back,
 * then writes the ledger row. Same protocol on both sides, so bytes pass
 * through: a stream is forwarded event by event as it arrives while a tap
 * reads usage from it; a JSON answer is forwarded as received. An upstream
 * error keeps its status and body (Claude Code recovers by reading Anthropic's
 * own wording); only failures with no upstream answer are rendered by mixroute.
 */
export async function relayToAnthropicUpstream(relay: RelayRequest, dependencies: RelayDependencies): Promise<void> {
  const { response, requestId, route } = relay;
  const target = route.targets[0]!;
  const { channel } = target;
  let ttfbMs: number | null = null;
  let recorded = false;

  const record = (ending: Ending) => {
    if (recorded) return;
    recorded = true;
    dependencies.ledger.write(
      buildLedgerEntry({
        requestId,
        receivedAt: relay.receivedAt,
        startedAt: relay.startedAt,
        key: relay.key,
        endpoint: relay.endpoint,
        clientModel: relay.clientModel,
        stream: relay.stream,
        sessionId: relay.sessionId,
        channel,
        upstreamModel: ending.upstreamModel ?? target.upstreamModel,
        status: ending.status,
        outcome: ending.outcome,
        errorType: ending.errorType,
        usage: ending.usage,
        ttfbMs,
      }),
    );
  };

  const upstreamRequest = buildAnthropicUpstreamRequest({
    target,
    pathAndQuery: relay.pathAndQuery,
    rawHeaders: relay.request.rawHeaders,
    body: relay.body,
    clientModel: relay.clientModel,
    addBetas: route.addBetas,
  });

  // A client that goes away aborts the upstream request: nobody is left to pay for the tokens.
  const abort = new AbortController();
  let clientGone = false;
  response.once('close', () => {
    if (!response.writableFinished) {
      clientGone = true;
      abort.abort();
    }
  });

  let upstream: Dispatcher.ResponseData;
  try {
    upstream = await dependencies.pools.get(upstreamRequest.origin, channel.timeouts.connectMs).request({
      method: 'POST',
      path: upstreamRequest.path,
      headers: upstreamRequest.headers,
      body: upstreamRequest.body,
      signal: abort.signal,
      headersTimeout: channel.timeouts.firstByteMs,
      bodyTimeout: channel.timeouts.idleMs,
    });
  } catch (error) {
    if (clientGone) {
      record({ status: 499, outcome: 'client_aborted', errorType: null });
      return;
    }
    const failure = classifyUpstreamFailure({ error, channelName: channel.name });
    dependencies.logger.warn({ requestId, channel: channel.name, err: error }, 'upstream request failed');
    renderAnthropicError({ response, error: failure, requestId });
    record({ status: failure.status, outcome: 'gateway_error', errorType: failure.type });
    return;
  }

  const status = upstream.statusCode;
  const headers = copyResponseHeaders(upstream.headers, requestId);
  const contentType = upstream.headers['content-type'];
  const isEventStream = status === 200 && typeof contentType === 'string' && contentType.startsWith('text/event-stream');
  if (isEventStream) {
    streamEvents({ relay, upstream, headers, record, setTtfb: () => (ttfbMs ??= Math.round(performance.now() - relay.startedAt)), isClientGone: () => clientGone, channelName: channel.name, logger: dependencies.logger });
  } else {
    forwardWhole({ relay, upstream, status, headers, record, setTtfb: () => (ttfbMs ??= Math.round(performance.now() - relay.startedAt)), isClientGone: () => clientGone, channelName: channel.name });
  }
}

function copyResponseHeaders(upstreamHeaders: IncomingHttpHeaders, requestId: string): OutgoingHttpHeaders {
  const connectionListed = parseConnectionHeader(upstreamHeaders.connection as string | undefined);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upstreamHeaders)) {
    if (value === undefined || isHopByHopHeader(name) || connectionListed.has(name)) continue;
    headers[name] = value;
  }
  // Anthropic always sends request-id; a third-party upstream may not, and the SDKs expose it.
  headers['request-id'] ??= requestId;
  headers['x-mixroute-request-id'] = requestId;
  return headers;
}

interface ForwardOptions {
  relay: RelayRequest;
  upstream: Dispatcher.ResponseData;
  headers: OutgoingHttpHeaders;
  record: (ending: Ending) => void;
  setTtfb: () => void;
  isClientGone: () => boolean;
  channelName: string;
}

/**
 * A JSON answer (success or upstream error) is read whole before the status is
 * sent: it is small, and a body that breaks halfway can still become a clean
 * 502 instead of a truncated 200.
 */
function forwardWhole(options: ForwardOptions & { status: number }): void {
  const { relay, upstream, headers, record, status } = options;
  const chunks: Buffer[] = [];
  upstream.body.on('data', (chunk: Buffer) => chunks.push(chunk));
  upstream.body.on('error', (error) => {
    if (options.isClientGone()) {
      record({ status: 499, outcome: 'client_aborted', errorType: null });
      return;
    }
    const failure = classifyUpstreamFailure({ error, channelName: options.channelName });
    renderAnthropicError({ response: relay.response, error: failure, requestId: relay.requestId });
    record({ status: failure.status, outcome: 'gateway_error', errorType: failure.type });
  });
  upstream.body.on('end', () => {
    const body = Buffer.concat(chunks);
    options.setTtfb();
    relay.response.writeHead(status, headers);
    relay.response.end(body);
    if (status >= 200 && status < 300) {
      const summary = relay.endpoint === 'messages' ? readAnthropicMessageUsage(body) : undefined;
      record({ status, outcome: 'ok', errorType: null, usage: summary?.usage, upstreamModel: summary?.model });
    } else {
      record({ status, outcome: 'upstream_error', errorType: readErrorType(body) ?? `http_${status}` });
    }
  });
}

/**
 * Forwards an event stream as it arrives, whole events at a time (see
 * findLastEventBoundary), honouring the client's backpressure, while the usage
 * tap reads message_start / message_delta. If the upstream breaks off, the
 * client gets Anthropic's mid-stream `event: error` and the ledger keeps the
 * usage delivered so far.
 */
function streamEvents(options: ForwardOptions & { logger: Logger }): void {
  const { relay, upstream, headers, record } = options;
  const { response } = relay;
  const tap = createAnthropicStreamUsageTap();
  const body = upstream.body;
  let held: Buffer | undefined;

  response.writeHead(200, headers);
  response.flushHeaders();
  options.setTtfb();

  body.on('data', (chunk: Buffer) => {
    tap.push(chunk);
    const bytes = held ? Buffer.concat([held, chunk]) : chunk;
    const boundary = findLastEventBoundary(bytes);
    held = boundary < bytes.length ? bytes.subarray(boundary) : undefined;
    if (boundary > 0 && !response.write(boundary === bytes.length ? bytes : bytes.subarray(0, boundary))) body.pause();
  });
  response.on('drain', () => body.resume());

  const summarize = () => {
    tap.end();
    const summary = tap.result();
    return { usage: summary.usage, upstreamModel: summary.model, summary };
  };

  body.on('end', () => {
    if (held) response.write(held);
    response.end();
    const { summary, ...delivered } = summarize();
    if (summary.error) record({ status: 200, outcome: 'stream_error', errorType: summary.error.type, ...delivered });
    else if (!summary.sawMessageStop) record({ status: 200, outcome: 'stream_error', errorType: 'incomplete_stream', ...delivered });
    else record({ status: 200, outcome: 'ok', errorType: null, ...delivered });
  });

  body.on('error', (error) => {
    const { summary: _summary, ...delivered } = summarize();
    if (options.isClientGone()) {
      record({ status: 200, outcome: 'client_aborted', errorType: null, ...delivered });
      return;
    }
    const failure: GatewayError = classifyUpstreamFailure({ error, channelName: options.channelName });
    options.logger.warn({ requestId: relay.requestId, channel: options.channelName, err: error }, 'upstream stream broke off');
    if (!response.writableEnded) {
      if (headers['content-length'] === undefined) {
        const event = { type: 'error', error: { type: 'api_error', message: failure.message } };
        response.end(`event: error\ndata: ${JSON.stringify(event)}\n\n`);
      } else {
        response.destroy();
      }
    }
    record({ status: 200, outcome: 'stream_error', errorType: 'api_error', ...delivered });
  });
}

function readErrorType(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: { type?: unknown } };
    return typeof parsed?.error?.type === 'string' ? parsed.error.type : undefined;
  } catch {
    return undefined;
  }
}
