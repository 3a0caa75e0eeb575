import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A bare HTTP server on 127.0.0.1 that calls `handle`: an upstream a test scripts by hand. */
export async function startLocalHttpServer(
  handle: (request: http.IncomingMessage, response: http.ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
