import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';

function clientAborted() {
  return Object.assign(new Error('client closed the connection while sending the request'), { code: 'CLIENT_ABORTED' });
}

function tooLarge(limit: number) {
  return new GatewayError({
    status: 413,
    type: 'request_too_large',
    message: `Request exceeds the maximum allowed number of bytes (${limit}).`,
  });
}

/**
 * Reads the request body up to `limit` bytes. A declared `content-length`
 * over the limit is refused before a byte is read; a chunked body is refused
 * as soon as it crosses the limit, so an oversize upload never sits in memory.
 */
export function readRequestBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  // The client may have left while the key was being checked: then no 'end' will ever come.
  if (request.destroyed && !request.readableEnded) return Promise.reject(clientAborted());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        request.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onAborted = () => {
      cleanup();
      reject(clientAborted());
    };
    function cleanup() {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onAborted);
      request.off('close', onAborted);
    }
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onAborted);
    // 'close' before 'end' is a disconnect too ('end' removes this listener first).
    request.on('close', onAborted);
  });
}
