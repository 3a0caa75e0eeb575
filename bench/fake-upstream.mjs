#!/usr/bin/env node
// Fake LLM upstream (Anthropic + OpenAI wire formats), plain node:http, no deps.
// mixroute's copy of the shared reference tool (../shared/bench/fake-upstream.mjs), used by bench/run.mjs.
// Cheap by design: response bodies / SSE frames are prebuilt and cached, the request
// body is only scanned with regexes (never JSON.parse'd on the hot path).
//
// Endpoints (matched on path suffix, so a gateway that prefixes /v1 or not still hits them):
//   POST .../messages                -> Anthropic Messages (JSON, or SSE when "stream": true)
//   POST .../messages/count_tokens   -> {"input_tokens": N}
//   POST .../chat/completions        -> OpenAI Chat Completions (JSON, or SSE when "stream": true)
//   GET  /v1/models, /health, /stats (request counters), POST /stats/reset
//
// Knobs (precedence: query string > request header > marker in body > env default):
//   deltas  number of text delta events in a stream   ?deltas=N | x-fake-deltas | "[[deltas=N]]" | FAKE_DELTAS (20)
//   delay   ms between stream events (0 = all frames written in one corked burst)
//                                                     ?delay=MS | x-fake-delay  | "[[delay=MS]]"  | FAKE_DELAY_MS (0)
//   ttfb    ms before the response head/first byte    ?ttfb=MS  | x-fake-ttfb   | "[[ttfb=MS]]"   | FAKE_TTFB_MS (0)
// Body markers survive every gateway because they ride inside the user message text.
//
// Process: PORT (9100), HOST (127.0.0.1), WORKERS (1 = plain single process, N>1 = node:cluster).
import http from 'node:http';
import cluster from 'node:cluster';

const PORT = Number(process.env.PORT || 9100);
const HOST = process.env.HOST || '127.0.0.1';
const WORKERS = Math.max(1, Number(process.env.WORKERS || 1));
const DEF_DELTAS = Number(process.env.FAKE_DELTAS || 20);
const DEF_DELAY = Number(process.env.FAKE_DELAY_MS || 0);
const DEF_TTFB = Number(process.env.FAKE_TTFB_MS || 0);
const DEF_MODEL_A = 'claude-sonnet-4-5-20250929';
const DEF_MODEL_O = 'gpt-4o-mini-2024-07-18';

if (WORKERS > 1 && cluster.isPrimary) {
  for (let i = 0; i < WORKERS; i++) cluster.fork();
  console.log(`fake-upstream primary ${process.pid}: ${WORKERS} workers on http://${HOST}:${PORT}`);
  const stop = () => { for (const w of Object.values(cluster.workers)) w.kill(); process.exit(0); };
  process.on('SIGTERM', stop); process.on('SIGINT', stop);
} else {
  serve();
}

