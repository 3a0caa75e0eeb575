/**
 * A fake Anthropic-protocol upstream for tests: a plain node:http server on 127.0.0.1 that records
 * every request and answers with real recorded traffic from test/fixtures (or scripted faults).
 *
 * Routing of the built-in dispatcher (each route has its own replaceable handler, see `setHandler`):
 * - `messages`      `POST /v1/messages` (any query, e.g. `?beta=true`). Default: replay fixture `text`,
 *                   as SSE when `body.stream === true`, as JSON otherwise.
 * - `count_tokens`  `POST /v1/messages/count_tokens`. Default: `{"input_tokens": N}`, N from body length.
 * - `other`         everything else. Default: `HEAD|GET /` → 200 (Claude Code's warm-up `HEAD /`),
 *                   anything else → 404 `not_found_error`.
 *
 * Every response gets a `request-id: req_fake_…` header (unless a handler overrides it).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Directory holding the recorded fixtures (`anthropic/stream`, `anthropic/response`, `anthropic/error`). */
export const FIXTURES_DIR: string = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** How the response to one recorded request ended. */
export type ResponseOutcome =
  /** The whole response was handed to the kernel (`res.end()` completed). */
  | 'finished'
  /** The client closed the connection before the response finished. */
  | 'client-aborted'
  /** A handler deliberately destroyed the socket (e.g. `resetAfterBytes`). */
  | 'server-destroyed';

export interface RecordedRequest {
  /** 0-based position among all requests this fake received since the last `reset()`. */
  index: number;
  method: string;
  /** Path including the query string, as received (e.g. `/v1/messages?beta=true`). */
  url: string;
  /** Path without the query string. */
  path: string;
  /** Query parameters (last value wins). */
  query: Record<string, string>;
  /** Headers as parsed by node (names lower-case; repeated headers joined as node does). */
  headers: IncomingHttpHeaders;
  /** Raw header list in wire order and wire case: [name, value, name, value, …]. */
  rawHeaders: string[];
  /** Raw request body. */
  body: Buffer;
  /** Parsed JSON body, when the body is valid JSON; undefined otherwise. */
  json?: any;
  /** `request-id` the fake sent back (unless a handler replaced it). */
  requestId: string;
  /** `Date.now()` when the request head arrived. */
  receivedAt: number;
  /** Resolves once the response has finished, been aborted by the client, or been destroyed by the fake. */
  outcome: Promise<ResponseOutcome>;
  /** True once the client closed the connection before the response finished. */
  readonly clientAborted: boolean;
}

/** What a handler receives besides the request record and the response. */
export interface HandlerContext {
  upstream: FakeUpstream;
  /** The raw node request (body already consumed). */
  incoming: IncomingMessage;
  /** Aborted when the response closes for any reason (client gone, finished, socket destroyed). */
  signal: AbortSignal;
  /** Waits `ms`; resolves early (to `false`) if the response closes meanwhile, `true` if the time elapsed. */
  sleep(ms: number): Promise<boolean>;
  /** Destroys the socket on purpose; the request's outcome becomes `server-destroyed`. */
  destroySocket(): void;
}

export type FakeHandler = (
  req: RecordedRequest,
  res: ServerResponse,
  ctx: HandlerContext,
) => void | Promise<void>;

export type FakeRoute = 'messages' | 'count_tokens' | 'other';

