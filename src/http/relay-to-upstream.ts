import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AuthenticatedKey } from '../auth/authenticated-key.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { LedgerWriter } from '../metering/create-ledger-writer.js';
import type { SpendingReservation } from '../storage/repositories/create-spending-repository.js';
import type { Pricer } from '../metering/pricing/create-pricer.js';
import type { UsageReader, UsageReading } from '../metering/usage-reader.js';
import { isHopByHopHeader, parseConnectionHeader } from '../protocol/http/is-hop-by-hop-header.js';
import type { UpstreamRequest } from '../providers/upstream-request.js';
import type { TargetHealth } from '../routing/health/create-target-health.js';
import { parseRetryAfter } from '../routing/health/parse-retry-after.js';
import { isFailoverStatus } from '../routing/is-failover-status.js';
import type { Target } from '../routing/target.js';
import type { LedgerEntry } from '../storage/ledger-entry.js';
import { clampTimerDelay } from '../upstream/clamp-timer-delay.js';
import { classifyUpstreamFailure } from '../upstream/classify-upstream-failure.js';
import { sendUpstreamRequest, type UpstreamAnswer, type UpstreamBody, type UpstreamCall } from '../upstream/send-upstream-request.js';
import type { UpstreamPools } from '../upstream/create-upstream-pools.js';
import { buildLedgerEntry } from './build-ledger-entry.js';
import type { ClientDialect } from './client-dialect.js';
import { createWholeEventStream } from './create-whole-event-stream.js';
import { encodeStreamError } from './encode-stream-error.js';
import { encodeGatewayError, renderGatewayError } from './render-gateway-error.js';
import type { StreamTransform } from './stream-transform.js';

/** How an answer in the upstream's protocol becomes one in the client's; absent when both speak the same. */
export interface ResponseTranslation {
  /** A whole success answer (JSON); throws when the upstream's answer cannot be read. */
  json(body: Buffer): Buffer;
  stream(): StreamTransform;
  /** An upstream error, in the client's error envelope with the matching status. */
  error(options: { status: number; headers: IncomingHttpHeaders; body: Buffer }): { status: number; headers: OutgoingHttpHeaders; body: Buffer };
}

/** How one request is sent to one target and its answer brought back. */
export interface RelayPlan {
  upstreamRequest: UpstreamRequest;
  /** Reads usage in the upstream's protocol: the ledger keeps what the upstream reported. */
  usageReader: UsageReader;
  translation?: ResponseTranslation | undefined;
  /** Without a translation: how stream bytes pass (default: whole events, unchanged). */
  passthroughStream?: (() => StreamTransform) | undefined;
  /** Added to the client's response (for example a note that thinking was dropped). */
  extraHeaders?: OutgoingHttpHeaders | undefined;
  /**
   * The same request without the history's thinking blocks, for one retry
   * when the upstream rejects a thinking signature it cannot verify (a session
   * that moved to another account or provider). Undefined when not applicable.
   */
  withoutThinking?: (() => UpstreamRequest | undefined) | undefined;
}

export interface RelayAttempt {
  target: Target;
  /** Built when the attempt is made: the plan depends on the target's protocol. */
  plan: () => RelayPlan;
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
  /** Targets in the order to try them; each is tried at most once. */
  attempts: RelayAttempt[];
  maxAttempts: number;
  /** Called when a target committed an answer, for session affinity. */
  onCommitted?: ((target: Target) => void) | undefined;
  /** Added to every answer (the key's rate-limit headers). */
  responseHeaders?: OutgoingHttpHeaders | undefined;
  /** Called with the ledger row once the request has ended, however it ended. */
  onRecorded?: ((entry: LedgerEntry) => void) | undefined;
  /** The spending reservation the request holds: its row settles it, and replaces the provisional row held under the request id. */
  settles?: SpendingReservation | undefined;
}

export interface RelayDependencies {
  pools: UpstreamPools;
  ledger: LedgerWriter<LedgerEntry>;
  logger: Logger;
  health: TargetHealth;
  /** The current price table; replaced when prices change. */
  pricer(): Pricer;
  /** Interval of `ping` events on a committed stream gone silent. */
  pingIntervalMs: number;
}

