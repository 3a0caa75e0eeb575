import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { AuthenticatedKey } from '../auth/authenticated-key.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { LedgerWriter } from '../metering/create-ledger-writer.js';
import type { UsageReader, UsageReading } from '../metering/usage-reader.js';
import { isHopByHopHeader, parseConnectionHeader } from '../protocol/http/is-hop-by-hop-header.js';
import type { UpstreamRequest } from '../providers/upstream-request.js';
import type { Target } from '../routing/target.js';
import type { LedgerEntry } from '../storage/ledger-entry.js';
import { classifyUpstreamFailure } from '../upstream/classify-upstream-failure.js';
import type { UpstreamPools } from '../upstream/create-upstream-pools.js';
import { buildLedgerEntry } from './build-ledger-entry.js';
import type { ClientDialect } from './client-dialect.js';
import { createWholeEventStream } from './create-whole-event-stream.js';
import { renderGatewayError } from './render-gateway-error.js';
import type { StreamTransform } from './stream-transform.js';

/** How an answer in the upstream's protocol becomes one in the client's; absent when both speak the same. */
export interface ResponseTranslation {
  /** A whole success answer (JSON); throws when the upstream's answer cannot be read. */
  json(body: Buffer): Buffer;
  stream(): StreamTransform;
  /** An upstream error, in the client's error envelope with the matching status. */
  error(options: { status: number; headers: IncomingHttpHeaders; body: Buffer }): { status: number; headers: OutgoingHttpHeaders; body: Buffer };
}

export interface RelayRequest {
  response: ServerResponse;
  requestId: string;
  /** Date.now() when the request arrived, for the ledger. */
  receivedAt: number;
  /** performance.now() when the request arrived, for latencies. */
  startedAt: number;
  key: AuthenticatedKey;
  dialect: ClientDialect;
  endpoint: string;
  clientModel: string;
  stream: boolean;
  sessionId: string | undefined;
  target: Target;
  upstreamRequest: UpstreamRequest;
  /** Reads usage in the upstream's protocol: the ledger keeps what the upstream reported. */
  usageReader: UsageReader;
  translation?: ResponseTranslation | undefined;
  /** Without a translation: how stream bytes pass (default: whole events, unchanged). */
  passthroughStream?: (() => StreamTransform) | undefined;
  /** Added to the client's response (for example a note that thinking was dropped). */
  extraHeaders?: OutgoingHttpHeaders | undefined;
}

export interface RelayDependencies {
  pools: UpstreamPools;
  ledger: LedgerWriter<LedgerEntry>;
  logger: Logger;
}

type Ending = Pick<LedgerEntry, 'status' | 'outcome' | 'errorType'> & { reading?: UsageReading | undefined };

/**
 * Sends one request to its upstream and the answer back, then writes the
 * ledger row. Without a translation, bytes pass through: a stream is forwarded
 * event by event as it arrives, a JSON answer as received, an upstream error
 * with its status and body unchanged (Claude Code recovers by reading
 * Anthropic's own wording). With one, the answer is re-encoded in the client's
 * protocol, stream included. Either way the upstream's own usage report is
 * tapped for the ledger, and only failures with no upstream answer are
 * rendered by mixroute.
 */
export async function relayToUpstream(relay: RelayRequest, dependencies: RelayDependencies): Promise<void> {
  const { response, requestId, target, upstreamRequest } = relay;
  const { channel } = target;
  let ttfbMs: number | null = null;
  let recorded = false;
  const markFirstByte = () => (ttfbMs ??= Math.round(performance.now() - relay.startedAt));

  const record = (ending: Ending) => {
    if (recorded) return;
    recorded = true;
    dependencies.ledger.write(
      buildLedgerEntry({
        requestId,
        receivedAt: relay.receivedAt,
        startedAt: relay.startedAt,
        key: relay.key,
        dialect: relay.dialect,
        endpoint: relay.endpoint,
        clientModel: relay.clientModel,
        stream: relay.stream,
        sessionId: relay.sessionId,
        channel,
        upstreamModel: ending.reading?.model ?? target.upstreamModel,
        status: ending.status,
        outcome: ending.outcome,
        errorType: ending.errorType,
        usage: ending.reading?.usage,
        ttfbMs,
      }),
    );
  };
  const fail = (error: GatewayError) => {
    renderGatewayError({ response, error, requestId, dialect: relay.dialect });
    record({ status: error.status, outcome: 'gateway_error', errorType: error.type });
  };

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
    if (clientGone) return record({ status: 499, outcome: 'client_aborted', errorType: null });
    dependencies.logger.warn({ requestId, channel: channel.name, err: error }, 'upstream request failed');
    return fail(classifyUpstreamFailure({ error, channelName: channel.name }));
  }

  const status = upstream.statusCode;
  const contentType = upstream.headers['content-type'];
  const isEventStream = status === 200 && typeof contentType === 'string' && contentType.startsWith('text/event-stream');
  const context = { relay, upstream, record, fail, markFirstByte, isClientGone: () => clientGone, logger: dependencies.logger };
  if (isEventStream) streamEvents(context);
  else forwardWhole(context);
}

interface ForwardContext {
  relay: RelayRequest;
  upstream: Dispatcher.ResponseData;
  record: (ending: Ending) => void;
  fail: (error: GatewayError) => void;
  markFirstByte: () => void;
  isClientGone: () => boolean;
  logger: Logger;
}