export interface FakeUpstreamOptions {
  /** Handler for `POST /v1/messages`. Default: `replayFixture('text')`. */
  handler?: FakeHandler;
  /** Handler for `POST /v1/messages/count_tokens`. Default: `countTokens()`. */
  countTokensHandler?: FakeHandler;
  /** Handler for every other request. Default: `defaultOtherHandler`. */
  otherHandler?: FakeHandler;
  /** Port to listen on; default 0 (ephemeral). */
  port?: number;
}

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Every request received since the last `reset()`, in arrival order. */
  requests: RecordedRequest[];
  /** Only the `POST /v1/messages` requests (any query), in arrival order. */
  messagesRequests(): RecordedRequest[];
  /** Replaces the handler of one route (default route: `messages`). */
  setHandler(handler: FakeHandler, route?: FakeRoute): void;
  /** Forgets recorded requests and restores every route's handler to what the options gave (or the defaults). */
  reset(): void;
  /** Resolves with the next request matching `predicate` (or any request) recorded from now on. */
  waitForRequest(predicate?: (req: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Closes the server, destroying open connections (stalled responses included). */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const fixtureCache = new Map<string, Buffer>();

function readFixture(relativePath: string): Buffer {
  let bytes = fixtureCache.get(relativePath);
  if (bytes === undefined) {
    bytes = readFileSync(new URL(relativePath, new URL('../fixtures/', import.meta.url)));
    fixtureCache.set(relativePath, bytes);
  }
  return bytes;
}

/** Bytes of `test/fixtures/anthropic/stream/<name>.sse`. */
export function readStreamFixture(name: string): Buffer {
  return readFixture(`anthropic/stream/${name}.sse`);
}

/** Bytes of `test/fixtures/anthropic/response/<name>.json`. */
export function readResponseFixture(name: string): Buffer {
  return readFixture(`anthropic/response/${name}.json`);
}

/**
 * An error fixture `test/fixtures/anthropic/error/<status>-<type>.json`. `which` is either the file's
 * base name (`'429-rate_limit_error'`) or a status (`429`), which picks the one file for that status.
 */
export function readErrorFixture(which: string | number): { status: number; name: string; body: Buffer } {
  let name: string;
  if (typeof which === 'number') {
    const dir = new URL('anthropic/error/', new URL('../fixtures/', import.meta.url));
    const match = readdirSync(dir).find((f) => f.startsWith(`${which}-`) && f.endsWith('.json'));
    if (match === undefined) throw new Error(`no error fixture for status ${which}`);
    name = match.slice(0, -'.json'.length);
  } else {
    name = which;
  }
  const status = Number.parseInt(name, 10);
  if (!Number.isInteger(status)) throw new Error(`error fixture name must start with a status: ${name}`);
  return { status, name, body: readFixture(`anthropic/error/${name}.json`) };
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

export async function startFakeAnthropicUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const initial: Record<FakeRoute, FakeHandler> = {
    messages: options.handler ?? replayFixture('text'),
    count_tokens: options.countTokensHandler ?? countTokens(),
    other: options.otherHandler ?? defaultOtherHandler,
  };
  const handlers: Record<FakeRoute, FakeHandler> = { ...initial };
  const requests: RecordedRequest[] = [];
  const waiters: { predicate: (req: RecordedRequest) => boolean; resolve: (req: RecordedRequest) => void }[] = [];
  const sockets = new Set<Socket>();
  const serverTag = randomBytes(4).toString('hex');
  let sequence = 0;

  const server = createServer((incoming, res) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('error', () => res.destroy());
    incoming.on('end', () => {
      void handle(incoming, res, Buffer.concat(chunks));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(incoming: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = incoming.url ?? '/';
    const parsed = new URL(url, 'http://fake.invalid');
    let json: unknown;
    if (body.length > 0) {
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
    }
    sequence += 1;
    const requestId = `req_fake_${serverTag}${String(sequence).padStart(6, '0')}`;

    let clientAborted = false;
    let serverDestroyed = false;
    let resolveOutcome!: (outcome: ResponseOutcome) => void;
    const outcome = new Promise<ResponseOutcome>((resolve) => (resolveOutcome = resolve));
    const closed = new AbortController();
    res.on('close', () => {
      if (res.writableFinished) resolveOutcome('finished');
      else if (serverDestroyed) resolveOutcome('server-destroyed');
      else {
        clientAborted = true;
        resolveOutcome('client-aborted');
      }
      closed.abort();
    });

    const record: RecordedRequest = {
      index: requests.length,
      method: incoming.method ?? 'GET',
      url,
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      headers: incoming.headers,
      rawHeaders: incoming.rawHeaders,
      body,
      json,
      requestId,
      receivedAt: Date.now(),
      outcome,
      get clientAborted() {
        return clientAborted;
      },
    };
    requests.push(record);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i]!;
      if (waiter.predicate(record)) {
        waiters.splice(i, 1);
        waiter.resolve(record);
      }
    }

    const ctx: HandlerContext = {
      upstream,
      incoming,
      signal: closed.signal,
      sleep: (ms) => abortableSleep(ms, closed.signal),
      destroySocket: () => {
        serverDestroyed = true;
        res.socket?.destroy();
        res.destroy();
      },
    };

    res.setHeader('request-id', requestId);
    const route: FakeRoute =
      record.method === 'POST' && record.path === '/v1/messages'
        ? 'messages'
        : record.method === 'POST' && record.path === '/v1/messages/count_tokens'
          ? 'count_tokens'
          : 'other';
    try {
      await handlers[route](record, res, ctx);
    } catch (error) {
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 500, {
          type: 'error',
          error: { type: 'api_error', message: `fake upstream handler threw: ${String(error)}` },
        });
      } else {
        ctx.destroySocket();
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const upstream: FakeUpstream = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    messagesRequests: () => requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages'),
    setHandler(handler, route = 'messages') {
      handlers[route] = handler;
    },
    reset() {
      requests.length = 0;
      Object.assign(handlers, initial);
    },
    waitForRequest(predicate = () => true, timeoutMs = 10_000) {
      return new Promise<RecordedRequest>((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`fake upstream: no matching request within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = {
          predicate,
          resolve: (req: RecordedRequest) => {
            clearTimeout(timer);
            resolve(req);
          },
        };
        waiters.push(waiter);
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
  return upstream;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

// ---------------------------------------------------------------------------------------------
// Low-level writers
// ---------------------------------------------------------------------------------------------

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': bytes.length,
    ...headers,
  });
  res.end(bytes);
}

export interface StreamWriteOptions {
  /**
   * How to cut the body into writes: `'events'` = one write per SSE event (split at blank lines),
   * a number N = N writes of about equal size, undefined = one write.
   */
  split?: 'events' | number;
  /** Delay before every write after the first (ms). */
  delayMs?: number;
  /** Awaited before write `index` (0-based): lets a test hold the stream until the client saw earlier chunks. */
  beforeChunk?: (index: number, total: number) => void | Promise<void>;
  /** Extra response headers. */
  headers?: OutgoingHttpHeaders;
  /** Status; default 200. */
  status?: number;
}

/** Splits an SSE body into events (each including its terminating blank line); tolerates CRLF. */
export function splitSseEvents(bytes: Buffer | string): Buffer[] {
  const text = Buffer.isBuffer(bytes) ? bytes.toString('utf8') : bytes;
  const parts: Buffer[] = [];
  const re = /\r?\n\r?\n/g;
  let start = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const end = m.index + m[0].length;
    parts.push(Buffer.from(text.slice(start, end)));
    start = end;
  }
  if (start < text.length) parts.push(Buffer.from(text.slice(start)));
  return parts;
}

export function splitIntoChunks(bytes: Buffer, split: StreamWriteOptions['split']): Buffer[] {
  if (split === undefined) return [bytes];
  if (split === 'events') return splitSseEvents(bytes);
  const n = Math.max(1, Math.min(split, bytes.length));
  const size = Math.ceil(bytes.length / n);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.subarray(offset, offset + size));
  return chunks;
}

/** Writes an SSE response (status 200, `text/event-stream`), possibly in several delayed writes. */
export async function writeSse(
  res: ServerResponse,
  ctx: HandlerContext,
  body: Buffer | string,
  options: StreamWriteOptions = {},
): Promise<void> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  res.writeHead(options.status ?? 200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...options.headers,
  });
  // Send the head at once, as the real API does, so "time to headers" is distinguishable from body timing.
  res.flushHeaders();
  const chunks = splitIntoChunks(bytes, options.split);
  for (let i = 0; i < chunks.length; i++) {
    if (i > 0 && options.delayMs) {
      if (!(await ctx.sleep(options.delayMs))) return;
    }
    if (options.beforeChunk) await options.beforeChunk(i, chunks.length);
    if (ctx.signal.aborted) return;
    res.write(chunks[i]!);
  }
  res.end();
}

// ---------------------------------------------------------------------------------------------
// Handler helpers
// ---------------------------------------------------------------------------------------------

/** A fixture name, or a function choosing it from the request. */
export type FixtureChoice = string | ((req: RecordedRequest) => string);

export interface ReplayOptions extends StreamWriteOptions {
  /** `'auto'` (default) streams iff `body.stream === true`. */
  stream?: boolean | 'auto';
}

function wantsStream(req: RecordedRequest, stream: boolean | 'auto' | undefined): boolean {
  return stream === undefined || stream === 'auto' ? req.json?.stream === true : stream;
}

/**
 * Replays fixture `name`: `anthropic/stream/<name>.sse` when streaming, `anthropic/response/<name>.json`
 * otherwise.
 */
export function replayFixture(name: FixtureChoice, options: ReplayOptions = {}): FakeHandler {
  return async (req, res, ctx) => {
    const fixture = typeof name === 'function' ? name(req) : name;
    if (wantsStream(req, options.stream)) {
      await writeSse(res, ctx, readStreamFixture(fixture), options);
    } else {
      sendJson(res, options.status ?? 200, readResponseFixture(fixture), options.headers);
    }
  };
}

/**
 * Answers with an error fixture and its status, e.g. `replayError(429, { headers: { 'retry-after': '1' } })`
 * or `replayError('529-overloaded_error')`.
 */
export function replayError(which: string | number, options: { headers?: OutgoingHttpHeaders } = {}): FakeHandler {
  const fixture = readErrorFixture(which);
  return (_req, res) => {
    sendJson(res, fixture.status, fixture.body, options.headers);
  };
}

/** Waits `ms` before delegating to `next` (default: replay `text`); gives up if the client goes away. */
export function delayBeforeHeaders(ms: number, next: FakeHandler = replayFixture('text')): FakeHandler {
  return async (req, res, ctx) => {
    if (!(await ctx.sleep(ms))) return;
    await next(req, res, ctx);
  };
}

export interface StallOptions {
  /** Stall after this many bytes of the fixture. */
  afterBytes?: number;
  /** Or: stall after this many complete SSE events (default 1: only `message_start`). */
  afterEvents?: number;
  /** How long to stall; default: until the client goes away or the fake closes. */
  stallMs?: number;
  /** After a finite stall: send the rest (`'resume'`, default) or destroy the socket (`'destroy'`). */
  then?: 'resume' | 'destroy';
  headers?: OutgoingHttpHeaders;
}

/** Streams the start of fixture `name`, then stalls (headers and first bytes already sent). */
export function stallMidStream(name: FixtureChoice, options: StallOptions = {}): FakeHandler {
  return async (req, res, ctx) => {
    const fixture = typeof name === 'function' ? name(req) : name;
    const bytes = readStreamFixture(fixture);
    const cut =
      options.afterBytes ??
      splitSseEvents(bytes)
        .slice(0, options.afterEvents ?? 1)
        .reduce((n, b) => n + b.length, 0);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...options.headers });
    res.write(bytes.subarray(0, cut));
    const elapsed = await ctx.sleep(options.stallMs ?? 2_147_483_647);
    if (!elapsed) return;
    if (options.then === 'destroy') {
      ctx.destroySocket();
      return;
    }
    res.end(bytes.subarray(cut));
  };
}

/**
 * Streams fixture `name` (SSE) and destroys the socket after exactly `bytes` body bytes: the client
 * sees a connection reset mid-stream.
 */
export function resetAfterBytes(name: FixtureChoice, bytes: number, options: { headers?: OutgoingHttpHeaders } = {}): FakeHandler {
  return async (req, res, ctx) => {
    const fixture = typeof name === 'function' ? name(req) : name;
    const body = readStreamFixture(fixture);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...options.headers });
    // Wait until the partial body is flushed to the socket before cutting it, so the client does get it.
    await new Promise<void>((resolve) => res.write(body.subarray(0, bytes), () => resolve()));
    await ctx.sleep(20);
    ctx.destroySocket();
  };
}

/** Uses the handlers in turn, one per request it sees; the last one repeats. */
export function sequence(...handlers: FakeHandler[]): FakeHandler {
  if (handlers.length === 0) throw new Error('sequence() needs at least one handler');
  let calls = 0;
  return (req, res, ctx) => {
    const handler = handlers[Math.min(calls, handlers.length - 1)]!;
    calls += 1;
    return handler(req, res, ctx);
  };
}

/** Picks a handler per request. */
export function choose(pick: (req: RecordedRequest) => FakeHandler): FakeHandler {
  return (req, res, ctx) => pick(req)(req, res, ctx);
}

/** Deterministic token count for a count_tokens body: one token per 4 bytes, at least 1. */
export function fakeTokenCount(body: Buffer): number {
  return Math.max(1, Math.ceil(body.length / 4));
}

/** Default count_tokens handler: `{"input_tokens": fakeTokenCount(body)}`. */
export function countTokens(): FakeHandler {
  return (req, res) => sendJson(res, 200, { input_tokens: fakeTokenCount(req.body) });
}

/** Default handler for anything that is neither messages nor count_tokens. */
export const defaultOtherHandler: FakeHandler = (req, res) => {
  if ((req.method === 'HEAD' || req.method === 'GET') && req.path === '/') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(req.method === 'GET' ? 'fake anthropic upstream' : undefined);
    return;
  }
  sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } });
};

// ---------------------------------------------------------------------------------------------
// Synthetic messages
// ---------------------------------------------------------------------------------------------

export type SyntheticBlock =
  | { type: 'text'; text: string; /** Split the text into deltas of this many characters (default: 3 deltas). */ deltaSize?: number }
  | { type: 'tool_use'; name: string; input: unknown; id?: string }
  | { type: 'thinking'; thinking: string; signature?: string };

export interface SyntheticUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export interface SyntheticMessageOptions {
  blocks: SyntheticBlock[];
  model?: string;
  id?: string;
  /** Default: `tool_use` if any block is a tool_use, otherwise `end_turn`. */
  stopReason?: string;
  /** Final usage (message_delta / JSON body). Default: input 10, output 5, no cache. */
  usage?: SyntheticUsage;
  /** Emit a `ping` event after the first content_block_start, like the real API (default true). */
  ping?: boolean;
}

let syntheticCounter = 0;
function syntheticId(prefix: string): string {
  syntheticCounter += 1;
  return `${prefix}_fake${String(syntheticCounter).padStart(4, '0')}${randomBytes(8).toString('hex')}`;
}

/** One SSE event with the `event:` line Anthropic clients need. */
export function encodeSseEvent(data: { type: string } & Record<string, unknown>): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

interface ResolvedSynthetic {
  id: string;
  model: string;
  stopReason: string;
  usage: Required<SyntheticUsage>;
  blocks: SyntheticBlock[];
  toolIds: string[];
}

function resolveSynthetic(options: SyntheticMessageOptions): ResolvedSynthetic {
  const toolIds = options.blocks.map((b) => (b.type === 'tool_use' ? (b.id ?? syntheticId('toolu')) : ''));
  return {
    id: options.id ?? syntheticId('msg'),
    model: options.model ?? 'claude-opus-4-8',
    stopReason: options.stopReason ?? (options.blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
    usage: {
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      ...(options.usage ?? { input_tokens: 10, output_tokens: 5 }),
    },
    blocks: options.blocks,
    toolIds,
  };
}

function splitText(text: string, size: number | undefined): string[] {
  if (text.length === 0) return [];
  const step = size ?? Math.max(1, Math.ceil(text.length / 3));
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += step) parts.push(text.slice(i, i + step));
  return parts;
}

/**
 * A complete Anthropic SSE stream: message_start (with usage) → per block content_block_start /
 * deltas / content_block_stop (indices 0,1,2…) → message_delta (stop_reason, usage) → message_stop.
 */
export function buildAnthropicSse(options: SyntheticMessageOptions): string {
  const m = resolveSynthetic(options);
  const events: string[] = [];
  events.push(
    encodeSseEvent({
      type: 'message_start',
      message: {
        id: m.id,
        type: 'message',
        role: 'assistant',
        model: m.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: m.usage.input_tokens,
          cache_creation_input_tokens: m.usage.cache_creation_input_tokens,
          cache_read_input_tokens: m.usage.cache_read_input_tokens,
          output_tokens: 1,
        },
      },
    }),
  );
  m.blocks.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(encodeSseEvent({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
      if (index === 0 && options.ping !== false) events.push(encodeSseEvent({ type: 'ping' }));
      for (const text of splitText(block.text, block.deltaSize)) {
        events.push(encodeSseEvent({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } }));
      }
    } else if (block.type === 'tool_use') {
      events.push(
        encodeSseEvent({
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: m.toolIds[index], name: block.name, input: {} },
        }),
      );
      if (index === 0 && options.ping !== false) events.push(encodeSseEvent({ type: 'ping' }));
      const json = JSON.stringify(block.input ?? {});
      for (const partial_json of ['', ...splitText(json, Math.max(1, Math.ceil(json.length / 2)))]) {
        events.push(
          encodeSseEvent({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } }),
        );
      }
    } else {
      events.push(
        encodeSseEvent({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }),
      );
      if (index === 0 && options.ping !== false) events.push(encodeSseEvent({ type: 'ping' }));
      for (const thinking of splitText(block.thinking, undefined)) {
        events.push(encodeSseEvent({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } }));
      }
      events.push(
        encodeSseEvent({
          type: 'content_block_delta',
          index,
          delta: { type: 'signature_delta', signature: block.signature ?? 'fake-signature' },
        }),
      );
    }
    events.push(encodeSseEvent({ type: 'content_block_stop', index }));
  });
  events.push(
    encodeSseEvent({
      type: 'message_delta',
      delta: { stop_reason: m.stopReason, stop_sequence: null },
      usage: m.usage,
    }),
  );
  events.push(encodeSseEvent({ type: 'message_stop' }));
  return events.join('');
}

/** The same message as a non-streaming JSON response body. */
export function buildAnthropicMessage(options: SyntheticMessageOptions): Record<string, unknown> {
  const m = resolveSynthetic(options);
  return {
    id: m.id,
    type: 'message',
    role: 'assistant',
    model: m.model,
    content: m.blocks.map((block, index) => {
      if (block.type === 'text') return { type: 'text', text: block.text };
      if (block.type === 'tool_use') return { type: 'tool_use', id: m.toolIds[index], name: block.name, input: block.input ?? {} };
      return { type: 'thinking', thinking: block.thinking, signature: block.signature ?? 'fake-signature' };
    }),
    stop_reason: m.stopReason,
    stop_sequence: null,
    usage: m.usage,
  };
}

/**
 * Answers with a synthetic message (SSE when the request streams, JSON otherwise). `message` may be
 * a function of the request. Stream write options (split, delays) apply to the SSE form.
 */
export function replaySynthetic(
  message: SyntheticMessageOptions | ((req: RecordedRequest) => SyntheticMessageOptions),
  options: ReplayOptions = {},
): FakeHandler {
  return async (req, res, ctx) => {
    const resolved = typeof message === 'function' ? message(req) : message;
    const withModel = { model: typeof req.json?.model === 'string' ? req.json.model : undefined, ...resolved };
    if (withModel.model === undefined) delete withModel.model;
    if (wantsStream(req, options.stream)) {
      await writeSse(res, ctx, buildAnthropicSse(withModel), options);
    } else {
      sendJson(res, options.status ?? 200, buildAnthropicMessage(withModel), options.headers);
    }
  };
}

/** Shortcut: a synthetic text answer. */
export function replayText(text: string, options: ReplayOptions & { usage?: SyntheticUsage } = {}): FakeHandler {
  return replaySynthetic({ blocks: [{ type: 'text', text }], ...(options.usage ? { usage: options.usage } : {}) }, options);
}

// ---------------------------------------------------------------------------------------------
// Tool round trip (Claude Code scenario)
// ---------------------------------------------------------------------------------------------

/** The `tool_result` blocks of the last user message in a messages request body. */
export function lastToolResults(body: any): { tool_use_id: string; content: string; is_error: boolean }[] {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const last = [...messages].reverse().find((m) => m?.role === 'user');
  if (!last || !Array.isArray(last.content)) return [];
  return last.content
    .filter((b: any) => b?.type === 'tool_result')
    .map((b: any) => ({
      tool_use_id: String(b.tool_use_id),
      content: flattenToolResultContent(b.content),
      is_error: b.is_error === true,
    }));
}

function flattenToolResultContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((c: any) => (c?.type === 'text' && typeof c.text === 'string' ? c.text : '')).join('');
  }
  return '';
}

export interface ToolRoundTripOptions {
  /** Tool to call; default `Bash`. */
  toolName?: string;
  /** Tool input; default `{ command: 'ls', description: 'List files in the current directory' }`. */
  toolInput?: unknown;
  /** Text block before the tool_use; default "I'll list the files." */
  preamble?: string;
  /** Final answer, given the tool_result content. Default: `Tool output:\n<content>`. */
  finalText?: string | ((toolResult: string, isError: boolean) => string);
  /** Stream write options for both turns. */
  stream?: ReplayOptions;
  usage?: SyntheticUsage;
}

export interface ToolRoundTrip {
  handler: FakeHandler;
  /** The tool_use id the handler hands out. */
  toolUseId: string;
  /** Tool results received so far (content of the matching tool_result blocks). */
  toolResults: { content: string; is_error: boolean }[];
}

/**
 * A stateless two-turn script: a request whose last user message carries a `tool_result` for our
 * tool_use id gets the final text; any other messages request gets `text + tool_use`. Stateless, so
 * retries and parallel side requests don't shift it.
 */
export function createToolRoundTrip(options: ToolRoundTripOptions = {}): ToolRoundTrip {
  const toolUseId = syntheticId('toolu');
  const toolName = options.toolName ?? 'Bash';
  const toolInput = options.toolInput ?? { command: 'ls', description: 'List files in the current directory' };
  const preamble = options.preamble ?? "I'll list the files.";
  const finalText = options.finalText ?? ((result: string) => `Tool output:\n${result}`);
  const toolResults: { content: string; is_error: boolean }[] = [];
  const usage = options.usage ? { usage: options.usage } : {};

  const handler: FakeHandler = (req, res, ctx) => {
    const result = lastToolResults(req.json).find((r) => r.tool_use_id === toolUseId);
    if (result) {
      toolResults.push({ content: result.content, is_error: result.is_error });
      const text = typeof finalText === 'function' ? finalText(result.content, result.is_error) : finalText;
      return replaySynthetic({ blocks: [{ type: 'text', text }], ...usage }, options.stream)(req, res, ctx);
    }
    return replaySynthetic(
      {
        blocks: [
          ...(preamble ? [{ type: 'text' as const, text: preamble }] : []),
          { type: 'tool_use' as const, id: toolUseId, name: toolName, input: toolInput },
        ],
        ...usage,
      },
      options.stream,
    )(req, res, ctx);
  };
  return { handler, toolUseId, toolResults };
}

// ---------------------------------------------------------------------------------------------
// Reading SSE back (for assertions)
// ---------------------------------------------------------------------------------------------

/** Parses an Anthropic SSE body into `{ event, data }` pairs (data JSON-parsed when possible). */
export function parseSseEvents(body: Buffer | string): { event: string | undefined; data: any }[] {
  return splitSseEvents(body)
    .map((chunk) => {
      let event: string | undefined;
      const dataLines: string[] = [];
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) dataLines.push(line.slice(5).replace(/^ /, ''));
      }
      if (event === undefined && dataLines.length === 0) return undefined;
      const raw = dataLines.join('\n');
      let data: any = raw;
      try {
        data = JSON.parse(raw);
      } catch {
        // keep the raw string
      }
      return { event, data };
    })
    .filter((e): e is { event: string | undefined; data: any } => e !== undefined);
}

/** Concatenation of every `text_delta` in an Anthropic SSE body (what a client shows as the answer). */
export function extractSseText(body: Buffer | string): string {
  return parseSseEvents(body)
    .filter((e) => e.data?.type === 'content_block_delta' && e.data.delta?.type === 'text_delta')
    .map((e) => String(e.data.delta.text))
    .join('');
}