type Ending = Pick<LedgerEntry, 'status' | 'outcome' | 'errorType'> & { reading?: UsageReading | undefined; target?: Target | undefined };

/** The last thing an exhausted failover saw: an upstream's refusal, or no answer at all. */
type LastFailure =
  | { kind: 'response'; target: Target; plan: RelayPlan; status: number; headers: IncomingHttpHeaders; body: Buffer }
  | { kind: 'no_answer'; target: Target; error: GatewayError };

const INVALID_SIGNATURE = /signature/i;

/**
 * Sends one client request to its targets in order until one answers, then
 * relays that answer and writes the ledger row.
 *
 * Failover happens only while nothing has reached the client: a connect error,
 * a timeout before the first byte, a failover status (see isFailoverStatus),
 * or a stream that dies before its first byte moves to the next target not yet
 * tried; each failure teaches the target's breaker and credential state. Once
 * the first byte is out, the answer is committed: bytes pass through (or are
 * translated), a later upstream failure ends the stream with the protocol's own
 * error event, and the ledger keeps what was delivered. When every target
 * failed, the client gets the last upstream answer unchanged, or, if none
 * answered, a 529 `overloaded_error`.
 */
export async function relayToUpstream(relay: RelayRequest, dependencies: RelayDependencies): Promise<void> {
  const { response, requestId } = relay;
  let recorded = false;
  let ttfbMs: number | null = null;
  const markFirstByte = () => (ttfbMs ??= Math.round(performance.now() - relay.startedAt));

  const record = (ending: Ending) => {
    if (recorded) return;
    recorded = true;
    // Priced by the model that answered (a renamed or translated request is billed at the upstream's model).
    const pricedModel = ending.reading?.model ?? ending.target?.upstreamModel;
    const costNanoUsd = ending.reading && pricedModel ? (dependencies.pricer().cost({ model: pricedModel, usage: ending.reading.usage, multiplier: relay.key.priceMultiplier }) ?? 0) : 0;
    const entry = buildLedgerEntry({
        requestId,
        receivedAt: relay.receivedAt,
        startedAt: relay.startedAt,
        key: relay.key,
        dialect: relay.dialect,
        endpoint: relay.endpoint,
        clientModel: relay.clientModel,
        stream: relay.stream,
        sessionId: relay.sessionId,
        channel: ending.target?.channel,
        upstreamModel: ending.reading?.model ?? ending.target?.upstreamModel,
        status: ending.status,
        outcome: ending.outcome,
        errorType: ending.errorType,
        usage: ending.reading?.usage,
        ttfbMs,
        costNanoUsd,
        settles: relay.settles,
    });
    dependencies.ledger.write(entry, relay.settles ? requestId : undefined);
    relay.onRecorded?.(entry);
  };

  // Set now, they go out with whatever answer comes (writeHead merges them; passthroughHeaders
  // leaves out upstream headers that would replace them).
  const own = relay.responseHeaders;
  if (own) {
    for (const name in own) {
      const value = own[name];
      if (value !== undefined) response.setHeader(name, value);
    }
  }

  // A client that goes away aborts the upstream request: nobody is left to pay for the tokens.
  let clientGone = false;
  let currentAbort: AttemptAbort | undefined;
  response.once('close', () => {
    if (!response.writableFinished) {
      clientGone = true;
      currentAbort?.abort(new Error('the client went away'));
    }
  });

  let last: LastFailure | undefined;
  let tried = 0;
  // A channel that failed as a whole (5xx, connect error, timeout) is not retried with its other credentials.
  const failedChannels = new Set<string>();
  for (const attempt of relay.attempts) {
    if (tried >= relay.maxAttempts || clientGone) break;
    const { target } = attempt;
    const { channel } = target;
    if (failedChannels.has(channel.id)) continue;
    if (!dependencies.health.isAvailable(channel.id, target.credentialIndex)) continue;
    tried++;
    const plan = attempt.plan();
    let upstreamRequest = plan.upstreamRequest;
    let signatureRetried = false;

    for (;;) {
      currentAbort = new AttemptAbort();
      const abort = currentAbort;
      // The channel's total timeout covers the whole exchange, a committed stream included.
      const totalMs = channel.timeouts.totalMs;
      if (totalMs !== undefined) {
        const timer = setTimeout(() => abort.abort(new GatewayError({ status: 504, type: 'timeout_error', message: `Upstream ${channel.name} exceeded its total time of ${totalMs} ms.` })), clampTimerDelay(totalMs));
        timer.unref();
        response.once('close', () => clearTimeout(timer));
      }
      const outcome = await sendAndAwaitCommit({ relay, dependencies, target, plan, upstreamRequest, abort: currentAbort, record, markFirstByte, isClientGone: () => clientGone });
      if (outcome.kind === 'committed') {
        relay.onCommitted?.(target);
        return;
      }
      if (outcome.kind === 'client_gone') {
        record({ status: 499, outcome: 'client_aborted', errorType: null, target });
        return;
      }
      if (outcome.kind === 'signature_rejected') {
        const retry = plan.withoutThinking?.();
        if (!signatureRetried && retry) {
          signatureRetried = true;
          upstreamRequest = retry;
          dependencies.logger.info({ requestId, channel: channel.name }, 'thinking signature rejected; retrying without earlier thinking');
          continue;
        }
        // Not retryable here: relay the upstream's 400 as it is.
        return deliverUpstreamRefusal({ relay, target, plan, failure: outcome, record, markFirstByte });
      }
      last = outcome.kind === 'response' ? { ...outcome, target, plan } : { kind: 'no_answer', target, error: outcome.error };
      if (outcome.kind === 'no_answer' || outcome.status >= 500) failedChannels.add(channel.id);
      dependencies.logger.warn(
        { requestId, channel: channel.name, credential: target.credentialIndex, status: outcome.kind === 'response' ? outcome.status : undefined, error: outcome.kind === 'no_answer' ? outcome.error.message : undefined },
        'upstream attempt failed; failing over',
      );
      break;
    }
  }

  if (clientGone) {
    record({ status: 499, outcome: 'client_aborted', errorType: null, target: last?.target });
    return;
  }
  if (last?.kind === 'response' && last.status !== 401 && last.status !== 403) {
    deliverUpstreamRefusal({ relay, target: last.target, plan: last.plan, failure: last, record, markFirstByte });
    return;
  }
  if (last?.kind === 'response') {
    // The upstream refused the channel's credential, not the client's key: relayed as is, Claude Code
    // would report an invalid API key and drop its own good credentials.
    const error = new GatewayError({
      status: 502,
      type: 'api_error',
      message: `The upstream refused the credential of channel ${last.target.channel.name} (${last.status}); the operator must fix the channel.`,
    });
    record({ status: error.status, outcome: 'upstream_error', errorType: readErrorType(last.body) ?? `http_${last.status}`, target: last.target });
    renderGatewayError({ response, error, requestId, dialect: relay.dialect });
    return;
  }
  const reason = last
    ? last.error.message
    : `Every channel serving ${relay.clientModel} is cooling down or has an open circuit breaker.`;
  const retryAfterSeconds = last ? undefined : soonestCoolDownEnd(relay.attempts, dependencies.health);
  const error = new GatewayError({
    status: 529,
    type: 'overloaded_error',
    message: `No upstream could take this request: ${reason}`,
    ...(retryAfterSeconds !== undefined ? { headers: { 'retry-after': String(retryAfterSeconds) } } : {}),
  });
  record({ status: error.status, outcome: 'gateway_error', errorType: error.type, target: last?.target });
  renderGatewayError({ response, error, requestId, dialect: relay.dialect });
}