function passthroughHeaders(upstreamHeaders: IncomingHttpHeaders, requestId: string): OutgoingHttpHeaders {
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

/** Stream bytes may gain an error event or lose a filtered chunk, so a declared length cannot be kept. */
function withoutLength(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  delete headers['content-length'];
  return headers;
}

function translatedHeaders(contentType: string, requestId: string, extra: OutgoingHttpHeaders | undefined): OutgoingHttpHeaders {
  return { ...extra, 'content-type': contentType, 'request-id': requestId, 'x-mixroute-request-id': requestId };
}

/**
 * A JSON answer (success or error) is read whole before the status is sent: it
 * is small, and a body that breaks halfway can still become a clean 502
 * instead of a truncated 200.
 */
function forwardWhole(context: ForwardContext): void {
  const { relay, upstream, record } = context;
  const status = upstream.statusCode;
  const chunks: Buffer[] = [];
  upstream.body.on('data', (chunk: Buffer) => chunks.push(chunk));
  upstream.body.on('error', (error) => {
    if (context.isClientGone()) return record({ status: 499, outcome: 'client_aborted', errorType: null });
    context.fail(classifyUpstreamFailure({ error, channelName: relay.target.channel.name }));
  });
  upstream.body.on('end', () => {
    const body = Buffer.concat(chunks);
    context.markFirstByte();
    const { response, translation, requestId } = relay;
    if (status < 200 || status >= 300) {
      const errorType = readErrorType(body) ?? `http_${status}`;
      if (translation) {
        const translated = translation.error({ status, headers: upstream.headers, body });
        response.writeHead(translated.status, { ...translatedHeaders('application/json', requestId, relay.extraHeaders), ...translated.headers });
        response.end(translated.body);
        return record({ status: translated.status, outcome: 'upstream_error', errorType });
      }
      response.writeHead(status, passthroughHeaders(upstream.headers, requestId));
      response.end(body);
      return record({ status, outcome: 'upstream_error', errorType });
    }
    const reading = relay.usageReader.readJson(body);
    if (!translation) {
      response.writeHead(status, passthroughHeaders(upstream.headers, requestId));
      response.end(body);
      return record({ status, outcome: 'ok', errorType: null, reading });
    }
    let translated: Buffer;
    try {
      translated = translation.json(body);
    } catch (error) {
      context.logger.warn({ requestId, channel: relay.target.channel.name, err: error }, 'upstream answer could not be translated');
      return context.fail(
        new GatewayError({ status: 502, type: 'api_error', message: `Upstream ${relay.target.channel.name} sent an answer mixroute could not read: ${(error as Error).message}` }),
      );
    }
    response.writeHead(status, { ...translatedHeaders('application/json', requestId, relay.extraHeaders), 'content-length': translated.length });
    response.end(translated);
    record({ status, outcome: 'ok', errorType: null, reading });
  });
}

/**
 * Forwards an event stream as it arrives, honouring the client's
 * backpressure, while the usage tap reads the upstream's own usage report. If
 * the upstream breaks off, the client gets its protocol's mid-stream error and
 * the ledger keeps the usage delivered so far.
 */
function streamEvents(context: ForwardContext): void {
  const { relay, upstream, record } = context;
  const { response, requestId } = relay;
  const tap = relay.usageReader.createStreamTap();
  const transform =
    relay.translation?.stream() ?? relay.passthroughStream?.() ?? createWholeEventStream({ dialect: relay.dialect, requestId });
  const body = upstream.body;

  response.writeHead(
    200,
    relay.translation
      ? { ...translatedHeaders('text/event-stream; charset=utf-8', requestId, relay.extraHeaders), 'cache-control': 'no-cache' }
      : withoutLength(passthroughHeaders(upstream.headers, requestId)),
  );
  response.flushHeaders();
  context.markFirstByte();

  body.on('data', (chunk: Buffer) => {
    tap.push(chunk);
    const out = transform.push(chunk);
    if (out && out.length > 0 && !response.write(out)) body.pause();
  });
  response.on('drain', () => body.resume());

  const reading = () => {
    tap.end();
    return tap.result();
  };

  body.on('end', () => {
    const rest = transform.end();
    response.end(rest);
    const result = reading();
    if (result.errorType) record({ status: 200, outcome: 'stream_error', errorType: result.errorType, reading: result });
    else if (!result.complete) record({ status: 200, outcome: 'stream_error', errorType: 'incomplete_stream', reading: result });
    else record({ status: 200, outcome: 'ok', errorType: null, reading: result });
  });

  body.on('error', (error) => {
    const result = reading();
    if (context.isClientGone()) return record({ status: 200, outcome: 'client_aborted', errorType: null, reading: result });
    const failure = classifyUpstreamFailure({ error, channelName: relay.target.channel.name });
    context.logger.warn({ requestId, channel: relay.target.channel.name, err: error }, 'upstream stream broke off');
    if (!response.writableEnded) response.end(transform.fail(failure.message));
    record({ status: 200, outcome: 'stream_error', errorType: 'api_error', reading: result });
  });
}

function readErrorType(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: { type?: unknown; code?: unknown } };
    const type = parsed?.error?.type ?? parsed?.error?.code;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}
