#!/usr/bin/env node
// Reference floor: the thinnest possible Node gateway — node:http in, keep-alive node:http out, bytes piped both
// ways, no parsing. Whatever a real gateway adds above this is its own work.
// mixroute's copy of the shared reference tool (../shared/bench/ref-proxy.mjs), used by bench/run.mjs as the floor.
//   PORT=8090 UPSTREAM=http://127.0.0.1:9100 node ref-proxy.mjs      (GET /health answers locally)
import http from 'node:http';
const PORT = Number(process.env.PORT || 8090);
const up = new URL(process.env.UPSTREAM || 'http://127.0.0.1:9100');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);
http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') { res.end('ok'); return; }
  const headers = {}; for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k)) headers[k] = v;
  const preq = http.request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers, agent }, (pres) => {
    const h = {}; for (const [k, v] of Object.entries(pres.headers)) if (!HOP.has(k)) h[k] = v;
    res.writeHead(pres.statusCode, h); pres.pipe(res);
  });
  preq.on('error', (e) => { if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }); res.end(JSON.stringify({ error: e.message })); });
  req.pipe(preq);
}).listen(PORT, '127.0.0.1', () => console.log(`ref-proxy :${PORT} -> ${up.origin}`));