/** Seconds until the first of these targets' credentials stops cooling down, when one is cooling. */
function soonestCoolDownEnd(attempts: RelayAttempt[], health: TargetHealth): number | undefined {
  const wanted = new Set(attempts.map(({ target }) => `${target.channel.id}:${target.credentialIndex}`));
  let soonest: number | undefined;
  for (const credential of health.snapshot().credentials) {
    if (credential.state !== 'cooling_down' || !wanted.has(`${credential.channelId}:${credential.credentialIndex}`)) continue;
    soonest = Math.min(soonest ?? Infinity, credential.remainingMs);
  }
  return soonest === undefined ? undefined : Math.max(1, Math.ceil(soonest / 1000));
}

type AttemptOutcome =
  | { kind: 'committed' }
  | { kind: 'client_gone' }
  | { kind: 'response'; status: number; headers: IncomingHttpHeaders; body: Buffer }
  | { kind: 'signature_rejected'; status: number; headers: IncomingHttpHeaders; body: Buffer }
  | { kind: 'no_answer'; error: GatewayError };

interface AttemptContext {
  relay: RelayRequest;
  dependencies: RelayDependencies;
  target: Target;
  plan: RelayPlan;
  upstreamRequest: UpstreamRequest;
  abort: AttemptAbort;
  record: (ending: Ending) => void;
  markFirstByte: () => void;
  isClientGone: () => boolean;
}

