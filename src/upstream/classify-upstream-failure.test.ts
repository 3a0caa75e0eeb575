import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { errors, fetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalHttpServer } from '../../test/support/start-local-http-server.js';
import { GatewayError } from '../errors/gateway-error.js';
import { classifyUpstreamFailure } from './classify-upstream-failure.js';
import { createUpstreamPools, type UpstreamPools } from './create-upstream-pools.js';
import { sendUpstreamRequest, type UpstreamBody, type UpstreamTimeouts } from './send-upstream-request.js';
import { UpstreamTimeoutError } from './upstream-timeout-error.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function pools(): UpstreamPools {
  const created = createUpstreamPools();
  cleanups.push(() => created.close());
  return created;
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An HTTP server that calls `handle` and otherwise says nothing. */
async function localServer(handle: Parameters<typeof startLocalHttpServer>[0]): Promise<string> {
  const server = await startLocalHttpServer(handle);
  cleanups.push(() => server.close());
  return server.url;
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the upstream call to fail');
}

/** An upstream call as the relay makes it: its answer (status and headers). */
function call(origin: string, timeouts: UpstreamTimeouts = {}) {
  return sendUpstreamRequest(pools().get(origin, 1000), { method: 'POST', path: '/v1/messages', body: '{}' }, timeouts).answer;
}

/** The whole body, or its failure. */
function readBody(body: UpstreamBody): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.consume({ data: (chunk) => chunks.push(chunk), end: () => resolve(Buffer.concat(chunks)), error: reject });
  });
}

function classify(error: unknown) {
  return classifyUpstreamFailure({ error, channelName: 'primary' });
}

describe('classifyUpstreamFailure', () => {
  it('makes a refused connection a 502 api_error naming the channel, the code and the detail', async () => {
    const port = await closedPort();
    const error = await failureOf(call(`http://127.0.0.1:${port}`));
    const failure = classify(error);
    expect(failure).toBeInstanceOf(GatewayError);
    expect(failure).toMatchObject({
      status: 502,
      type: 'api_error',
      message: `Upstream primary is unreachable (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}).`,
    });
    expect(failure.cause).toBe(error);
  });

  it('reads the code from the cause when the error wraps it, as fetch does', async () => {
    const port = await closedPort();
    const error = await failureOf(fetch(`http://127.0.0.1:${port}/v1/messages`));
    expect((error as Error).message).toBe('fetch failed');
    expect(classify(error).message).toBe(`Upstream primary is unreachable (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}).`);
  });

  it('makes a headers timeout against a silent server a 504 timeout_error', async () => {
    const origin = await localServer(() => {
      /* accepts the request, never answers */
    });
    const error = await failureOf(call(origin, { firstByteMs: 100 }));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(error).toMatchObject({ phase: 'first_byte', timeoutMs: 100, message: 'No answer within 100 ms.' });
    expect(classify(error)).toMatchObject({ status: 504, type: 'timeout_error', message: 'Upstream primary did not answer in time.' });
  });

  it('makes a body that stops arriving a 504 timeout_error', async () => {
    const origin = await localServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('event: ping\ndata: {"type":"ping"}\n\n');
      /* then silence */
    });
    const upstream = await call(origin, { idleMs: 100 });
    expect(upstream.statusCode).toBe(200);
    const error = await failureOf(readBody(upstream.body));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(error).toMatchObject({ phase: 'idle', timeoutMs: 100, message: 'No body bytes for 100 ms.' });
    expect(classify(error)).toMatchObject({ status: 504, type: 'timeout_error', message: 'Upstream primary stopped sending its response.' });
  });

  it('makes a connection the upstream drops before answering a 502', async () => {
    const origin = await localServer((request) => request.socket.destroy());
    const error = await failureOf(call(origin));
    expect(classify(error)).toMatchObject({ status: 502, type: 'api_error', message: 'Upstream primary is unreachable (UND_ERR_SOCKET: other side closed).' });
  });

  it('makes a connect timeout a 504 timeout_error', () => {
    // Undici's own error class: a real connect timeout needs an unroutable address, which
    // a sandbox may answer with ENETUNREACH instead.
    expect(classify(new errors.ConnectTimeoutError())).toMatchObject({
      status: 504,
      type: 'timeout_error',
      message: 'Upstream primary did not accept the connection in time.',
    });
  });

  describe('bad input', () => {
    it('still gives a 502 for errors without a code, and for things that are not errors', () => {
      expect(classify(new Error('boom')).message).toBe('Upstream primary is unreachable (UNKNOWN: boom).');
      expect(classify('a string').message).toBe('Upstream primary is unreachable (UNKNOWN: a string).');
      expect(classify(null).message).toBe('Upstream primary is unreachable (UNKNOWN: null).');
      expect(classify(undefined)).toMatchObject({ status: 502, type: 'api_error', message: 'Upstream primary is unreachable (UNKNOWN: undefined).' });
      expect(classify(Object.assign(new Error('getaddrinfo EAI_AGAIN api.example'), { code: 'EAI_AGAIN' })).message).toBe(
        'Upstream primary is unreachable (EAI_AGAIN: getaddrinfo EAI_AGAIN api.example).',
      );
    });
  });
});
