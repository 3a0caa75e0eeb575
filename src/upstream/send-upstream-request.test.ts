import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalHttpServer } from '../../test/support/start-local-http-server.js';
import { createUpstreamPools } from './create-upstream-pools.js';
import { sendUpstreamRequest, type UpstreamBody } from './send-upstream-request.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function localServer(handle: Parameters<typeof startLocalHttpServer>[0]): Promise<string> {
  const server = await startLocalHttpServer(handle);
  cleanups.push(() => server.close());
  return server.url;
}

function send(origin: string, body = '{}') {
  const pools = createUpstreamPools();
  cleanups.push(() => pools.close());
  return sendUpstreamRequest(pools.get(origin, 1000), { method: 'POST', path: '/v1/messages', headers: { 'content-type': 'application/json' }, body });
}

/** Everything the consumer saw, in order. */
function record(body: UpstreamBody): Promise<{ chunks: string[]; ended: boolean; error: Error | undefined }> {
  return new Promise((resolve) => {
    const chunks: string[] = [];
    body.consume({
      data: (chunk) => chunks.push(chunk.toString('utf8')),
      end: () => resolve({ chunks, ended: true, error: undefined }),
      error: (error) => resolve({ chunks, ended: false, error }),
    });
  });
}

describe('sendUpstreamRequest', () => {
  it('sends the request and hands over status, headers and every byte, also the ones that came before the consumer', async () => {
    let received = '';
    const origin = await localServer((request, response) => {
      request.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
      request.on('end', () => {
        response.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' });
        response.write('{"a":');
        response.end('1}');
      });
    });
    const call = send(origin, '{"model":"m"}');
    const answer = await call.answer;
    expect(answer.statusCode).toBe(201);
    expect(answer.headers['x-upstream']).toBe('yes');
    // The body has arrived (or is arriving) with nobody reading it yet.
    await sleep(50);
    const seen = await record(answer.body);
    expect(seen).toEqual({ chunks: expect.any(Array), ended: true, error: undefined });
    expect(seen.chunks.join('')).toBe('{"a":1}');
    expect(received).toBe('{"model":"m"}');
  });

  it('rejects the answer with the reason when aborted before the upstream answers, and closes the connection', async () => {
    let closed: Promise<unknown> | undefined;
    const origin = await localServer((request) => {
      closed = once(request.socket, 'close');
      /* never answers */
    });
    const call = send(origin);
    await sleep(50);
    const reason = new Error('client went away');
    call.abort(reason);
    await expect(call.answer).rejects.toBe(reason);
    await closed;
  });

  it('rejects at once when aborted before the request is even on a connection', async () => {
    const origin = await localServer((_request, response) => response.end('late'));
    const call = send(origin);
    const reason = new Error('total time exceeded');
    call.abort(reason);
    await expect(call.answer).rejects.toBe(reason);
  });

  it('gives the consumer the reason when aborted mid-body, and nothing after it', async () => {
    const origin = await localServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('event: one\n\n');
      /* then silence */
    });
    const call = send(origin);
    const answer = await call.answer;
    const seen = record(answer.body);
    await sleep(50);
    const reason = new Error('stop');
    call.abort(reason);
    expect(await seen).toEqual({ chunks: ['event: one\n\n'], ended: false, error: reason });
  });

  it('stops reading while paused and reads the rest once resumed', async () => {
    const big = 'x'.repeat(4 * 1024 * 1024);
    const origin = await localServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(big);
    });
    const answer = await send(origin).answer;
    // Should a check fail, the paused exchange is given up so that the pool can close.
    cleanups.push(() => answer.body.destroy(new Error('test over')));
    let bytes = 0;
    const done = new Promise<void>((resolve, reject) => {
      answer.body.consume({
        data(chunk) {
          bytes += chunk.length;
          answer.body.pause();
        },
        end: () => resolve(),
        error: reject,
      });
    });
    await sleep(100);
    // Paused at the first chunk: what the parser had in hand may still come, then nothing more.
    const whilePaused = bytes;
    await sleep(100);
    expect(bytes).toBe(whilePaused);
    expect(bytes).toBeLessThan(big.length);
    // Each chunk pauses again: resumed until the end.
    const resumer = setInterval(() => answer.body.resume(), 1);
    await done.finally(() => clearInterval(resumer));
    expect(bytes).toBe(big.length);
  });

  it('a consumer that gives up on a chunk that came early gets its error and no end, though the whole body had arrived', async () => {
    const origin = await localServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end('data: garbage\n\n');
    });
    const answer = await send(origin).answer;
    await sleep(50);
    const reason = new Error('cannot read this');
    const seen: string[] = [];
    answer.body.consume({
      data: (chunk) => {
        seen.push(`data ${chunk.toString('utf8')}`);
        answer.body.destroy(reason);
      },
      end: () => seen.push('end'),
      error: (error) => seen.push(`error ${error.message}`),
    });
    expect(seen).toEqual(['data data: garbage\n\n', 'error cannot read this']);
  });
});
