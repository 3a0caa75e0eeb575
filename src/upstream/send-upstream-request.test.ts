import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalHttpServer } from '../../test/support/start-local-http-server.js';
import { createUpstreamPools } from './create-upstream-pools.js';
import { sendUpstreamRequest, type UpstreamBody, type UpstreamTimeouts } from './send-upstream-request.js';
import { UpstreamTimeoutError } from './upstream-timeout-error.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function localServer(handle: Parameters<typeof startLocalHttpServer>[0]): Promise<string> {
  const server = await startLocalHttpServer(handle);
  cleanups.push(() => server.close());
  return server.url;
}

function send(origin: string, body = '{}', timeouts: UpstreamTimeouts = {}) {
  const pools = createUpstreamPools();
  cleanups.push(() => pools.close());
  return sendUpstreamRequest(pools.get(origin, 1000), { method: 'POST', path: '/v1/messages', headers: { 'content-type': 'application/json' }, body }, timeouts);
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

  describe('timeouts', () => {
    it('gives up with an UpstreamTimeoutError when no answer comes within the first-byte time, and closes the connection', async () => {
      let closed: Promise<unknown> | undefined;
      const origin = await localServer((request) => {
        closed = once(request.socket, 'close');
        /* never answers */
      });
      const started = Date.now();
      const error = await send(origin, '{}', { firstByteMs: 100 }).answer.catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(UpstreamTimeoutError);
      expect(error).toMatchObject({ phase: 'first_byte', timeoutMs: 100 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(95);
      await closed;
    });

    it('starts the first-byte time again at an interim 1xx answer, and gives up when no real answer follows', async () => {
      let processingSent = 0;
      const origin = await localServer((_request, response) => {
        setTimeout(() => {
          response.writeProcessing();
          processingSent = Date.now();
        }, 100);
        /* then no final answer */
      });
      const error = await send(origin, '{}', { firstByteMs: 150 }).answer.catch((failure: unknown) => failure);
      expect(error).toMatchObject({ phase: 'first_byte', timeoutMs: 150 });
      // Timed from the 102, not from the request (which alone would have timed out 50 ms after it).
      expect(Date.now() - processingSent).toBeGreaterThanOrEqual(140);
    });

    it('lets an upstream that keeps sending interim answers take longer than the first-byte time in all', async () => {
      const origin = await localServer((_request, response) => {
        let sent = 0;
        const timer = setInterval(() => {
          if (++sent <= 4) response.writeProcessing();
          else {
            clearInterval(timer);
            response.writeHead(200, { 'content-type': 'application/json' });
            response.end('{"done":true}');
          }
        }, 60);
      });
      const answer = await send(origin, '{}', { firstByteMs: 150 }).answer;
      expect(answer.statusCode).toBe(200);
      expect(await record(answer.body)).toEqual({ chunks: ['{"done":true}'], ended: true, error: undefined });
    });

    it('waits as long as Node can for a timeout longer than its timers take, instead of firing at once', async () => {
      const origin = await localServer((_request, response) => {
        setTimeout(() => {
          response.writeHead(200, { 'content-type': 'text/plain' });
          response.write('one ');
          setTimeout(() => response.end('two'), 30);
        }, 30);
      });
      const answer = await send(origin, '{}', { firstByteMs: 3_000_000_000, idleMs: 2 ** 31 }).answer;
      expect(await record(answer.body)).toEqual({ chunks: ['one ', 'two'], ended: true, error: undefined });
    });

    it('lets an answer that comes in time through, and then times the body by its idle time, not the first-byte time', async () => {
      const origin = await localServer((_request, response) => {
        setTimeout(() => {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          response.write('event: one\n\n');
          /* then silence */
        }, 60);
      });
      const answer = await send(origin, '{}', { firstByteMs: 120, idleMs: 300 }).answer;
      const started = Date.now();
      const seen = await record(answer.body);
      expect(seen.chunks).toEqual(['event: one\n\n']);
      expect(seen.error).toBeInstanceOf(UpstreamTimeoutError);
      expect(seen.error).toMatchObject({ phase: 'idle', timeoutMs: 300 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    });

    it('starts the idle time again at every chunk: a slow but steady body is not cut', async () => {
      const origin = await localServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        let sent = 0;
        const timer = setInterval(() => {
          sent++;
          if (sent < 8) response.write(`event: e${sent}\n\n`);
          else {
            clearInterval(timer);
            response.end();
          }
        }, 40);
      });
      // 8 × 40 ms is well beyond the idle time of 120 ms.
      const answer = await send(origin, '{}', { idleMs: 120 }).answer;
      const seen = await record(answer.body);
      expect(seen).toMatchObject({ ended: true, error: undefined });
      expect(seen.chunks.join('')).toBe(Array.from({ length: 7 }, (_, index) => `event: e${index + 1}\n\n`).join(''));
    });

    it('does not count the time a consumer keeps the body paused as the upstream being idle', async () => {
      const origin = await localServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('event: one\n\n');
        // The rest waits until the consumer has resumed (the upstream itself is never idle that long).
        setTimeout(() => response.end('event: two\n\n'), 350);
      });
      const answer = await send(origin, '{}', { idleMs: 100 }).answer;
      cleanups.push(() => answer.body.destroy(new Error('test over')));
      answer.body.pause();
      const seen = record(answer.body);
      await sleep(300);
      answer.body.resume();
      expect(await seen).toEqual({ chunks: ['event: one\n\n', 'event: two\n\n'], ended: true, error: undefined });
    });

    it('times the body again once the consumer resumes it', async () => {
      const origin = await localServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('event: one\n\n');
        /* then silence */
      });
      const answer = await send(origin, '{}', { idleMs: 100 }).answer;
      answer.body.pause();
      const seen = record(answer.body);
      await sleep(250);
      const resumed = Date.now();
      answer.body.resume();
      const { error } = await seen;
      expect(error).toMatchObject({ phase: 'idle', timeoutMs: 100 });
      expect(Date.now() - resumed).toBeGreaterThanOrEqual(90);
    });

    it('does not start the idle time again when resumed without having been paused', async () => {
      const origin = await localServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('event: one\n\n');
        /* then silence */
      });
      const answer = await send(origin, '{}', { idleMs: 150 }).answer;
      // A relay resumes at every drain of the client's socket, paused or not.
      const resumer = setInterval(() => answer.body.resume(), 40);
      const { error } = await record(answer.body).finally(() => clearInterval(resumer));
      expect(error).toMatchObject({ phase: 'idle', timeoutMs: 150 });
    });

    it('stops timing once the body has ended, however late the consumer comes', async () => {
      const origin = await localServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('whole');
      });
      const answer = await send(origin, '{}', { firstByteMs: 80, idleMs: 80 }).answer;
      await sleep(250);
      expect(await record(answer.body)).toEqual({ chunks: ['whole'], ended: true, error: undefined });
    });
  });
});