function serve() {
  const stats = { total: 0, messages: 0, messages_stream: 0, chat: 0, chat_stream: 0, other: 0, started: Date.now() };
  const WORDS = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.',
    ' Gateways', ' should', ' add', ' as', ' little', ' latency', ' as', ' possible', ',', ' ideally'];
  const word = (i) => WORDS[i % WORDS.length];
  const fullText = (n) => { let s = ''; for (let i = 0; i < n; i++) s += word(i); return s; };
  const cache = new Map();
  const cached = (key, make) => { let v = cache.get(key); if (v === undefined) { v = make(); if (cache.size > 2000) cache.clear(); cache.set(key, v); } return v; };
  let seq = 0;
  const rid = (p) => p + (Date.now().toString(36) + (seq++).toString(36)).padStart(24, '0');

  // ---------- Anthropic ----------
  const anthropicJson = (model, n) => cached(`aj|${model}|${n}`, () => JSON.stringify({
    id: 'msg_01XFDUDYJgAACzvnptvVoYEL', type: 'message', role: 'assistant', model,
    content: [{ type: 'text', text: fullText(n) }],
    stop_reason: 'end_turn', stop_sequence: null,
    usage: { input_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: n },
  }));
  const sse = (event, obj) => `event: ${event}\ndata: ${JSON.stringify(obj)}\n\n`;
  // frames[] for a stream: head frames, n deltas, tail frames
  const anthropicFrames = (model, n) => cached(`as|${model}|${n}`, () => {
    const f = [];
    f.push(sse('message_start', { type: 'message_start', message: { id: 'msg_01XFDUDYJgAACzvnptvVoYEL', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 } } }));
    f.push(sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
    f.push(sse('ping', { type: 'ping' }));
    for (let i = 0; i < n; i++) f.push(sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: word(i) } }));
    f.push(sse('content_block_stop', { type: 'content_block_stop', index: 0 }));
    f.push(sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: n } }));
    f.push(sse('message_stop', { type: 'message_stop' }));
    return { frames: f, joined: f.join('') };
  });

  // ---------- OpenAI ----------
  const openaiJson = (model, n) => JSON.stringify({
    id: rid('chatcmpl-'), object: 'chat.completion', created: Math.floor(Date.now() / 1000), model,
    choices: [{ index: 0, message: { role: 'assistant', content: fullText(n), refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 25, completion_tokens: n, total_tokens: 25 + n },
    system_fingerprint: 'fp_fake0001',
  });
  const openaiFrames = (model, n, usage) => cached(`os|${model}|${n}|${usage}`, () => {
    const id = 'chatcmpl-fake' + n; const created = 1735689600;
    const chunk = (delta, finish, extra) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake0001', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;
    const f = [chunk({ role: 'assistant', content: '', refusal: null }, null)];
    for (let i = 0; i < n; i++) f.push(chunk({ content: word(i) }, null));
    f.push(chunk({}, 'stop'));
    if (usage) f.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake0001', choices: [], usage: { prompt_tokens: 25, completion_tokens: n, total_tokens: 25 + n } })}\n\n`);
    f.push('data: [DONE]\n\n');
    return { frames: f, joined: f.join('') };
  });

  // ---------- helpers ----------
  const reStream = /"stream"\s*:\s*true/;
  const reModel = /"model"\s*:\s*"([^"]{1,200})"/;
  const reUsage = /"include_usage"\s*:\s*true/;
  const knob = (name, q, headers, body, def) => {
    if (q) { const m = q.match(new RegExp(`(?:^|&)${name}=(\\d+)`)); if (m) return Number(m[1]); }
    const h = headers['x-fake-' + name]; if (h !== undefined && h !== '') return Number(h);
    const b = body.indexOf(`[[${name}=`); if (b !== -1) return parseInt(body.slice(b + name.length + 3), 10);
    return def;
  };
  const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' };

  function sendFrames(res, status, headers, frames, joined, delay) {
    res.writeHead(status, headers);
    if (!delay) { res.end(joined); return; }  // one burst: cheapest possible
    let i = 0;
    const step = () => {
      if (res.destroyed) return;
      res.write(frames[i++]);
      if (i < frames.length) setTimeout(step, delay); else res.end();
    };
    step();
  }

  function withTtfb(ms, fn) { if (ms > 0) setTimeout(fn, ms); else fn(); }

  const server = http.createServer((req, res) => {
    const url = req.url; const qi = url.indexOf('?');
    const path = qi === -1 ? url : url.slice(0, qi);
    const q = qi === -1 ? '' : url.slice(qi + 1);
    if (!path.startsWith('/stats')) stats.total++;  // the harness polls /stats; don't count it
    if (req.method === 'GET') {
      stats.other++;
      if (path === '/stats') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ pid: process.pid, rss_mb: +(process.memoryUsage.rss() / 1048576).toFixed(1), ...stats })); return; }
      if (path.endsWith('/models')) { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ object: 'list', data: [{ id: DEF_MODEL_A, object: 'model', type: 'model', created: 1735689600, owned_by: 'fake' }, { id: DEF_MODEL_O, object: 'model', created: 1735689600, owned_by: 'fake' }] })); return; }
      res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok'); return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (path === '/stats/reset') { for (const k of Object.keys(stats)) if (k !== 'started') stats[k] = 0; res.writeHead(204); res.end(); return; }
      const stream = reStream.test(body);
      const mm = reModel.exec(body);
      const n = knob('deltas', q, req.headers, body, DEF_DELTAS);
      const delay = knob('delay', q, req.headers, body, DEF_DELAY);
      const ttfb = knob('ttfb', q, req.headers, body, DEF_TTFB);
      if (path.endsWith('/messages/count_tokens')) {
        stats.other++;
        res.writeHead(200, { 'content-type': 'application/json' }); res.end(`{"input_tokens":${Math.max(1, body.length >> 2)}}`); return;
      }
      if (path.endsWith('/messages')) {
        const model = mm ? mm[1] : DEF_MODEL_A;
        withTtfb(ttfb, () => {
          if (stream) {
            stats.messages_stream++;
            const { frames, joined } = anthropicFrames(model, n);
            sendFrames(res, 200, { ...SSE_HEADERS, 'request-id': 'req_fake', 'anthropic-version': '2023-06-01' }, frames, joined, delay);
          } else {
            stats.messages++;
            const b = anthropicJson(model, n);
            res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b), 'request-id': 'req_fake' });
            res.end(b);
          }
        });
        return;
      }
      if (path.endsWith('/chat/completions')) {
        const model = mm ? mm[1] : DEF_MODEL_O;
        withTtfb(ttfb, () => {
          if (stream) {
            stats.chat_stream++;
            const { frames, joined } = openaiFrames(model, n, reUsage.test(body));
            sendFrames(res, 200, SSE_HEADERS, frames, joined, delay);
          } else {
            stats.chat++;
            const b = openaiJson(model, n);
            res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b) });
            res.end(b);
          }
        });
        return;
      }
      stats.other++;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `fake-upstream: no route ${req.method} ${path}` } }));
    });
  });
  server.keepAliveTimeout = 65000;
  server.headersTimeout = 66000;
  server.listen(PORT, HOST, () => console.log(`fake-upstream ${process.pid} listening on http://${HOST}:${PORT} (deltas=${DEF_DELTAS} delay=${DEF_DELAY}ms ttfb=${DEF_TTFB}ms)`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop); process.on('SIGINT', stop);
}