/**
 * One attempt: resolves once the answer is committed to the client (the
 * stream's first byte sent, or the whole answer written), or with what went
 * wrong before anything was sent.
 */
async function sendAndAwaitCommit(context: AttemptContext): Promise<AttemptOutcome> {
  const { target, dependencies, upstreamRequest } = context;
  const { channel } = target;
  const { health } = dependencies;
  let upstream: UpstreamAnswer;
  try {
    const call = sendUpstreamRequest(
      dependencies.pools.get(upstreamRequest.origin, channel.timeouts.connectMs),
      { method: 'POST', path: upstreamRequest.path, headers: upstreamRequest.headers, body: upstreamRequest.body },
      channel.timeouts,
    );
    context.abort.attach(call);
    upstream = await call.answer;
  } catch (error) {
    if (context.isClientGone()) return { kind: 'client_gone' };
    const failure = classifyUpstreamFailure({ error, channelName: channel.name });
    health.recordFailure(channel.id, target.credentialIndex, { kind: failure.type === 'timeout_error' ? 'timeout' : 'connect' });
    return { kind: 'no_answer', error: failure };
  }

  const status = upstream.statusCode;
  if (isFailoverStatus(status) || (status === 400 && context.plan.withoutThinking)) {
    const body = await readAnswer(context, upstream);
    if (!Buffer.isBuffer(body)) return body;
    if (status === 400) {
      if (INVALID_SIGNATURE.test(body.toString('utf8')) && /thinking/i.test(body.toString('utf8'))) {
        return { kind: 'signature_rejected', status, headers: upstream.headers, body };
      }
      return deliverBuffered(context, upstream, body);
    }
    const retryAfterMs = parseRetryAfter({ retryAfter: upstream.headers['retry-after'], retryAfterMs: upstream.headers['retry-after-ms'] });
    health.recordFailure(channel.id, target.credentialIndex, { kind: 'status', status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    return { kind: 'response', status, headers: upstream.headers, body };
  }

  const contentType = upstream.headers['content-type'];
  const isEventStream = status === 200 && typeof contentType === 'string' && contentType.startsWith('text/event-stream');
  if (isEventStream) return streamEvents(context, upstream);
  const body = await readAnswer(context, upstream);
  if (!Buffer.isBuffer(body)) return body;
  return deliverBuffered(context, upstream, body);
}

/** The whole answer, or what its breaking off means for this attempt (nothing has been sent yet). */
async function readAnswer(context: AttemptContext, upstream: UpstreamAnswer): Promise<Buffer | AttemptOutcome> {
  const { target } = context;
  try {
    return await readWhole(upstream.body);
  } catch (error) {
    if (context.isClientGone()) return { kind: 'client_gone' };
    context.dependencies.health.recordFailure(target.channel.id, target.credentialIndex, { kind: 'connect' });
    return { kind: 'no_answer', error: classifyUpstreamFailure({ error, channelName: target.channel.name }) };
  }
}

/** A whole upstream answer is buffered (to turn a broken body into a clean error); past this it is refused. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

function readWhole(body: UpstreamBody): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.consume({
      data(chunk) {
        size += chunk.length;
        if (size > MAX_BUFFERED_BYTES) {
          body.destroy(Object.assign(new Error(`upstream answer larger than ${MAX_BUFFERED_BYTES} bytes`), { code: 'MIXROUTE_ANSWER_TOO_LARGE' }));
          return;
        }
        chunks.push(chunk);
      },
      end: () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)),
      error: reject,
    });
  });
}

/**
 * Upstream response headers that name the operator's upstream account (Anthropic's organization,
 * OpenAI's organization and project): mixroute's clients must not learn them. The upstream's
 * request ids (`request-id`, `x-request-id`) identify one request, not the account, and pass.
 */
const UPSTREAM_ACCOUNT_HEADERS = new Set(['anthropic-organization-id', 'openai-organization', 'openai-project']);

/** Anthropic's and OpenAI's rate-limit headers (`anthropic-ratelimit-requests-limit`, `x-ratelimit-limit-requests`…). */
function isRateLimitHeader(name: string): boolean {
  return name.startsWith('anthropic-ratelimit-') || name.startsWith('x-ratelimit-');
}

/** Whether mixroute sends rate-limit headers of its own for this request's key. */
function sendsOwnRateLimitHeaders(own: OutgoingHttpHeaders | undefined): boolean {
  if (!own) return false;
  for (const name of Object.keys(own)) if (isRateLimitHeader(name)) return true;
  return false;
}

/**
 * The upstream's headers as the client gets them. `own` are the headers mixroute already set on
 * the response (the key's rate-limit headers): writeHead's headers would replace them, so an
 * upstream header of the same name is left out. When mixroute sends the key's rate-limit headers,
 * the upstream's rate-limit headers (both families) are left out too: they describe the
 * operator's upstream account, not the client's key, and mixing the two would mislead a client
 * that paces itself by them. A key without limits keeps the upstream's unchanged.
 */
function passthroughHeaders(upstreamHeaders: IncomingHttpHeaders, requestId: string, own: OutgoingHttpHeaders | undefined): OutgoingHttpHeaders {
  const connectionListed = parseConnectionHeader(upstreamHeaders.connection as string | undefined);
  const dropRateLimits = sendsOwnRateLimitHeaders(own);
  const headers: OutgoingHttpHeaders = {};
  for (const name in upstreamHeaders) {
    const value = upstreamHeaders[name];
    if (value === undefined || isHopByHopHeader(name) || connectionListed.has(name) || UPSTREAM_ACCOUNT_HEADERS.has(name)) continue;
    if (own && (own[name] !== undefined || (dropRateLimits && isRateLimitHeader(name)))) continue;
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
 * Gives up one attempt: the client went away, or the channel's total time ran
 * out. The upstream call is attached once sent; a reason given before that
 * stops it as soon as it is.
 */
class AttemptAbort {
  #reason: Error | undefined;
  #call: UpstreamCall | undefined;

  abort(reason: Error): void {
    if (this.#reason) return;
    this.#reason = reason;
    this.#call?.abort(reason);
  }

  attach(call: UpstreamCall): void {
    this.#call = call;
    if (this.#reason) call.abort(this.#reason);
  }
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

/** An upstream's refusal, relayed as it is (same protocol) or in the client's envelope (translated). */
function deliverUpstreamRefusal(options: {
  relay: RelayRequest;
  target: Target;
  plan: RelayPlan;
  failure: { status: number; headers: IncomingHttpHeaders; body: Buffer };
  record: (ending: Ending) => void;
  markFirstByte: () => void;
}): void {
  const { relay, plan, failure, target } = options;
  const { response, requestId } = relay;
  options.markFirstByte();
  const errorType = readErrorType(failure.body) ?? `http_${failure.status}`;
  if (plan.translation) {
    let translated: { status: number; headers: OutgoingHttpHeaders; body: Buffer };
    try {
      translated = plan.translation.error({ status: failure.status, headers: failure.headers, body: failure.body });
    } catch {
      const fallback = { type: failure.status >= 500 ? 'api_error' : 'invalid_request_error', message: `Upstream answered ${failure.status}.` };
      translated = { status: failure.status, headers: {}, body: Buffer.from(JSON.stringify(encodeGatewayError({ error: fallback, requestId, dialect: relay.dialect }))) };
    }
    // The row is recorded (journalled) before the answer ends: a completed answer always has its row.
    options.record({ status: translated.status, outcome: 'upstream_error', errorType, target });
    response.writeHead(translated.status, { ...translatedHeaders('application/json', requestId, plan.extraHeaders), ...translated.headers });
    response.end(translated.body);
    return;
  }
  options.record({ status: failure.status, outcome: 'upstream_error', errorType, target });
  response.writeHead(failure.status, passthroughHeaders(failure.headers, requestId, relay.responseHeaders));
  response.end(failure.body);
}

/** A whole answer (JSON success or a non-failover error), read before the status is sent. */
function deliverBuffered(context: AttemptContext, upstream: UpstreamAnswer, body: Buffer): AttemptOutcome {
  const { relay, plan, target, dependencies } = context;
  const { response, requestId } = relay;
  const status = upstream.statusCode;
  if (status < 200 || status >= 300) {
    deliverUpstreamRefusal({ relay, target, plan, failure: { status, headers: upstream.headers, body }, record: context.record, markFirstByte: context.markFirstByte });
    // A refusal of the request (400, 404…) says nothing about the upstream's health.
    dependencies.health.recordSuccess(target.channel.id, target.credentialIndex);
    return { kind: 'committed' };
  }
  const reading = plan.usageReader.readJson(body);
  let out = body;
  let headers = passthroughHeaders(upstream.headers, requestId, relay.responseHeaders);
  if (plan.translation) {
    try {
      out = plan.translation.json(body);
    } catch (error) {
      dependencies.logger.warn({ requestId, channel: target.channel.name, err: error }, 'upstream answer could not be translated');
      dependencies.health.recordFailure(target.channel.id, target.credentialIndex, { kind: 'status', status: 502 });
      return {
        kind: 'no_answer',
        error: new GatewayError({ status: 502, type: 'api_error', message: `Upstream ${target.channel.name} sent an answer mixroute could not read: ${(error as Error).message}` }),
      };
    }
    headers = { ...translatedHeaders('application/json', requestId, plan.extraHeaders), 'content-length': out.length };
  }
  context.markFirstByte();
  context.record({ status, outcome: 'ok', errorType: null, reading, target });
  response.writeHead(status, headers);
  response.end(out);
  dependencies.health.recordSuccess(target.channel.id, target.credentialIndex);
  return { kind: 'committed' };
}

/** Keep-alives for a silent stream: Anthropic's own ping event, and an SSE comment for OpenAI clients. */
const ANTHROPIC_PING = Buffer.from('event: ping\ndata: {"type": "ping"}\n\n');
const OPENAI_PING = Buffer.from(': ping\n\n');

/**
 * An event stream: the status goes out with the first bytes of the first
 * event, so an upstream that dies before sending anything can still fail
 * over. After that, bytes are forwarded as they arrive, honouring the client's
 * backpressure, while the usage tap reads the upstream's own usage report; a
 * stream gone silent gets `ping` events; an upstream that breaks off ends the
 * stream with the client protocol's error event, and the ledger keeps the
 * usage delivered so far.
 */
function streamEvents(context: AttemptContext, upstream: UpstreamAnswer): Promise<AttemptOutcome> {
  const { relay, plan, target, dependencies } = context;
  const { response, requestId } = relay;
  const { health } = dependencies;
  const transform = plan.translation?.stream() ?? plan.passthroughStream?.() ?? createWholeEventStream({ dialect: relay.dialect, requestId });
  // A transform that reads every event anyway reports the usage itself; otherwise a tap watches the bytes.
  const tap = transform.reading ? undefined : plan.usageReader.createStreamTap();
  const body = upstream.body;
  let committed = false;
  let lastWriteAt = performance.now();
  let pinger: NodeJS.Timeout | undefined;

  const commit = () => {
    committed = true;
    response.writeHead(
      200,
      plan.translation
        ? { ...translatedHeaders('text/event-stream; charset=utf-8', requestId, plan.extraHeaders), 'cache-control': 'no-cache' }
        : withoutLength(passthroughHeaders(upstream.headers, requestId, relay.responseHeaders)),
    );
    context.markFirstByte();
    // One timer per stream, checking elapsed time, rather than a timer reset per chunk.
    const ping = relay.dialect === 'anthropic' ? ANTHROPIC_PING : OPENAI_PING;
    pinger = setInterval(() => {
      if (performance.now() - lastWriteAt >= dependencies.pingIntervalMs && !response.writableEnded) {
        response.write(ping);
        lastWriteAt = performance.now();
      }
    }, Math.max(50, Math.floor(dependencies.pingIntervalMs / 3)));
    pinger.unref();
  };
  const stopPinging = () => pinger && clearInterval(pinger);

  const reading = () => {
    if (!tap) return transform.reading!();
    tap.end();
    return tap.result();
  };


  return new Promise<AttemptOutcome>((resolve) => {
    // An upstream sending garbage must not take the process down: a transform that throws is
    // an upstream failure like a reset (before the first byte it fails over).
    const broken = (error: unknown) => body.destroy(Object.assign(new Error(`malformed upstream stream: ${(error as Error).message}`), { cause: error }));
    response.on('drain', () => body.resume());
    body.consume({ data, end, error: fail });

    function data(chunk: Buffer): void {
      tap?.push(chunk);
      let out: Buffer | Buffer[] | undefined;
      try {
        out = transform.push(chunk);
      } catch (error) {
        broken(error);
        return;
      }
      if (!out || out.length === 0) return;
      if (!committed) {
        commit();
        resolve({ kind: 'committed' });
      }
      lastWriteAt = performance.now();
      if (Buffer.isBuffer(out)) {
        if (!response.write(out)) body.pause();
        return;
      }
      // The pieces of one push still go out in one system call: a response's first write in a
      // tick corks its socket until the next tick. Not response.cork(): on Node 22 and 24, a write
      // that returns false while the response is corked is never followed by 'drain'
      // (nodejs/node#60432), so the upstream would stay paused and the stream would hang.
      let flowing = true;
      for (const piece of out) flowing = response.write(piece) && flowing;
      if (!flowing) body.pause();
    }

    function end(): void {
      stopPinging();
      let rest: Buffer | undefined;
      try {
        rest = transform.end();
      } catch (error) {
        rest = transform.fail(`malformed upstream stream: ${(error as Error).message}`);
      }
      const result = reading();
      if (!committed) {
        if (!rest || rest.length === 0) {
          // A 200 stream that ended before saying anything: another target may do better.
          health.recordFailure(target.channel.id, target.credentialIndex, { kind: 'status', status: 502 });
          resolve({ kind: 'no_answer', error: new GatewayError({ status: 502, type: 'api_error', message: `Upstream ${target.channel.name} ended its stream without an event.` }) });
          return;
        }
        commit();
        resolve({ kind: 'committed' });
      }
      // Recorded (journalled) before the stream's last bytes go out: a completed stream always has its row.
      if (result.errorType) {
        health.recordFailure(target.channel.id, target.credentialIndex, { kind: 'status', status: 500 });
        context.record({ status: 200, outcome: 'stream_error', errorType: result.errorType, reading: result, target });
      } else if (!result.complete) {
        context.record({ status: 200, outcome: 'stream_error', errorType: 'incomplete_stream', reading: result, target });
      } else {
        health.recordSuccess(target.channel.id, target.credentialIndex);
        context.record({ status: 200, outcome: 'ok', errorType: null, reading: result, target });
      }
      response.end(rest);
    }

    function fail(error: Error): void {
      stopPinging();
      const result = reading();
      if (context.isClientGone()) {
        if (!committed) resolve({ kind: 'client_gone' });
        else context.record({ status: 200, outcome: 'client_aborted', errorType: null, reading: result, target });
        return;
      }
      const failure = classifyUpstreamFailure({ error, channelName: target.channel.name });
      health.recordFailure(target.channel.id, target.credentialIndex, { kind: failure.type === 'timeout_error' ? 'timeout' : 'connect' });
      if (!committed) {
        resolve({ kind: 'no_answer', error: failure });
        return;
      }
      dependencies.logger.warn({ requestId, channel: target.channel.name, err: error }, 'upstream stream broke off');
      if (!response.writableEnded) {
        let ending: Buffer;
        try {
          ending = transform.fail(failure.message);
        } catch {
          ending = encodeStreamError({ dialect: relay.dialect, type: 'api_error', message: failure.message, requestId });
        }
        response.end(ending);
      }
      context.record({ status: 200, outcome: 'stream_error', errorType: 'api_error', reading: result, target });
    }
  });
}
