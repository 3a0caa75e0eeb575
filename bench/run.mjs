#!/usr/bin/env node
// mixroute's benchmark (issue 6): `npm run bench` (full, 8-11 min) or `npm run bench -- --quick` (~1 min smoke run).
//
// Starts, as child processes on 127.0.0.1:
//   - bench/fake-upstream.mjs  (CPU 1)  a cheap fake Anthropic + OpenAI upstream
//   - bench/ref-proxy.mjs      (CPU 0)  the bare node:http pipe to that upstream: the floor
//   - dist/cli.js serve        (CPU 0)  mixroute, auth + routing + usage tap + batched SQLite ledger on
// and drives them from this process (pinned to CPU 1 with the upstream) with autocannon (closed-loop load,
// latencies recorded per request from its 'response' event, so in µs, not autocannon's whole-ms histogram)
// and an undici client for streams (time to first byte, total time, concurrent paced streams).
// Pinning uses `taskset` when it exists; without it the run still works but says so in the report.
//
// Scaling section (`--only scaling` alone; last in a full or quick run, after the pinned cases and the profile):
// mixroute with `server.workers: 1` and with `server.workers: 2` (node:cluster: a primary that forks 2 workers
// sharing the port), each with its own data_dir, NOT pinned, plus the fake upstream directly; this process and the
// upstream are unpinned for it and pinned back afterwards. Gateway CPU is summed over the primary and its worker
// processes (/proc/<pid>/task/*/children); the load generator's and upstream's share of the machine is reported too.
//
// Targets are interleaved in rounds (order rotated each round) and every figure is the median over rounds of
// a per-round value; "added" latency and ratios are paired within a round. Gateway CPU per request is the
// child's utime+stime from /proc/<pid>/stat over the phase (plus a short settle so that the ledger batch of
// that phase is counted) divided by the requests it served.
//
// Flags: --quick  --rounds N  --duration S (seconds per load phase)  --only case,case  --profile (always
//        profile)  --no-profile  --build (rebuild dist first)  --out FILE  --foreign-max PCT (re-run a phase when
//        other processes used more than PCT % of a CPU during it; 25)  --noise-budget S (time for re-runs and
//        waiting for quiet; 60, 0 in --quick)  --ledger-flush-ms N (diagnosis: mixroute's ledger flush interval)
//        --paced-rate N (requests/s of the open-loop latency case small-c16-rate; 1000)  --node-flags "…" (diagnosis:
//        node flags for mixroute, e.g. "--trace-gc"; its output goes to bench/out/adhoc/mixroute.log)
//        --only takes case ids (small-c16, paced-64, …) and `scaling` (the several-workers section)
//        --slices N (diagnosis: closed-loop cases with several targets run them in N alternating slices of
//        duration/N s per round instead of one phase each; 1)
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, '..');
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const { Client, Pool } = await import('undici');

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, def) => { const i = argv.indexOf(name); return i !== -1 && argv[i + 1] !== undefined ? argv[i + 1] : def; };
const QUICK = flag('--quick');
const P = QUICK
  ? { rounds: 1, duration: 1, ttfbN: 10, paced64: { conc: 64, deltas: 100, delay: 10, perSlot: 1 }, paced1000: { conc: 1000, deltas: 10, delay: 100, perSlot: 1 }, profileSeconds: 2, watchdogMin: 4 }
  : { rounds: 5, duration: 2, ttfbN: 40, paced64: { conc: 64, deltas: 200, delay: 10, perSlot: 1 }, paced1000: { conc: 1000, deltas: 30, delay: 100, perSlot: 1 }, profileSeconds: 3, watchdogMin: 15 };
P.rounds = Number(opt('--rounds', P.rounds));
P.duration = Number(opt('--duration', P.duration));
// Closed-loop cases run their targets in this many alternating slices per round (see runSlicedCase); 1 = one phase each.
P.slices = Math.max(1, Math.floor(Number(opt('--slices', 1))));
const ONLY = opt('--only', '') ? new Set(opt('--only', '').split(',')) : null;
// A default run writes bench/RESULTS.md (full) or bench/out/quick/RESULTS.md (quick); a partial run (--only, --rounds,
// --duration, --out, diagnosis flags) never overwrites bench/RESULTS.md. Logs, raw JSON and profiles: bench/out/<mode>/.
const ADHOC = ['--only', '--rounds', '--duration', '--slices', '--out', '--ledger-flush-ms', '--paced-rate', '--node-flags'].some(flag);
/** µs of CPU per delta beyond the 200th, from the CPU per request (ms) of a 2,000-delta and a 200-delta stream. */
const perAddedDeltaUs = (cpu2000Ms, cpu200Ms) => ((cpu2000Ms - cpu200Ms) * 1000) / 1800;
/** Diagnosis: extra node flags for the mixroute process (`--node-flags "--trace-gc --trace-gc-nvp"`); its output lands in its log. */
const MIX_NODE_FLAGS = opt('--node-flags', '').split(' ').filter(Boolean);
const MODE = ADHOC ? 'adhoc' : QUICK ? 'quick' : 'full';
const OUT_DIR = path.join(BENCH, 'out', MODE);
const OUT_FILE = path.resolve(opt('--out', MODE === 'full' ? path.join(BENCH, 'RESULTS.md') : path.join(OUT_DIR, 'RESULTS.md')));
const FOREIGN_MAX = Number(opt('--foreign-max', 25)); // % of one CPU used by other processes during a phase before it is re-run
// Time the run may spend, in all, on re-running noisy phases and waiting for a quiet machine before a round.
const NOISE_BUDGET_MS = Number(opt('--noise-budget', QUICK ? 0 : 60)) * 1000;
const MAX_RERUNS = 20;
const SETTLE_MS = 300; // after a phase, before the closing CPU reading: the ledger flushes every 200 ms
const KEY = 'sk-bench-0123456789abcdef';
const KEY_PLAIN = 'sk-bench-plain-0123456789abcdef'; // a second key: no limits, its user (admin) has no balance
const MODEL_A = 'claude-sonnet-4-5-20250929';
const MODEL_O = 'gpt-4o-mini';
/** Offered load of the open-loop latency case: about a fifth of what mixroute serves on its one core. */
const PACED_RATE = Number(opt('--paced-rate', 1000));
/** The bench user's prepaid balance (USD): far above what a run spends; the money check counts it back. */
const BENCH_CREDIT_USD = 1_000_000;
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

const BILLING = !flag('--no-billing');
const dataDir = path.join(os.tmpdir(), `mixroute-bench-${process.pid}`); // mixroute's SQLite database, removed at the end
const log = (...a) => process.stderr.write(a.join(' ') + '\n');
const children = [];
let finished = false;

// ---------------------------------------------------------------- watchdog: the run always stops by itself
const watchdog = setTimeout(() => {
  log(`bench: watchdog — still running after ${P.watchdogMin} min; stopping everything`);
  killAll('SIGKILL');
  process.exit(3);
}, P.watchdogMin * 60_000);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { log(`bench: ${sig}; stopping`); killAll('SIGKILL'); process.exit(130); });
process.on('exit', () => { if (!finished) killAll('SIGKILL'); });

// ---------------------------------------------------------------- machine & tools
const hasTaskset = spawnSync('taskset', ['-V'], { encoding: 'utf8' }).status === 0 || spawnSync('which', ['taskset']).status === 0;
const ncpu = os.cpus().length;
const nprocText = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim(); // before this process pins itself
const PIN = hasTaskset && ncpu >= 2;
if (PIN) {
  try { execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' }); } catch { /* best effort */ }
}
const cpuModel = (readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) ?? [, os.cpus()[0]?.model ?? '?'])[1];
const memTotalMiB = Math.round(Number(readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s+(\d+)/)[1]) / 1024);
const pkgVersion = (name) => { try { return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version; } catch { return 'not installed'; } };
const rootPkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const git = (...a) => { try { return execFileSync('git', a, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return '?'; } };

// ---------------------------------------------------------------- build
const DIST_CLI = path.join(ROOT, 'dist', 'cli.js');
if (flag('--build') || !existsSync(DIST_CLI)) {
  log(`bench: ${existsSync(DIST_CLI) ? 'rebuilding' : 'dist/cli.js missing; building'} (npm run build)`);
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

// ---------------------------------------------------------------- /proc readings
function cpuMs(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK; // utime + stime (fields 14, 15), all threads
}
/** Main thread only: its CPU (ms) and the time it spent runnable but waiting for a CPU (ms, from schedstat). */
function mainThread(pid) {
  const s = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  const sched = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ');
  return { cpuMs: ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK, waitMs: Number(sched[1]) / 1e6 };
}
function status(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) ?? [0, 0])[1]);
  return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
}

/** CPU time (ms) used on the whole machine, per /proc/stat (user + nice + system, all CPUs). */
function machineCpuMs() {
  const l = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  return ((l[0] + l[1] + l[2]) * 1000) / CLK_TCK;
}
/** Starts a window; the returned function gives the CPU used by processes other than ours, in % of one CPU. */
function foreignLoad(pids) {
  const ours = () => pids().reduce((s, pid) => { try { return s + cpuMs(pid); } catch { return s; } }, 0) + (process.cpuUsage().user + process.cpuUsage().system) / 1000;
  const m0 = machineCpuMs(); const o0 = ours(); const t0 = performance.now();
  return () => Math.max(0, (100 * (machineCpuMs() - m0 - (ours() - o0))) / (performance.now() - t0));
}
/** CPU time (ms) the whole machine was busy, per /proc/stat: everything but idle and iowait (so irq, softirq, steal count). */
function machineBusyMs() {
  const l = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return ((l.reduce((a, b) => a + b, 0) - l[3] - l[4]) * 1000) / CLK_TCK;
}
/** The child processes of pid (a cluster primary's workers): /proc/<pid>/task/<tid>/children, else `pgrep -P`. */
function childPids(pid) {
  const out = new Set();
  let viaProc = false;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try { for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/)) if (c) out.add(Number(c)); viaProc = true; } catch { /* thread gone or no CONFIG_PROC_CHILDREN */ }
    }
  } catch { return []; }
  if (!viaProc) for (const c of (spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout ?? '').split(/\s+/)) if (c) out.add(Number(c));
  return [...out];
}
/** CPU (ms) of a set of processes from a start snapshot; a process that is gone at the end is left out of both ends. */
function groupCpu(pids) {
  const start = new Map();
  for (const pid of pids) { try { start.set(pid, cpuMs(pid)); } catch { /* gone */ } }
  return () => {
    const per = new Map(); let lost = 0;
    for (const [pid, c0] of start) { try { per.set(pid, cpuMs(pid) - c0); } catch { lost++; } }
    return { total: [...per.values()].reduce((a, b) => a + b, 0), per, lost };
  };
}
const ALL_CPUS = `0-${os.cpus().length - 1}`;
function setAffinity(pid, cpus) {
  try { execFileSync('taskset', ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore' }); return true; } catch { return false; }
}

// ---------------------------------------------------------------- child processes
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

/** The children's environment: ours without anything that would point mixroute at other storage or at Redis. */
function childEnv(extra) {
  const env = { ...process.env, ...extra };
  for (const k of Object.keys(env)) if (/^(MIXROUTE_|REDIS_URL$|DATABASE_URL$|PORT$|HOST$|NODE_OPTIONS$)/.test(k) && !(k in extra)) delete env[k];
  return env;
}

function startChild(name, args, { cpu, env = {}, cwd = ROOT } = {}) {
  const cmd = PIN && cpu !== undefined ? ['taskset', '-c', String(cpu), process.execPath, ...args] : [process.execPath, ...args];
  const child = spawn(cmd[0], cmd.slice(1), { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const logPath = path.join(OUT_DIR, `${name}.log`);
  writeFileSync(logPath, '');
  const append = (d) => { try { writeFileSync(logPath, d, { flag: 'a' }); } catch { /* ignore */ } };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const info = { name, child, pid: child.pid, exited: false, command: [...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...cmd.map((c) => (c === process.execPath ? 'node' : path.isAbsolute(c) && c.startsWith(ROOT + path.sep) ? path.relative(ROOT, c) : c))].join(' ') };
  info.exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => { info.exited = true; resolve({ code, signal }); }));
  children.push(info);
  return info;
}

async function stopChild(info, timeoutMs = 10_000) {
  if (info.exited) return;
  try { process.kill(info.pid, 'SIGTERM'); } catch { /* gone */ }
  const t = setTimeout(() => { try { process.kill(info.pid, 'SIGKILL'); } catch { /* gone */ } }, timeoutMs);
  await info.exitPromise;
  clearTimeout(t);
}

function killAll(sig) {
  for (const c of children) {
    // A cluster primary's workers (recorded when the scaling section found them), so that none is left behind.
    for (const w of c.workerPids ?? []) { try { process.kill(w, sig); } catch { /* gone */ } }
    if (!c.exited) { try { process.kill(c.pid, sig); } catch { /* gone */ } }
  }
}

async function waitHealthy(url, info, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (info.exited) throw new Error(`${info.name} exited during start; see ${path.relative(ROOT, OUT_DIR)}/${info.name}.log`);
    try { const r = await fetch(url); await r.arrayBuffer(); if (r.ok) return; } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error(`${info.name} not healthy at ${url} after ${timeoutMs} ms; see ${path.relative(ROOT, OUT_DIR)}/${info.name}.log`);
}

// ---------------------------------------------------------------- request bodies
const HEADERS = { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' };
const marker = (deltas, delay) => `[[deltas=${deltas}]][[delay=${delay}]]`;
const anthropicBody = ({ model = MODEL_A, text = 'Hello, how are you?', stream = false, deltas = 20, delay = 0 }) =>
  JSON.stringify({ model, max_tokens: 1024, ...(stream ? { stream: true } : {}), messages: [{ role: 'user', content: `${text} ${marker(deltas, delay)}` }] });
// The same request from an OpenAI client (Chat Completions, usage asked for), for the Anthropic channel.
const openAIStreamBody = ({ model = MODEL_A, text = 'Hello, how are you?', deltas = 20, delay = 0 }) =>
  JSON.stringify({ model, max_tokens: 1024, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: `${text} ${marker(deltas, delay)}` }] });
const PROMPT_64K = (() => { const w = 'lorem ipsum dolor sit amet consectetur '; let s = ''; while (s.length < 65536) s += w; return s.slice(0, 65536); })();

// ---------------------------------------------------------------- load: autocannon (closed loop)
function acRun({ origin, urlPath = '/v1/messages', body, connections, duration, headers = HEADERS }) {
  return new Promise((resolve, reject) => {
    const lat = [];
    let ok = 0; let bad = 0;
    const t0 = performance.now();
    const inst = autocannon({ url: origin + urlPath, method: 'POST', headers, body, connections, duration, pipelining: 1, timeout: 30 }, (err, res) => {
      if (err) return reject(err);
      resolve({ ok, bad, errors: res.errors + res.timeouts, lat, elapsedMs: performance.now() - t0 });
    });
    inst.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) { ok++; lat.push(responseTime); } else bad++;
    });
  });
}

// ---------------------------------------------------------------- load: undici stream client
function streamOnce(pool, body) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first = 0; let last = null; let prev = null; let chunks = 0;
    pool.request({ path: '/v1/messages', method: 'POST', headers: HEADERS, body }).then(({ statusCode, body: rb }) => {
      rb.on('data', (chunk) => { if (!first) first = performance.now(); prev = last; last = chunk; chunks++; });
      rb.on('error', reject);
      rb.on('end', () => {
        const end = performance.now();
        const tail = (prev ? prev.toString('latin1', Math.max(0, prev.length - 64)) : '') + (last ? last.toString('latin1') : '');
        resolve({ ok: statusCode === 200 && tail.includes('message_stop'), ttfb: first - t0, total: end - t0, chunks });
      });
    }, reject);
  });
}

/** conc workers, each running perSlot streams back to back; RSS of `pid` sampled every 100 ms. */
async function runStreams({ origin, body, conc, perSlot, pid }) {
  const pool = new Pool(origin, { connections: conc, pipelining: 1, keepAliveTimeout: 30_000 });
  const ttfb = []; const total = [];
  let ok = 0; let bad = 0; let inflight = 0; let maxInflight = 0; let rssPeak = 0; let chunks = 0;
  const sampler = pid ? setInterval(() => { try { rssPeak = Math.max(rssPeak, status(pid).rssMiB); } catch { /* gone */ } }, 100) : null;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conc }, async () => {
    for (let i = 0; i < perSlot; i++) {
      inflight++; maxInflight = Math.max(maxInflight, inflight);
      try {
        const r = await streamOnce(pool, body);
        if (r.ok) { ok++; ttfb.push(r.ttfb); total.push(r.total); chunks += r.chunks; } else bad++;
      } catch { bad++; }
      inflight--;
    }
  }));
  const elapsedMs = performance.now() - t0;
  if (sampler) { clearInterval(sampler); try { rssPeak = Math.max(rssPeak, status(pid).rssMiB); } catch { /* gone */ } }
  await pool.close();
  return { ok, bad, ttfb, total, elapsedMs, maxInflight, rssPeak, chunksPerStream: chunks / ok };
}

// ---------------------------------------------------------------- stats helpers
const pct = (arr, p) => { if (!arr.length) return NaN; const s = Float64Array.from(arr).sort(); return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]; };
const median = (arr) => { const a = arr.filter((x) => Number.isFinite(x)); if (!a.length) return NaN; const s = a.sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const sgn = (x, d = 2) => (Number.isFinite(x) ? (x >= 0 ? '+' : '') + x.toFixed(d) : '–');

// ---------------------------------------------------------------- cases
// Each case has targets; a phase = one target in one round. A phase returns a record of metrics.
const results = []; // { case, target, round, ...metrics }

/** Starts a CPU window on the gateway; the returned function settles, then gives its CPU (ms) and records thread detail in `into`. */
function cpuPhase(pid, into = {}) {
  const c0 = pid ? cpuMs(pid) : 0;
  const m0 = pid ? mainThread(pid) : null;
  const t0 = performance.now();
  return async () => {
    await sleep(SETTLE_MS);
    if (!pid) return NaN;
    const cpu = cpuMs(pid) - c0;
    const m1 = mainThread(pid);
    const seconds = (performance.now() - t0) / 1000;
    into.mainCpuMs = m1.cpuMs - m0.cpuMs;
    into.otherThreadsCpuMs = cpu - into.mainCpuMs;
    into.mainWaitMs = m1.waitMs - m0.waitMs;
    into.seconds = seconds;
    return cpu;
  };
}

/** Closed-loop load (autocannon) on one target for `seconds`, with the gateway's CPU over it: one slice of a phase. */
async function closedSlice(t, { body, bodyFor, connections, urlPath, urlPathFor, headers }, seconds) {
  const th = {};
  const done = cpuPhase(t.pid, th);
  const r = await acRun({ origin: t.origin, urlPath: urlPathFor?.[t.key] ?? urlPath, body: bodyFor?.[t.key] ?? body, connections, duration: seconds, headers });
  const cpu = await done();
  return { ...th, ok: r.ok, bad: r.bad + r.errors, lat: r.lat, elapsedMs: r.elapsedMs, cpu };
}

/** One target's slices of a round (one or several) as its phase record; `deltas` for streams (CPU per delta). */
function closedResult(slices, deltas) {
  const sum = (k) => slices.reduce((a, x) => a + x[k], 0);
  const ok = sum('ok');
  const cpu = sum('cpu');
  const lat = slices.length === 1 ? slices[0].lat : slices.flatMap((x) => x.lat);
  const record = { ok, bad: sum('bad'), rps: (ok / sum('elapsedMs')) * 1000, p50: pct(lat, 50), p99: pct(lat, 99), cpuPerReq: cpu / ok };
  if (deltas) record.cpuPerDeltaUs = (cpu * 1000) / (ok * deltas);
  if (slices[0].seconds !== undefined) Object.assign(record, { mainCpuMs: sum('mainCpuMs'), otherThreadsCpuMs: sum('otherThreadsCpuMs'), mainWaitMsPerS: sum('mainWaitMs') / sum('seconds') });
  return record;
}

/**
 * One round of a closed-loop case on several targets: P.slices slices of duration/slices seconds each, the
 * targets alternating (order rotated every slice), merged per target. Every target then sees the machine over
 * the same few seconds, so its swings (on this shared machine, up to 2× within a minute) fall on each alike;
 * one phase per target lets a swing land on one of them only.
 */
async function runSlicedCase(c, order) {
  const slices = order.map(() => []);
  for (let s = 0; s < P.slices; s++) {
    for (let i = 0; i < order.length; i++) {
      const k = (i + s) % order.length;
      slices[k].push(await closedSlice(order[k], c.closed, P.duration / P.slices));
      await sleep(100);
    }
  }
  return slices.map((x) => closedResult(x, c.deltas));
}

/** A closed-loop case: its targets can run in alternating slices (see runSlicedCase), or one phase each. */
const closedCase = (id, title, targets, load, deltas) => ({ id, title, targets, closed: load, deltas, run: async (t) => closedResult([await closedSlice(t, load, P.duration)], deltas) });

/**
 * Open loop at a fixed offered rate: request i is sent at start + i/rate on connection i mod `connections` (every
 * connection in use, each at rate/connections), whatever the earlier answers did; latency = send to last body byte.
 * Unlike the closed loop (where 16 connections keep the gateway saturated, so latency is 16 × its CPU per request),
 * this measures what the gateway adds to a request at a load it carries: the tail then shows stalls (GC pauses,
 * storage commits) rather than queueing. autocannon's own rate option sends each second's quota in a burst, so the
 * pacing is done here, on timers (±1 ms; latency is measured from the actual send, so timer lateness is not counted).
 */
async function pacedRequestsPhase(t, { body, connections, rate }) {
  const clients = Array.from({ length: connections }, () => new Client(t.origin, { pipelining: 1, keepAliveTimeout: 30_000 }));
  const one = (client) => new Promise((resolve) => {
    const t0 = performance.now();
    client.request({ path: '/v1/messages', method: 'POST', headers: HEADERS, body }).then(async ({ statusCode, body: rb }) => {
      await rb.dump({ limit: Infinity });
      resolve({ ok: statusCode === 200, ms: performance.now() - t0 });
    }, () => resolve({ ok: false, ms: NaN }));
  });
  const offer = async (seconds, onAnswer) => {
    const total = Math.round(rate * seconds);
    const pending = []; let sent = 0;
    const start = performance.now();
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      for (; sent < due; sent++) pending.push(one(clients[sent % connections]).then(onAnswer));
      await sleep(1);
    }
    await Promise.all(pending);
    return performance.now() - start;
  };
  for (const client of clients) await one(client); // open every connection before measuring
  // A lead-in at the same rate, not measured: the gateway leaves the saturated phase before this one behind
  // (its ledger backlog, the old-generation GC that backlog brings) and the load generator's own path is warm.
  await offer(0.5, () => {});
  const done = cpuPhase(t.pid);
  const lat = []; let bad = 0;
  const elapsedMs = await offer(P.duration, (r) => { if (r.ok) lat.push(r.ms); else bad++; });
  const cpu = await done();
  await Promise.all(clients.map((client) => client.close()));
  return { ok: lat.length, bad, rps: (lat.length / elapsedMs) * 1000, p50: pct(lat, 50), p99: pct(lat, 99), cpuPerReq: cpu / lat.length };
}

async function ttfbPhase(t, { body, n }) {
  const pool = new Pool(t.origin, { connections: 1, pipelining: 1 });
  await streamOnce(pool, body); // connection + warm
  const ttfb = []; const total = []; let bad = 0;
  for (let i = 0; i < n; i++) {
    const r = await streamOnce(pool, body);
    if (r.ok) { ttfb.push(r.ttfb); total.push(r.total); } else bad++;
  }
  await pool.close();
  return { ok: ttfb.length, bad, ttfbP50: pct(ttfb, 50), ttfbP99: pct(ttfb, 99), totalP50: pct(total, 50) };
}

async function pacedPhase(t, { body, conc, perSlot, deltas }) {
  const done = cpuPhase(t.pid);
  const r = await runStreams({ origin: t.origin, body, conc, perSlot, pid: t.pid });
  const cpu = await done();
  return { ok: r.ok, bad: r.bad, ttfbP50: pct(r.ttfb, 50), ttfbP99: pct(r.ttfb, 99), totalP50: pct(r.total, 50), cpuPerDeltaUs: (cpu * 1000) / (r.ok * deltas), cpuPerReq: cpu / r.ok, rssPeak: r.rssPeak, maxInflight: r.maxInflight, elapsedMs: r.elapsedMs, chunksPerStream: r.chunksPerStream };
}

function defineCases(T) {
  const { direct, bare, mix } = T;
  const three = [direct, bare, mix];
  const p64 = P.paced64; const p1k = P.paced1000;
  return [
    closedCase('small-c1', 'small JSON, 1 connection', three, { body: anthropicBody({}), connections: 1 }),
    closedCase('small-c16', 'small JSON, 16 connections', three, { body: anthropicBody({}), connections: 16 }),
    { id: 'small-c16-rate', title: `small JSON, 16 connections, open loop at ${PACED_RATE} requests/s`, targets: three, run: (t) => pacedRequestsPhase(t, { body: anthropicBody({}), connections: 16, rate: PACED_RATE }) },
    closedCase('small-c64', 'small JSON, 64 connections', three, { body: anthropicBody({}), connections: 64 }),
    ...(BILLING ? [closedCase('small-c16-plain', 'small JSON, 16 connections, key without limits or balance', [mix], { body: anthropicBody({}), connections: 16, headers: { ...HEADERS, 'x-api-key': KEY_PLAIN } })] : []),
    closedCase('prompt-64k', '64 KB prompt, 16 connections', three, { body: anthropicBody({ text: PROMPT_64K }), connections: 16 }),
    closedCase('stream-200', 'stream, 200 deltas, unpaced, 16 connections', three, { body: anthropicBody({ stream: true, deltas: 200 }), connections: 16 }, 200),
    // The same stream with 2,000 deltas: the difference to stream-200 is what 1,800 more deltas cost, without the
    // per-request part (a difference large enough to stand out of this machine's noise).
    closedCase('stream-2000', 'stream, 2000 deltas, unpaced, 16 connections', three, { body: anthropicBody({ stream: true, deltas: 2000 }), connections: 16 }, 2000),
    { id: 'ttfb-200', title: 'one stream of 200 deltas at a time (TTFB, total)', targets: three, run: (t) => ttfbPhase(t, { body: anthropicBody({ stream: true, deltas: 200 }), n: P.ttfbN }) },
    { id: 'paced-64', title: `${p64.conc} concurrent paced streams (${p64.deltas} deltas every ${p64.delay} ms)`, targets: three, run: (t) => pacedPhase(t, { body: anthropicBody({ stream: true, deltas: p64.deltas, delay: p64.delay }), ...p64 }) },
    { id: 'paced-1000', title: `${p1k.conc} concurrent paced streams (${p1k.deltas} deltas every ${p1k.delay} ms)`, targets: three, run: (t) => pacedPhase(t, { body: anthropicBody({ stream: true, deltas: p1k.deltas, delay: p1k.delay }), ...p1k }) },
    // The translated path: an Anthropic client on an OpenAI-compatible channel (mixroute only; the pipe cannot translate).
    // Against the passthrough stream of the same case and round, measured right before or after it on the same
    // process: two cases minutes apart (the passthrough in stream-200) let the machine's swings into the ratio.
    closedCase('xlat-stream-200', 'translated stream, 200 deltas, unpaced, 16 connections (and the passthrough stream beside it)', [mix, T.mixXlat], { body: anthropicBody({ stream: true, deltas: 200 }), bodyFor: { mixXlat: anthropicBody({ model: MODEL_O, stream: true, deltas: 200 }) }, connections: 16 }, 200),
    // The other direction, for information (no budget line): an OpenAI client on the Anthropic channel, beside the passthrough.
    closedCase('xlat-openai-stream-200', 'translated stream for an OpenAI client (Anthropic channel), 200 deltas, unpaced, 16 connections (and the passthrough stream beside it)', [mix, T.mixXlatOpenAI], { body: anthropicBody({ stream: true, deltas: 200 }), bodyFor: { mixXlatOpenAI: openAIStreamBody({ deltas: 200 }) }, urlPathFor: { mixXlatOpenAI: '/v1/chat/completions' }, connections: 16 }, 200),
    { id: 'xlat-paced-64', title: `translated: ${p64.conc} concurrent paced streams`, targets: [mix], run: (t) => pacedPhase(t, { body: anthropicBody({ model: MODEL_O, stream: true, deltas: p64.deltas, delay: p64.delay }), ...p64 }) },
    closedCase('xlat-small-c16', 'translated small JSON, 16 connections', [mix], { body: anthropicBody({ model: MODEL_O }), connections: 16 }),
  ].filter((c) => !ONLY || ONLY.has(c.id));
}

// ---------------------------------------------------------------- several workers (node:cluster)
const scalingDirs = []; // data_dirs of the scaling section's mixroutes, removed at the end
const SCALE_CONNECTIONS = [64, 16];

/** One scaling phase: small JSON, closed loop; gateway CPU over the primary and every worker process, and the machine's split. */
async function scalePhase(t, { connections, upPid }) {
  const gwPids = t.pid ? [t.pid, ...childPids(t.pid)] : [];
  const gw = groupCpu(gwPids);
  const upc = groupCpu([upPid]);
  const me0 = process.cpuUsage(); const busy0 = machineBusyMs(); const t0 = performance.now();
  const r = await acRun({ origin: t.origin, body: anthropicBody({}), connections, duration: P.duration });
  // Shares of the machine over the load itself (no settle): % of all CPUs × wall time.
  const wallMs = performance.now() - t0;
  const me = process.cpuUsage(me0); const genMs = (me.user + me.system) / 1000;
  const upMs = upc().total; const gwMs = gw().total; const busyMs = machineBusyMs() - busy0;
  await sleep(SETTLE_MS); // gateway CPU per request includes the phase's ledger batch, as in the pinned cases
  const g = gw();
  const onePct = (wallMs * ncpu) / 100;
  const workerMs = gwPids.slice(1).map((pid) => g.per.get(pid)).filter(Number.isFinite);
  const workerSum = workerMs.reduce((a, b) => a + b, 0);
  return {
    ok: r.ok, bad: r.bad + r.errors, rps: (r.ok / r.elapsedMs) * 1000, p50: pct(r.lat, 50), p99: pct(r.lat, 99),
    processes: gwPids.length, lostProcesses: g.lost,
    cpuPerReq: t.pid ? g.total / r.ok : NaN,
    primaryCpuPerReq: t.workers > 1 ? (g.per.get(t.pid) ?? NaN) / r.ok : NaN,
    workerShares: workerMs.length > 1 && workerSum > 0 ? workerMs.map((w) => w / workerSum) : null,
    genUpCpuPerReq: (genMs + upMs) / r.ok,
    genPct: genMs / onePct, upPct: upMs / onePct, gwPct: gwMs / onePct, busyPct: busyMs / onePct,
    otherPct: Math.max(0, (busyMs - genMs - upMs - gwMs) / onePct),
  };
}

/**
 * mixroute with `workers: 1` and with `workers: 2`, started fresh (own data_dir each), unpinned, and the fake upstream
 * directly, driven in interleaved rounds. This process and the upstream are unpinned for it and pinned back after.
 */
async function runScaling({ up, upOrigin, mixConfigText, noise, otherPids }) {
  const tStart = Date.now();
  const unpinned = PIN ? setAffinity(process.pid, ALL_CPUS) && setAffinity(up.pid, ALL_CPUS) : false;
  log(`bench: scaling — mixroute with workers: 1 and workers: 2, not pinned${PIN ? `; this process and the fake upstream ${unpinned ? 'unpinned' : 'could NOT be unpinned'} for it` : ''}`);
  const direct = { key: 'direct-u', label: 'direct', origin: upOrigin, pid: null, workers: 0, served: 0 };
  const targets = [];
  let { spentMs, reruns, waitedMs } = noise;
  try {
    for (const n of [1, 2]) {
      const dir = `${dataDir}-workers-${n}`;
      scalingDirs.push(dir);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const port = await freePort();
      const cfg = path.join(dir, 'mixroute-bench.yaml');
      const cfgText = mixConfigText({ port, dir, workers: n });
      writeFileSync(cfg, cfgText);
      // Explicitly on every CPU: a child inherits this process's affinity, which is CPU 1 outside this section.
      const info = startChild(`mixroute-workers-${n}`, [DIST_CLI, 'serve', '--config', cfg], { cpu: PIN ? ALL_CPUS : undefined });
      targets.push({ key: `w${n}`, label: `workers=${n}`, workers: n, origin: `http://127.0.0.1:${port}`, pid: info.pid, info, dir, cfgText, served: 0, billing: BILLING ? '' : 'off' });
    }
    for (const t of targets) {
      await waitHealthy(`${t.origin}/health`, t.info);
      // /health answers once one worker listens; wait until the primary has forked all of them.
      const deadline = Date.now() + 30_000;
      while (t.workers > 1 && childPids(t.pid).length < t.workers && Date.now() < deadline) await sleep(100);
      t.info.workerPids = t.workers > 1 ? childPids(t.pid) : [];
      if (t.workers > 1 && t.info.workerPids.length !== t.workers) throw new Error(`${t.label}: expected ${t.workers} worker processes under pid ${t.pid}, found ${t.info.workerPids.length}`);
      if (BILLING) {
        const cfg = path.join(t.dir, 'mixroute-bench.yaml');
        const r = spawnSync(process.execPath, [DIST_CLI, 'users', 'credit', 'bench', String(BENCH_CREDIT_USD), '--config', cfg], { cwd: ROOT, env: childEnv({}), encoding: 'utf8' });
        t.billing = r.status === 0 ? 'on' : `balance NOT credited (exit ${r.status})`;
      }
    }
    // Sanity, then warm-up (JIT in every worker: round-robin spreads the connections), not measured.
    for (const t of [direct, ...targets]) {
      const r = await fetch(t.origin + '/v1/messages', { method: 'POST', headers: HEADERS, body: anthropicBody({}) });
      const j = await r.json();
      if (r.status !== 200 || j.type !== 'message') throw new Error(`scaling ${t.label}: ${r.status} ${JSON.stringify(j).slice(0, 300)}`);
      t.served++;
      for (const connections of SCALE_CONNECTIONS) t.served += (await acRun({ origin: t.origin, body: anthropicBody({}), connections, duration: QUICK ? 0.5 : 1.5 })).ok;
    }
    await sleep(1000);
    const ours = () => [up.pid, ...otherPids, ...targets.flatMap((t) => [t.pid, ...(t.info.workerPids ?? [])])];
    const all = [direct, ...targets];
    for (let round = 0; round < P.rounds; round++) {
      for (;;) {
        const fl = foreignLoad(ours);
        await sleep(1000);
        const load = fl();
        if (load <= FOREIGN_MAX || spentMs + 1000 > NOISE_BUDGET_MS) break;
        if (waitedMs % 10_000 === 0) log(`  waiting for a quieter machine: other processes use ${f(load, 0)}% of a CPU`);
        spentMs += 1000; waitedMs += 1000;
      }
      for (const connections of SCALE_CONNECTIONS) {
        const cid = `scale-c${connections}`;
        const order = all.map((_, i) => all[(i + round) % all.length]);
        for (const t of order) {
          let r; let foreign; let attempt = 0;
          for (;;) {
            const fl = foreignLoad(ours);
            const p0 = performance.now();
            r = await scalePhase(t, { connections, upPid: up.pid });
            foreign = fl();
            r.phaseMs = performance.now() - p0;
            t.served += r.ok;
            if (foreign <= FOREIGN_MAX || attempt >= 2 || reruns >= MAX_RERUNS || spentMs + r.phaseMs > NOISE_BUDGET_MS) break;
            attempt++; reruns++; spentMs += r.phaseMs + 1000;
            log(`  round ${round + 1}/${P.rounds} ${cid.padEnd(15)} ${t.label.padEnd(9)} other processes used ${f(foreign, 0)}% of a CPU; re-running the phase`);
            await sleep(1000);
          }
          results.push({ case: cid, target: t.key, round, foreign, attempts: attempt + 1, ...r });
          const bits = [`${f(r.rps, 0)} rps`, `p50 ${f(r.p50, 3)} p99 ${f(r.p99, 3)} ms`];
          if (t.pid) bits.push(`cpu ${f(r.cpuPerReq, 3)} ms/req over ${r.processes} process(es)`);
          if (r.workerShares) bits.push(`workers' CPU split ${r.workerShares.map((s) => f(100 * s, 0) + '%').join('/')}`);
          bits.push(`machine: gen+upstream ${f(r.genPct + r.upPct, 0)}%, gateway ${f(r.gwPct, 0)}%, other ${f(r.otherPct, 0)}%`);
          if (r.bad) bits.push(`FAILED ${r.bad}`);
          if (r.lostProcesses) bits.push(`${r.lostProcesses} process(es) exited during the phase`);
          bits.push(`others ${f(foreign, 0)}%`);
          log(`  round ${round + 1}/${P.rounds} ${cid.padEnd(15)} ${t.label.padEnd(9)} ${bits.join(', ')}`);
          await sleep(100);
        }
      }
    }
  } finally {
    for (const t of targets) {
      const workers = childPids(t.pid);
      await stopChild(t.info, 15_000);
      for (const w of workers) { try { process.kill(w, 0); process.kill(w, 'SIGKILL'); log(`bench: ${t.label} worker ${w} outlived its primary; killed`); } catch { /* gone, as it should be */ } }
      t.info.workerPids = [];
    }
    if (unpinned) { setAffinity(process.pid, '1'); setAffinity(up.pid, '1'); }
  }
  const out = [];
  for (const t of targets) {
    const exit = await t.info.exitPromise;
    const journals = readdirSync(t.dir).filter((x) => x.includes('journal')).map((x) => ({ file: x, bytes: statSync(path.join(t.dir, x)).size })).filter((x) => x.bytes > 0);
    out.push({ key: t.key, label: t.label, workers: t.workers, command: t.info.command, cfgText: t.cfgText, served: t.served, billing: t.billing, exit, ledger: countLedger(path.join(t.dir, 'mixroute.db')), journalsLeft: journals });
    rmSync(t.dir, { recursive: true, force: true });
  }
  return { seconds: (Date.now() - tStart) / 1000, unpinned: PIN ? unpinned : null, targets: out, directServed: direct.served, noise: { spentMs, reruns, waitedMs } };
}

// ---------------------------------------------------------------- cpu profile parsing
/** Self time per function and per module, for the samples whose time since the profile started (ms) is inside window. */
function summarizeProfile(file, window = [0, Infinity], top = 15) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map(); // node id -> µs
  const { samples, timeDeltas } = prof;
  let t = 0; // µs since prof.startTime
  for (let i = 0; i < samples.length; i++) {
    t += timeDeltas[i];
    if (t / 1000 < window[0] || t / 1000 > window[1]) continue;
    const dt = timeDeltas[i + 1] ?? 0; // the time until the next sample belongs to this one
    self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
  }
  const fn = new Map(); const mod = new Map();
  let all = 0; let idle = 0;
  const short = (url) => {
    if (!url) return '(native/V8)';
    const u = url.replace(/^file:\/\//, '');
    const nm = u.lastIndexOf('node_modules/');
    if (nm !== -1) { const rest = u.slice(nm + 13).split('/'); return 'node_modules/' + (rest[0].startsWith('@') ? rest.slice(0, 2).join('/') : rest[0]) + '/' + rest.at(-1); }
    if (u.startsWith(ROOT)) return path.relative(ROOT, u);
    return u;
  };
  const modOf = (url) => {
    if (!url) return '(native / V8 builtins)';
    const u = url.replace(/^file:\/\//, '');
    const nm = u.lastIndexOf('node_modules/');
    if (nm !== -1) { const rest = u.slice(nm + 13).split('/'); return 'node_modules/' + (rest[0].startsWith('@') ? rest.slice(0, 2).join('/') : rest[0]); }
    if (u.startsWith('node:')) return 'node core (' + u.split('/').slice(0, 2).join('/').replace('node:internal', 'internal') + ')';
    if (u.startsWith(ROOT)) return 'mixroute ' + path.relative(ROOT, u).split('/').slice(0, 2).join('/');
    return u;
  };
  for (const [id, us] of self) {
    const n = byId.get(id); const cf = n.callFrame;
    all += us;
    if (cf.functionName === '(idle)') { idle += us; continue; }
    const name = cf.functionName || '(anonymous)';
    const k = `${name} ${short(cf.url)}${cf.url ? ':' + (cf.lineNumber + 1) : ''}`;
    fn.set(k, (fn.get(k) ?? 0) + us);
    const mk = name.startsWith('(') && !cf.url ? name : modOf(cf.url);
    mod.set(mk, (mod.get(mk) ?? 0) + us);
  }
  // Storage time (kysely + better-sqlite3, self time anywhere below them) by the nearest mixroute frame that called it.
  const parent = new Map(); for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const isStorage = (url) => /node_modules\/(kysely|better-sqlite3)\//.test(url);
  const distPrefix = 'file://' + path.join(ROOT, 'dist') + '/';
  const callerOf = new Map();
  const storageCaller = (id) => {
    if (callerOf.has(id)) return callerOf.get(id);
    let key = null; let inStorage = false;
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur).callFrame;
      if (isStorage(cf.url)) inStorage = true;
      else if (inStorage && cf.url.startsWith(distPrefix)) { key = `${cf.functionName || '(anonymous)'} ${cf.url.slice(distPrefix.length - 5)}:${cf.lineNumber + 1}`; break; }
    }
    if (inStorage && !key) key = '(caller not on the stack: after an await)';
    callerOf.set(id, key);
    return key;
  };
  const storage = new Map(); let storageUs = 0;
  for (const [id, us] of self) {
    const k = storageCaller(id);
    if (k) { storage.set(k, (storage.get(k) ?? 0) + us); storageUs += us; }
  }
  const busy = all - idle;
  const rank = (m, n = top) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => ({ name: k, ms: us / 1000, pct: (100 * us) / busy }));
  return { busyMs: busy / 1000, idleMs: idle / 1000, functions: rank(fn), modules: rank(mod), storageMs: storageUs / 1000, storagePct: (100 * storageUs) / busy, storageCallers: rank(storage, 8) };
}

// ================================================================= main
async function main() {
  rmSync(OUT_DIR, { recursive: true, force: true, maxRetries: 2 });
  mkdirSync(OUT_DIR, { recursive: true });
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const [upPort, barePort, mixPort] = [await freePort(), await freePort(), await freePort()];
  const upOrigin = `http://127.0.0.1:${upPort}`;
  const cfgPath = path.join(dataDir, 'mixroute-bench.yaml');
  // The one configuration of every mixroute started here; the scaling section changes only port, data_dir and workers.
  const mixConfigText = ({ port, dir, workers }) => [
    `server: { host: 127.0.0.1, port: ${port}, data_dir: ${dir}, log_level: warn${workers !== undefined ? `, workers: ${workers}` : ''}${opt('--ledger-flush-ms') ? `, ledger_flush_interval_ms: ${Number(opt('--ledger-flush-ms'))}` : ''} }`,
    'channels:',
    `  - { name: a, type: anthropic, base_url: ${upOrigin}, api_key: k, models: ["claude-*"] }`,
    `  - { name: o, type: openai, base_url: ${upOrigin}/v1, api_key: k, models: ["gpt-*"] }`,
    ...(BILLING
      ? [
          // Rate limits (in memory) and a prepaid balance are on, set far above what the run uses, so every request
          // takes the limiter and the reserve → settle path without ever being refused.
          'keys:',
          `  - { name: bench, key: ${KEY}, user: bench, limits: { requests_per_minute: 1000000000, tokens_per_minute: 1000000000000, concurrent_requests: 100000 } }`,
          `  - { name: bench-plain, key: ${KEY_PLAIN} }   # for the "no limits, no balance" comparison`,
          'prices: [ { model: "gpt-*", input: "0.15", output: "0.60" } ]   # the translated path\'s model needs a price for a billed user',
        ]
      : [`keys: [ { name: bench, key: ${KEY} } ]`]),
    '',
  ].join('\n');
  const cfgText = mixConfigText({ port: mixPort, dir: dataDir });
  writeFileSync(cfgPath, cfgText);

  log(`bench: ${MODE} run, ${P.rounds} round(s), ${P.duration} s per load phase; ${PIN ? 'gateways pinned to CPU 0, upstream + load generator to CPU 1' : 'NOT pinned (taskset missing or < 2 CPUs)'}`);
  const up = startChild('fake-upstream', [path.join(BENCH, 'fake-upstream.mjs')], { cpu: 1, env: { PORT: String(upPort), HOST: '127.0.0.1' } });
  const bare = startChild('ref-proxy', [path.join(BENCH, 'ref-proxy.mjs')], { cpu: 0, env: { PORT: String(barePort), UPSTREAM: upOrigin } });
  const mixArgs = (extra = []) => [...MIX_NODE_FLAGS, ...extra, DIST_CLI, 'serve', '--config', cfgPath];
  let mix = startChild('mixroute', mixArgs(), { cpu: 0 });
  await waitHealthy(`${upOrigin}/health`, up);
  await waitHealthy(`http://127.0.0.1:${barePort}/health`, bare);
  await waitHealthy(`http://127.0.0.1:${mixPort}/health`, mix);
  let billing = 'off (--no-billing)';
  if (BILLING) {
    // users credit needs the user, which the server creates from the configuration at start.
    const r = spawnSync(process.execPath, [DIST_CLI, 'users', 'credit', 'bench', String(BENCH_CREDIT_USD), '--config', cfgPath], { cwd: ROOT, env: childEnv({}), encoding: 'utf8' });
    billing = r.status === 0 ? `on: key rate limits (memory) and a prepaid balance of $${BENCH_CREDIT_USD.toLocaleString('en-US')} for its user (\`mixroute users credit bench ${BENCH_CREDIT_USD}\`), reserved from balance leases (\`server.balance_leases\`, the default)` : `**balance NOT credited** (\`users credit\` exited ${r.status}: ${(r.stderr || r.stdout).trim().slice(0, 200)}); key rate limits on`;
    log(`bench: billing ${billing}`);
  }
  await sleep(2000);
  const rssAtStart = { mix: status(mix.pid).rssMiB, bare: status(bare.pid).rssMiB, up: status(up.pid).rssMiB };

  const T = {
    direct: { key: 'direct', label: 'direct', origin: upOrigin, pid: null },
    bare: { key: 'bare', label: 'bare pipe', origin: `http://127.0.0.1:${barePort}`, pid: bare.pid },
    mix: { key: 'mix', label: 'mixroute', origin: `http://127.0.0.1:${mixPort}`, pid: mix.pid },
  };
  // mixroute again, sent requests for the OpenAI channel (see xlat-stream-200).
  T.mixXlat = { ...T.mix, key: 'mixXlat', label: 'mixroute translated' };
  // mixroute again, called as an OpenAI client would for the Anthropic channel (see xlat-openai-stream-200).
  T.mixXlatOpenAI = { ...T.mix, key: 'mixXlatOpenAI', label: 'mixroute translated for an OpenAI client' };

  // Sanity: every path answers 200 with the expected shape before anything is measured.
  for (const t of [T.direct, T.bare, T.mix]) {
    for (const model of t === T.mix ? [MODEL_A, MODEL_O] : [MODEL_A]) {
      const r = await fetch(t.origin + '/v1/messages', { method: 'POST', headers: HEADERS, body: anthropicBody({ model }) });
      const j = await r.json();
      if (r.status !== 200 || j.type !== 'message') throw new Error(`${t.label} ${model}: ${r.status} ${JSON.stringify(j).slice(0, 300)}`);
      const pool = new Pool(t.origin);
      const s = await streamOnce(pool, anthropicBody({ model, stream: true, deltas: 5 }));
      await pool.close();
      if (!s.ok) throw new Error(`${t.label} ${model}: stream did not end with message_stop`);
    }
  }
  const cases = defineCases(T);
  const SCALING = !ONLY || ONLY.has('scaling');
  // Warm-up (JIT, pools), not measured; not needed when only the scaling section runs (it warms its own targets).
  if (cases.length) log('bench: warm-up');
  for (const t of cases.length ? [T.bare, T.mix, T.direct] : []) {
    await acRun({ origin: t.origin, body: anthropicBody({}), connections: 16, duration: QUICK ? 0.5 : 2 });
    await acRun({ origin: t.origin, body: anthropicBody({ stream: true, deltas: 200 }), connections: 16, duration: 0.5 });
    await acRun({ origin: t.origin, body: anthropicBody({ text: PROMPT_64K }), connections: 4, duration: 0.5 });
  }
  if (cases.length) {
    await acRun({ origin: T.mix.origin, body: anthropicBody({ model: MODEL_O, stream: true, deltas: 200 }), connections: 16, duration: 0.5 });
    await acRun({ origin: T.mix.origin, body: anthropicBody({ model: MODEL_O }), connections: 16, duration: 0.5 });
    await sleep(2000);
  }
  const rssIdle = { mix: status(mix.pid).rssMiB, bare: status(bare.pid).rssMiB };
  log(`bench: idle RSS after warm-up: mixroute ${f(rssIdle.mix, 1)} MiB, bare pipe ${f(rssIdle.bare, 1)} MiB`);

  const tStart = Date.now();
  const loadStart = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  let reruns = 0; let noiseSpentMs = 0; let waitedMs = 0;
  for (let round = 0; round < (cases.length ? P.rounds : 0); round++) {
    // Before a round: wait (within the noise budget) until other processes are quiet for a second.
    for (;;) {
      const fl = foreignLoad(() => [up.pid, bare.pid, mix.pid]);
      await sleep(1000);
      const load = fl();
      if (load <= FOREIGN_MAX || noiseSpentMs + 1000 > NOISE_BUDGET_MS) break;
      if (waitedMs % 10_000 === 0) log(`  waiting for a quieter machine: other processes use ${f(load, 0)}% of a CPU`);
      noiseSpentMs += 1000; waitedMs += 1000;
    }
    for (const c of cases) {
      const order = c.targets.map((_, i) => c.targets[(i + round) % c.targets.length]);
      // A closed-loop case with several targets runs them in alternating slices (runSlicedCase); re-run as a whole.
      const sliced = c.closed && c.targets.length > 1 && P.slices > 1;
      const phases = sliced ? [order] : order.map((t) => [t]);
      for (const group of phases) {
        let records; let foreign; let attempt = 0;
        for (;;) {
          const fl = foreignLoad(() => [up.pid, bare.pid, mix.pid]);
          const p0 = performance.now();
          records = sliced ? await runSlicedCase(c, group) : [await c.run(group[0])];
          foreign = fl();
          const phaseMs = performance.now() - p0;
          for (const r of records) r.phaseMs = phaseMs / records.length;
          if (foreign <= FOREIGN_MAX || attempt >= 2 || reruns >= MAX_RERUNS || noiseSpentMs + phaseMs > NOISE_BUDGET_MS) break;
          attempt++; reruns++; noiseSpentMs += phaseMs + 1000;
          log(`  round ${round + 1}/${P.rounds} ${c.id.padEnd(15)} ${sliced ? 'all'.padEnd(9) : group[0].label.padEnd(9)} other processes used ${f(foreign, 0)}% of a CPU; re-running the ${sliced ? 'slices' : 'phase'}`);
          await sleep(1000);
        }
        for (const [i, t] of group.entries()) logPhase(round, c, t, records[i], foreign, attempt);
        await sleep(100);
      }
    }
  }
  /** Records and logs one target's phase of a round. */
  function logPhase(round, c, t, r, foreign, attempt) {
    results.push({ case: c.id, target: t.key, round, foreign, attempts: attempt + 1, ...r });
    const bits = [];
    if (r.rps !== undefined) bits.push(`${f(r.rps, 0)} rps`, `p50 ${f(r.p50, 3)} p99 ${f(r.p99, 3)} ms`);
    if (r.ttfbP50 !== undefined) bits.push(`ttfb p50 ${f(r.ttfbP50, 3)} total p50 ${f(r.totalP50, 1)} ms`);
    if (Number.isFinite(r.cpuPerReq)) bits.push(`cpu ${f(r.cpuPerReq, 3)} ms/req`);
    if (Number.isFinite(r.cpuPerDeltaUs)) bits.push(`${f(r.cpuPerDeltaUs, 2)} µs/delta`);
    if (r.rssPeak) bits.push(`rss peak ${f(r.rssPeak, 0)} MiB`);
    if (r.maxInflight) bits.push(`max in flight ${r.maxInflight}`, `${f(r.chunksPerStream, 0)} chunks/stream`);
    if (r.bad) bits.push(`FAILED ${r.bad}`);
    bits.push(`others ${f(foreign, 0)}%`);
    log(`  round ${round + 1}/${P.rounds} ${c.id.padEnd(15)} ${t.label.padEnd(9)} ${bits.join(', ')}`);
  }
  const measureSeconds = (Date.now() - tStart) / 1000;
  await sleep(2500);
  const rssAfter = { mix: status(mix.pid).rssMiB, mixHwm: status(mix.pid).hwmMiB, bare: status(bare.pid).rssMiB, bareHwm: status(bare.pid).hwmMiB };

  // ------------------------------------------------ aggregate
  const R = (cid, tk) => results.filter((r) => r.case === cid && r.target === tk);
  const med = (cid, tk, k) => median(R(cid, tk).map((r) => r[k]));
  // Per-round values paired within a round (the medians of these are reported).
  const pairedVals = (cid, tk, base, fnc) => R(cid, tk).map((r) => { const b = results.find((x) => x.case === base.case && x.target === base.target && x.round === r.round); return b ? fnc(r, b) : NaN; });
  const paired = (...a) => median(pairedVals(...a));
  const addedVals = (cid, tk, k) => pairedVals(cid, tk, { case: cid, target: 'direct' }, (r, b) => r[k] - b[k]);
  const added = (...a) => median(addedVals(...a));
  const relRps = (cid, tk) => paired(cid, tk, { case: cid, target: 'direct' }, (r, b) => r.rps / b.rps);
  const cpuRatioVals = (cid, k = 'cpuPerReq') => pairedVals(cid, 'mix', { case: cid, target: 'bare' }, (r, b) => r[k] / b[k]);
  const cpuRatio = (...a) => median(cpuRatioVals(...a));
  const failures = results.reduce((s, r) => s + (r.bad || 0), 0);
  const has = (cid) => results.some((r) => r.case === cid);

  // ------------------------------------------------ budget
  const budget = [];
  // A budget line: the median of the per-round values against the limit; the per-round range shows how steady it was.
  const line = (name, vals, limit, unit, fmt = (x) => f(x, 2)) => {
    const v = vals.filter(Number.isFinite); const value = median(v);
    budget.push({ name, value, vals: v, limit, unit, text: `${fmt(value)}${unit}`, range: v.length > 1 ? `${fmt(Math.min(...v))} – ${fmt(Math.max(...v))}` : '–', limitText: `≤ ${fmt(limit)}${unit}`, pass: Number.isFinite(value) ? value <= limit : null });
  };
  // An information line: shown beside the budget lines against the same limit, but not a verdict.
  const info = (...a) => { line(...a); const b = budget.at(-1); b.info = true; b.pass = null; };
  const marginalUs = (tk) => pairedVals('stream-2000', tk, { case: 'stream-200', target: tk }, (r, b) => perAddedDeltaUs(r.cpuPerReq, b.cpuPerReq));
  const marginalRatioVals = () => {
    const mixVals = marginalUs('mix'); const bareVals = marginalUs('bare');
    return R('stream-2000', 'mix').map((r, i) => { const b = R('stream-2000', 'bare').findIndex((x) => x.round === r.round); return b < 0 ? NaN : mixVals[i] / bareVals[b]; });
  };
  for (const c of ['small-c1', 'small-c16', 'small-c64']) if (has(c)) line(`Passthrough CPU/request vs bare pipe (${c})`, cpuRatioVals(c), 2, '×');
  if (has('small-c1')) line('Passthrough added p50, 1 connection', addedVals('small-c1', 'mix', 'p50'), 0.3, ' ms', (x) => f(x, 3));
  if (has('small-c16-rate')) line(`Passthrough added p99, 16 connections (open loop, ${PACED_RATE} requests/s)`, addedVals('small-c16-rate', 'mix', 'p99'), 2, ' ms', (x) => f(x, 3));
  // Information: the same p99 taken against the bare pipe's instead of the direct call's (paired per round), so that
  // what the machine adds to any proxy on CPU 0 (the floor, which alone can miss the line) is not counted as mixroute's.
  if (has('small-c16-rate')) info(`Passthrough p99 over the bare pipe's, 16 connections (open loop, ${PACED_RATE} requests/s)`, pairedVals('small-c16-rate', 'mix', { case: 'small-c16-rate', target: 'bare' }, (r, b) => r.p99 - b.p99), 2, ' ms', (x) => f(x, 3));
  // Closed loop, the gateway saturated: its added latency is queueing behind its own CPU per request (kept for comparison).
  if (has('small-c16')) line('Passthrough added p99, 16 connections (closed loop, saturated)', addedVals('small-c16', 'mix', 'p99'), 2, ' ms', (x) => f(x, 3));
  if (has('prompt-64k')) line('64 KB prompt CPU/request vs bare pipe', cpuRatioVals('prompt-64k'), 3, '×');
  if (has('ttfb-200')) line('Stream added time to first byte (one 200-delta stream)', addedVals('ttfb-200', 'mix', 'ttfbP50'), 1, ' ms', (x) => f(x, 3));
  if (has('stream-200')) line('Stream CPU/delta vs bare pipe (200 deltas, unpaced)', cpuRatioVals('stream-200', 'cpuPerDeltaUs'), 1.2, '×');
  if (has('paced-64')) line(`Stream CPU/delta vs bare pipe (${P.paced64.conc} paced streams)`, cpuRatioVals('paced-64', 'cpuPerDeltaUs'), 1.2, '×');
  // Information: the unpaced line above divides a whole request's CPU by its deltas, so it is mostly the per-request
  // cost; this one is the CPU of each delta beyond the 200th, (stream-2000 − stream-200) / 1800, paired within a round.
  if (has('stream-200') && has('stream-2000')) info('Stream CPU per added delta vs bare pipe (unpaced; (2000-delta − 200-delta stream) / 1800)', marginalRatioVals(), 1.2, '×');
  const xlatRatioVals = (xc, pc) => pairedVals(xc, 'mix', { case: pc, target: 'mix' }, (r, b) => r.cpuPerDeltaUs / b.cpuPerDeltaUs);
  const xlatRatio = (...a) => median(xlatRatioVals(...a));
  if (has('xlat-stream-200')) line('Translated CPU/delta vs passthrough (200 deltas, unpaced, measured side by side)', sideBySideRatioVals('xlat-stream-200', 'mixXlat'), 2, '×');
  if (has('xlat-paced-64') && has('paced-64')) line(`Translated CPU/delta vs passthrough (${P.paced64.conc} paced streams)`, xlatRatioVals('xlat-paced-64', 'paced-64'), 2, '×');
  if (has('xlat-openai-stream-200')) info('Translated CPU/delta vs passthrough, OpenAI client on the Anthropic channel (200 deltas, unpaced, measured side by side)', sideBySideRatioVals('xlat-openai-stream-200', 'mixXlatOpenAI'), 2, '×');
  line('Idle RSS (2 s after start)', [rssAtStart.mix], 90, ' MiB', (x) => f(x, 1));
  if (has('paced-1000')) line(`RSS with ${P.paced1000.conc} concurrent paced streams (peak)`, R('paced-1000', 'mix').map((r) => r.rssPeak), 300, ' MiB', (x) => f(x, 1));
  const misses = budget.filter((b) => b.pass === false);

  // ------------------------------------------------ profile on a miss (or --profile)
  let profile = null;
  const wantProfile = !flag('--no-profile') && (flag('--profile') || misses.length > 0);
  await stopChild(mix);
  const ledger = countLedger(path.join(dataDir, 'mixroute.db'));
  const balance = userBalance(cfgPath);
  if (wantProfile) {
    // One profiled mixroute, several load segments; each segment's samples are picked out of the profile by time.
    const segments = [{ id: 'small-c16', title: 'small JSON, 16 connections', body: anthropicBody({}), per: 'request' }];
    const missed = (re) => misses.some((b) => re.test(b.name));
    const more = !QUICK || flag('--profile'); // a quick run profiles the small-request segment only
    if (more && (flag('--profile') || missed(/Stream|stream/))) segments.push({ id: 'stream-200', title: 'stream of 200 deltas, unpaced, 16 connections', body: anthropicBody({ stream: true, deltas: 200 }), per: 'delta' });
    // What each further delta costs: profiled beside stream-200 when a run measured the 2,000-delta case and asked for a profile.
    if (more && flag('--profile') && has('stream-2000')) segments.push({ id: 'stream-2000', title: 'stream of 2000 deltas, unpaced, 16 connections', body: anthropicBody({ stream: true, deltas: 2000 }), per: 'delta', deltas: 2000 });
    if (more && (flag('--profile') || missed(/Translated/))) segments.push({ id: 'xlat-stream-200', title: 'translated stream of 200 deltas, unpaced, 16 connections', body: anthropicBody({ model: MODEL_O, stream: true, deltas: 200 }), per: 'delta' });
    log(`bench: ${misses.length ? `${misses.length} budget line(s) missed; ` : ''}profiling mixroute (--cpu-prof) under ${segments.map((g) => g.id).join(', ')}, ${P.profileSeconds} s each`);
    const profDir = path.join(OUT_DIR, 'profile');
    mkdirSync(profDir, { recursive: true });
    const tSpawn = performance.now();
    mix = startChild('mixroute-profile', mixArgs(['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-interval', '500']), { cpu: 0 });
    await waitHealthy(`http://127.0.0.1:${mixPort}/health`, mix);
    for (const g of segments) {
      await acRun({ origin: T.mix.origin, body: g.body, connections: 16, duration: 1 }); // warm-up, not counted
      const c0 = cpuMs(mix.pid);
      const w0 = performance.now() - tSpawn;
      const r = await acRun({ origin: T.mix.origin, body: g.body, connections: 16, duration: P.profileSeconds });
      g.window = [w0 + 100, performance.now() - tSpawn - 100];
      await sleep(SETTLE_MS);
      g.cpuMs = cpuMs(mix.pid) - c0;
      g.requests = r.ok;
      g.rps = (r.ok / r.elapsedMs) * 1000;
    }
    await stopChild(mix);
    const file = readdirSync(profDir).filter((x) => x.endsWith('.cpuprofile')).map((x) => path.join(profDir, x))[0];
    if (file) profile = { file: path.relative(ROOT, file), segments: segments.map(({ body, ...g }) => ({ ...g, ...summarizeProfile(file, g.window) })) };
    else log('bench: no .cpuprofile written (did mixroute exit cleanly?)');
  }

  // ------------------------------------------------ several workers (node:cluster), unpinned; last, so no pinned case is disturbed
  let scaling = null;
  if (SCALING) {
    scaling = await runScaling({ up, upOrigin, mixConfigText, noise: { spentMs: noiseSpentMs, reruns, waitedMs }, otherPids: [bare.pid] });
    ({ spentMs: noiseSpentMs, reruns, waitedMs } = scaling.noise);
  }

  await stopChild(bare);
  await stopChild(up);
  rmSync(dataDir, { recursive: true, force: true });

  // ------------------------------------------------ report
  const env = {
    date: new Date().toISOString(),
    cpus: `${ncpu} (nproc ${nprocText})`,
    cpuModel,
    memTotalMiB,
    kernel: os.release(),
    node: process.version,
    commit: `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src') ? ' (src has uncommitted changes)' : ''}`,
    dist: distInfo(),
    deps: Object.keys(rootPkg.dependencies).map((d) => `${d} ${pkgVersion(d)}`).join(', '),
    tools: `autocannon ${pkgVersion('autocannon')} (load, programmatic), undici ${pkgVersion('undici')} (stream client), taskset ${hasTaskset ? 'yes' : 'MISSING'}`,
    pinned: PIN,
  };
  const md = report({ env, T, cfgText, commands: [up, bare, children.find((c) => c.name === 'mixroute')].map((c) => c.command), rssAtStart, rssIdle, rssAfter, budget, profile, med, added, relRps, cpuRatio, xlatRatio, has, failures, ledger, measureSeconds, reruns, waitedMs, billing, balance, scaling, loadavg: { start: loadStart, end: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') } });
  mkdirSync(path.dirname(OUT_FILE), { recursive: true });
  writeFileSync(OUT_FILE, md);
  writeFileSync(path.join(OUT_DIR, 'results.json'), JSON.stringify({ params: P, env, rssAtStart, rssIdle, rssAfter, budget, profile, ledger, scaling, results }, null, 2));
  process.stdout.write('\n' + md.slice(md.indexOf('## Results')) + '\n');
  log(`bench: wrote ${path.relative(ROOT, OUT_FILE)} (raw: ${path.relative(ROOT, path.join(OUT_DIR, 'results.json'))}); measuring took ${f(measureSeconds, 0)} s`);
  if (failures) log(`bench: WARNING ${failures} failed requests/streams during measurement`);
}

// When dist/ was last built: tsc (incremental) rewrites only the outputs that changed, but its build info at every
// build that had something to do. Test files are not built, so they do not count.
function distInfo() {
  const newest = (dir) => { let m = 0; for (const e of readdirSync(dir, { withFileTypes: true })) { const p = path.join(dir, e.name); m = Math.max(m, e.isDirectory() ? newest(p) : e.name.endsWith('.test.ts') ? 0 : statSync(p).mtimeMs); } return m; };
  try {
    const built = statSync(path.join(ROOT, 'dist', '.tsbuildinfo')).mtimeMs; const src = newest(path.join(ROOT, 'src'));
    return `dist/ built ${new Date(built).toISOString()} (dist/.tsbuildinfo)${src > built ? `; a source file in src/ changed later, at ${new Date(src).toISOString()}` : ', after the last change to a source file in src/'}`;
  } catch { return 'dist build time unknown'; }
}

/** Every nano-USD credited is in the balance or in the ledger's costs once mixroute has stopped (its leases given back). */
function moneyCheckText(ledger) {
  if (!BILLING || ledger.error || ledger.balance === null || ledger.balance === undefined) return '';
  const credited = BENCH_CREDIT_USD * 1e9;
  const total = Number(ledger.balance) + Number(ledger.cost ?? 0);
  return `; money: stored balance ${(Number(ledger.balance) / 1e9).toFixed(9)} + the bench user's ledger costs ${(Number(ledger.cost ?? 0) / 1e9).toFixed(9)} = ${(total / 1e9).toFixed(9)} USD, ${total === credited ? 'exactly what was credited' : `**not the ${(credited / 1e9).toFixed(0)} USD credited**`}, balance leases left: ${ledger.leases}`;
}

function userBalance(cfgPath) {
  const r = spawnSync(process.execPath, [DIST_CLI, 'users', 'list', '--config', cfgPath], { cwd: ROOT, env: childEnv({}), encoding: 'utf8' });
  return r.status === 0 ? (r.stdout.split('\n').find((l) => /^bench\s/.test(l)) ?? '').replace(/\s+/g, ' ').trim() : '';
}

function countLedger(dbFile) {
  try {
    const Database = require(path.join(ROOT, 'node_modules', 'better-sqlite3'));
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    const rows = db.prepare("select count(*) as n, sum(case when status = 200 then 1 else 0 end) as ok, sum(case when outcome = 'ok' then 1 else 0 end) as outcome_ok, (select sum(l.cost_nano_usd) from ledger l join users u on u.id = l.user_id where u.name = 'bench') as cost, (select balance_nano_usd from users where name = 'bench') as balance, (select count(*) from balance_leases) as leases from ledger").get();
    db.close();
    return rows;
  } catch (e) {
    return { error: String(e.message ?? e) };
  }
}

function report(x) {
  const { env, T, med, added, relRps, cpuRatio, xlatRatio, has } = x;
  const L = [];
  const p64 = P.paced64; const p1k = P.paced1000;
  L.push('# mixroute benchmark results', '');
  L.push(`Generated by \`node bench/run.mjs${QUICK ? ' --quick' : ''}\` on ${env.date}. ${QUICK ? '**Quick smoke run (1 round): indicative only.**' : `Full run: ${P.rounds} interleaved rounds, medians.`}`, '');
  L.push('## Machine and versions', '');
  L.push(`- CPUs: ${env.cpus}, model name: ${env.cpuModel}; memory ${env.memTotalMiB} MiB; kernel ${env.kernel}`);
  L.push(`- Node ${env.node}; mixroute ${rootPkg.version} at commit ${env.commit}, run from \`dist/\` (${env.dist})`);
  L.push(`- mixroute dependencies: ${env.deps}`);
  L.push(`- Tools: ${env.tools}`);
  L.push(`- Pinning: ${env.pinned ? 'mixroute and the bare pipe on CPU 0 (`taskset -c 0`), fake upstream and the load generator (this process, `taskset -a -cp 1`) on CPU 1' : '**none** — taskset missing or fewer than 2 CPUs; CPU figures are still per process but latencies are noisier'}`);
  L.push('');
  L.push('## How it was run', '');
  L.push('```sh', `npm run bench${QUICK ? ' -- --quick' : ''}        # = node bench/run.mjs${QUICK ? ' --quick' : ''}; builds dist/ first if missing (--build forces)`, '```', '');
  L.push('Child processes (ports chosen free at start, 127.0.0.1 only):', '', '```sh', ...x.commands, '```', '');
  L.push(`mixroute configuration (auth, usage tap, pricing, journal and batched SQLite ledger on; billing ${x.billing}):`, '', '```yaml', x.cfgText.trim(), '```', '');
  L.push(`Method: ${P.rounds} round(s); in each round every case runs against each target in an order rotated per round (direct → fake upstream; bare pipe → \`bench/ref-proxy.mjs\`; mixroute). Non-streaming and unpaced-stream load: autocannon, closed loop, ${P.duration} s per target and round, latencies taken per response (µs resolution)${P.slices > 1 ? `, run as ${P.slices} slices of ${f(P.duration / P.slices, 2)} s per target with the targets alternating (order rotated every slice) and merged per target, so that the machine's swings fall on every target of a round alike (the cases with one target, and the others below, run one phase per target)` : ''}; the open-loop case (\`small-c16-rate\`) sends ${PACED_RATE} requests/s for ${P.duration} s after an unmeasured 0.5 s lead-in at the same rate, request i at start + i/rate on connection i mod 16 of 16 undici clients, whatever the earlier answers did, latency from the send to the last body byte (closed loop at 16 connections keeps the gateway saturated, so its latency is mostly queueing behind the gateway's CPU per request; the open loop shows what the gateway adds at a load it carries). Streams with TTFB: an undici client (TTFB = first body byte). "Added" latency and all ratios are paired within a round, then the median over rounds is reported. CPU = utime+stime of the gateway process (all threads) from \`/proc/<pid>/stat\` (CLK_TCK ${CLK_TCK}) over the phase (each slice) plus a ${SETTLE_MS} ms settle (so its ledger batch counts), divided by requests served (or deltas delivered). Request bodies carry the fake upstream's knobs as text markers (\`[[deltas=N]][[delay=MS]]\`). Small JSON response: 20 deltas' worth of text (~300 B).`, '');

  L.push('## Results', '');
  L.push('### Non-streaming', '');
  L.push('| case | direct RPS | bare RPS (× direct) | mixroute RPS (× direct) | direct p50 / p99 ms | bare added p50 / p99 ms | mixroute added p50 / p99 ms | bare CPU/req ms | mixroute CPU/req ms | mixroute / bare |');
  L.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const c of ['small-c1', 'small-c16', 'small-c16-rate', 'small-c64', 'prompt-64k', 'stream-200', 'stream-2000']) {
    if (!has(c)) continue;
    const title = { 'small-c1': 'small, 1 conn', 'small-c16': 'small, 16 conns', 'small-c16-rate': `small, 16 conns, open loop at ${PACED_RATE}/s`, 'small-c64': 'small, 64 conns', 'prompt-64k': '64 KB prompt, 16 conns', 'stream-200': 'stream 200 deltas unpaced, 16 conns', 'stream-2000': 'stream 2000 deltas unpaced, 16 conns' }[c];
    L.push(`| ${title} | ${f(med(c, 'direct', 'rps'), 0)} | ${f(med(c, 'bare', 'rps'), 0)} (${f(relRps(c, 'bare'))}) | ${f(med(c, 'mix', 'rps'), 0)} (${f(relRps(c, 'mix'))}) | ${f(med(c, 'direct', 'p50'), 3)} / ${f(med(c, 'direct', 'p99'), 3)} | ${sgn(added(c, 'bare', 'p50'), 3)} / ${sgn(added(c, 'bare', 'p99'), 3)} | ${sgn(added(c, 'mix', 'p50'), 3)} / ${sgn(added(c, 'mix', 'p99'), 3)} | ${f(med(c, 'bare', 'cpuPerReq'), 3)} | ${f(med(c, 'mix', 'cpuPerReq'), 3)} | ${f(cpuRatio(c))}× |`);
  }
  L.push('');
  if (has('small-c16')) {
    L.push('Where the gateway\'s CPU went at 16 connections (small JSON): the whole process is pinned to one core, so V8\'s helper threads (parallel/concurrent GC, concurrent compilation) and libuv\'s threads take turns with the main thread. "Main-thread wait" is the time the event-loop thread was runnable but not running (`/proc/<pid>/task/<pid>/schedstat`), per second of the phase: waiting behind the process\'s own helper threads or other processes on CPU 0 — it lands directly in tail latency.', '');
    L.push('| gateway | CPU/req ms | of which main thread ms | other threads ms | main-thread wait ms per s |', '|---|---|---|---|---|');
    for (const k of ['bare', 'mix']) {
      const rs = resultsFor('small-c16', k);
      L.push(`| ${k === 'mix' ? 'mixroute' : 'bare pipe'} | ${f(med('small-c16', k, 'cpuPerReq'), 3)} | ${f(median(rs.map((r) => r.mainCpuMs / r.ok)), 3)} | ${f(median(rs.map((r) => r.otherThreadsCpuMs / r.ok)), 3)} | ${f(median(rs.map((r) => r.mainWaitMsPerS)), 0)} |`);
    }
    L.push('');
  }
  if (has('small-c16-plain')) {
    const c = 'small-c16-plain';
    const costVals = resultsFor(c, 'mix').map((r) => { const b = resultsFor('small-c16', 'mix').find((x) => x.round === r.round); return b ? b.cpuPerReq - r.cpuPerReq : NaN; });
    L.push(`Cost of rate limits + balance reservation: the same small JSON load at 16 connections with a second key that has no limits and whose user has no balance: mixroute ${f(med(c, 'mix', 'rps'), 0)} RPS, p50 ${f(med(c, 'mix', 'p50'), 3)} ms, p99 ${f(med(c, 'mix', 'p99'), 3)} ms, **${f(med(c, 'mix', 'cpuPerReq'), 3)} ms CPU/request** (${f(median(resultsFor(c, 'mix').map((r) => r.cpuPerReq / (resultsFor('small-c16', 'bare').find((b) => b.round === r.round)?.cpuPerReq ?? NaN))))}× the bare pipe), against ${f(med('small-c16', 'mix', 'cpuPerReq'), 3)} ms with limits and reservation on: they cost ${f(median(costVals), 3)} ms CPU per request (median of per-round differences).`, '');
  }
  L.push('### Streams', '');
  L.push('| case | direct TTFB p50 ms | bare added TTFB | mixroute added TTFB | direct total p50 ms | bare added total | mixroute added total | bare CPU/delta µs | mixroute CPU/delta µs | mixroute / bare | peak RSS bare / mixroute MiB |');
  L.push('|---|---|---|---|---|---|---|---|---|---|---|');
  const srow = (c, title) => {
    if (!has(c)) return;
    const cpuB = med(c, 'bare', 'cpuPerDeltaUs'); const cpuM = med(c, 'mix', 'cpuPerDeltaUs');
    L.push(`| ${title} | ${f(med(c, 'direct', 'ttfbP50'), 3)} | ${sgn(added(c, 'bare', 'ttfbP50'), 3)} | ${sgn(added(c, 'mix', 'ttfbP50'), 3)} | ${f(med(c, 'direct', 'totalP50'), 1)} | ${sgn(added(c, 'bare', 'totalP50'), 2)} | ${sgn(added(c, 'mix', 'totalP50'), 2)} | ${f(cpuB)} | ${f(cpuM)} | ${Number.isFinite(cpuB) ? f(cpuRatio(c, 'cpuPerDeltaUs')) + '×' : '–'} | ${Number.isFinite(med(c, 'bare', 'rssPeak')) ? `${f(med(c, 'bare', 'rssPeak'), 0)} / ${f(med(c, 'mix', 'rssPeak'), 0)}` : '–'} |`);
  };
  srow('ttfb-200', `one 200-delta stream at a time (unpaced, ${P.ttfbN} per phase)`);
  srow('stream-200', '200 deltas unpaced, 16 conns (autocannon; no TTFB)');
  srow('stream-2000', '2000 deltas unpaced, 16 conns (autocannon; no TTFB)');
  srow('paced-64', `${p64.conc} concurrent, ${p64.deltas} deltas every ${p64.delay} ms`);
  srow('paced-1000', `${p1k.conc} concurrent, ${p1k.deltas} deltas every ${p1k.delay} ms`);
  L.push('');
  if (has('stream-200') && has('stream-2000')) {
    const perAdded = (tk) => perAddedDeltaUs(med('stream-2000', tk, 'cpuPerReq'), med('stream-200', tk, 'cpuPerReq'));
    L.push(`Unpaced streams, CPU per request: 200 deltas bare ${f(med('stream-200', 'bare', 'cpuPerReq'), 3)} ms, mixroute ${f(med('stream-200', 'mix', 'cpuPerReq'), 3)} ms; 2,000 deltas bare ${f(med('stream-2000', 'bare', 'cpuPerReq'), 3)} ms, mixroute ${f(med('stream-2000', 'mix', 'cpuPerReq'), 3)} ms. So each delta beyond the 200th costs (medians) bare ${f(perAdded('bare'), 3)} µs and mixroute ${f(perAdded('mix'), 3)} µs, against ${f(med('stream-200', 'bare', 'cpuPerDeltaUs'), 3)} and ${f(med('stream-200', 'mix', 'cpuPerDeltaUs'), 3)} µs per delta in the 200-delta line, which is mostly each request's fixed part divided by 200.`, '');
  }
  const chunkText = (c) => `${c}: ${['direct', 'bare', 'mix'].map((k) => f(med(c, k, 'chunksPerStream'), 0)).join(' / ')}`;
  const pacedCases = ['paced-64', 'paced-1000'].filter(has);
  if (pacedCases.length) L.push(`Response chunks the client received per paced stream (direct / bare / mixroute; about one per SSE event means no coalescing, so the per-delta figures compare like with like): ${pacedCases.map(chunkText).join('; ')}${has('xlat-paced-64') ? `; translated: ${f(med('xlat-paced-64', 'mix', 'chunksPerStream'), 0)}` : ''}.`, '');
  if (has('paced-1000')) L.push(`Concurrency reached in the ${p1k.conc}-stream case (streams in flight at once, min over rounds): direct ${Math.min(...resultsFor('paced-1000', 'direct').map((r) => r.maxInflight))}, bare ${Math.min(...resultsFor('paced-1000', 'bare').map((r) => r.maxInflight))}, mixroute ${Math.min(...resultsFor('paced-1000', 'mix').map((r) => r.maxInflight))}.`, '');

  L.push('### Translated path (Anthropic client → OpenAI-compatible upstream), mixroute only', '');
  L.push('| case | passthrough CPU/delta µs | translated CPU/delta µs | translated / passthrough | translated TTFB p50 ms |');
  L.push('|---|---|---|---|---|');
  if (has('xlat-stream-200')) L.push(`| 200 deltas unpaced, 16 conns (the passthrough measured beside it, in the same case) | ${f(med('xlat-stream-200', 'mix', 'cpuPerDeltaUs'))} | ${f(med('xlat-stream-200', 'mixXlat', 'cpuPerDeltaUs'))} | ${f(median(sideBySideRatioVals('xlat-stream-200', 'mixXlat')))}× | – |`);
  if (has('xlat-openai-stream-200')) L.push(`| the other direction, an OpenAI client on the Anthropic channel: 200 deltas unpaced, 16 conns (the passthrough beside it; information) | ${f(med('xlat-openai-stream-200', 'mix', 'cpuPerDeltaUs'))} | ${f(med('xlat-openai-stream-200', 'mixXlatOpenAI', 'cpuPerDeltaUs'))} | ${f(median(sideBySideRatioVals('xlat-openai-stream-200', 'mixXlatOpenAI')))}× | – |`);
  if (has('xlat-paced-64')) L.push(`| ${p64.conc} paced streams | ${f(med('paced-64', 'mix', 'cpuPerDeltaUs'))} | ${f(med('xlat-paced-64', 'mix', 'cpuPerDeltaUs'))} | ${f(xlatRatio('xlat-paced-64', 'paced-64'))}× | ${f(med('xlat-paced-64', 'mix', 'ttfbP50'), 3)} |`);
  if (has('xlat-small-c16')) L.push(`| small JSON, 16 conns (CPU/request, ms) | ${f(med('small-c16', 'mix', 'cpuPerReq'), 3)} | ${f(med('xlat-small-c16', 'mix', 'cpuPerReq'), 3)} | ${f(median(resultsFor('xlat-small-c16', 'mix').map((r) => r.cpuPerReq / (resultsFor('small-c16', 'mix').find((b) => b.round === r.round)?.cpuPerReq ?? NaN))))}× | – |`);
  L.push('');
  L.push('### Memory (VmRSS, MiB)', '');
  L.push('| | bare pipe | mixroute |', '|---|---|---|');
  L.push(`| idle, 2 s after start | ${f(x.rssAtStart.bare, 1)} | ${f(x.rssAtStart.mix, 1)} |`);
  L.push(`| idle after warm-up | ${f(x.rssIdle.bare, 1)} | ${f(x.rssIdle.mix, 1)} |`);
  if (has('paced-64')) L.push(`| peak under ${p64.conc} paced streams (median of rounds) | ${f(med('paced-64', 'bare', 'rssPeak'), 1)} | ${f(med('paced-64', 'mix', 'rssPeak'), 1)} |`);
  if (has('paced-1000')) L.push(`| peak under ${p1k.conc} paced streams (median of rounds) | ${f(med('paced-1000', 'bare', 'rssPeak'), 1)} | ${f(med('paced-1000', 'mix', 'rssPeak'), 1)} |`);
  L.push(`| idle after the run / high-water mark (VmHWM) | ${f(x.rssAfter.bare, 1)} / ${f(x.rssAfter.bareHwm, 1)} | ${f(x.rssAfter.mix, 1)} / ${f(x.rssAfter.mixHwm, 1)} |`);
  L.push('');
  L.push(...scalingReport(x));
  L.push(`Checks: ${x.failures ? `**${x.failures} failed requests or streams during measurement**` : 'no failed request or stream during measurement'}; ledger rows written by mixroute (warm-up and measurement, before the profiling run): ${x.ledger.error ? `could not read (${x.ledger.error})` : `${x.ledger.n} (${x.ledger.ok} with status 200)`}${x.balance ? `; \`users list\` after the run: \`${x.balance}\`` : ''}${moneyCheckText(x.ledger)}. Measuring took ${f(x.measureSeconds, 0)} s.${x.scaling ? ` Several workers (information; see "Several workers (node:cluster)"): ${scalingCheckText(x.scaling)}.` : ''}`, '');
  const fl = results.map((r) => r.foreign);
  L.push(`Noise: CPU used by other processes on this shared machine during the accepted phases (whole machine, % of one CPU): median ${f(median(fl), 0)}%, max ${f(Math.max(...fl), 0)}%; ${NOISE_BUDGET_MS ? `a phase is re-run (at most twice, ${MAX_RERUNS} in all) when that exceeds ${FOREIGN_MAX}%, and a round waits for a quiet second before it starts, within ${NOISE_BUDGET_MS / 1000} s in all: ${x.reruns} re-run(s), ${f(x.waitedMs / 1000, 0)} s waited` : 'no re-runs or waiting in a quick run'}. Load average at start / end of measuring: ${x.loadavg.start} / ${x.loadavg.end}.`, '');

  L.push('## Budget check', '');
  L.push(`Budget from issue 6 (this machine, mixroute pinned to one core, auth, limits, reservation and ledger on). In this run: auth, routing, the usage tap, pricing, the ledger journal and the batched SQLite ledger on; billing ${x.billing}.`, '');
  L.push('| budget line | measured (median) | per-round range | limit | verdict |', '|---|---|---|---|---|');
  for (const b of x.budget) L.push(`| ${b.name}${b.info ? ' (information; not a budget line)' : ''} | ${b.text} | ${b.range} | ${b.info ? `${b.limitText} if it were one` : b.limitText} | ${b.info ? 'info' : b.pass === null ? 'n/a' : b.pass ? 'PASS' : '**MISS**'} |`);
  // Information only: issue 6 asks for near-linear scaling with workers but sets no number for it.
  for (const c of SCALE_CONNECTIONS) {
    const v = scaleRatioVals(`scale-c${c}`, 'rps');
    if (v.length) L.push(`| Several workers: RPS workers=2 / workers=1, small JSON, ${c} connections, unpinned (information; not a budget line, see "Several workers") | ${f(median(v))}× | ${v.length > 1 ? `${f(Math.min(...v))} – ${f(Math.max(...v))}` : '–'} | none (2 CPUs shared with the load generator and upstream) | info |`);
  }
  L.push('');
  if (x.profile) {
    L.push('## CPU profile of mixroute', '');
    L.push(`A separate mixroute process under \`node --cpu-prof --cpu-prof-interval 500\` (same configuration, pinned the same way), driven by autocannon at 16 connections: 1 s of warm-up, then ${P.profileSeconds} s of load per segment; only the samples inside each segment's window are counted (startup excluded). The profiler adds its own cost, so CPU figures here are higher than in the tables above. Profile: \`${x.profile.file}\` (open in Chrome DevTools).`, '');
    for (const g of x.profile.segments) {
      const per = g.per === 'delta' ? `${f((g.cpuMs * 1000) / (g.requests * (g.deltas ?? 200)), 2)} µs CPU/delta` : `${f(g.cpuMs / g.requests, 3)} ms CPU/request`;
      L.push(`### ${g.title}`, '', `${f(g.rps, 0)} RPS, ${per} under the profiler; ${f(g.busyMs, 0)} ms of busy samples in the window.`, '');
      L.push('| top self time: function (file:line) | self ms | % of busy |', '|---|---|---|');
      for (const r of g.functions) L.push(`| \`${r.name.replace(/\|/g, '\\|')}\` | ${f(r.ms, 0)} | ${f(r.pct, 1)} |`);
      L.push('', '| self time by module | self ms | % of busy |', '|---|---|---|');
      for (const r of g.modules) L.push(`| ${r.name} | ${f(r.ms, 0)} | ${f(r.pct, 1)} |`);
      if (g.storageCallers?.length) {
        L.push('', `Storage (kysely + better-sqlite3, all of it synchronous on the event loop with SQLite): ${f(g.storageMs, 0)} ms, ${f(g.storagePct, 1)}% of busy, by the mixroute function that called it:`, '');
        L.push('| caller (dist file:line) | ms | % of busy |', '|---|---|---|');
        for (const r of g.storageCallers) L.push(`| \`${r.name.replace(/\|/g, '\\|')}\` | ${f(r.ms, 0)} | ${f(r.pct, 1)} |`);
      }
      L.push('');
    }
  }
  L.push(...NOTES);
  return L.join('\n') + '\n';
}

const resultsFor = (cid, tk) => results.filter((r) => r.case === cid && r.target === tk);
/** Per round, a translated target's CPU per delta over the passthrough measured beside it in the same case (mix). */
const sideBySideRatioVals = (cid, tk) => resultsFor(cid, tk).map((r) => r.cpuPerDeltaUs / (resultsFor(cid, 'mix').find((b) => b.round === r.round)?.cpuPerDeltaUs ?? NaN));

// ---------------------------------------------------------------- report: several workers
/** Per-round workers=2 / workers=1 values of metric k (paired within a round). */
const scaleRatioVals = (cid, k) => resultsFor(cid, 'w2').map((r) => { const b = resultsFor(cid, 'w1').find((x) => x.round === r.round); return b ? r[k] / b[k] : NaN; }).filter(Number.isFinite);
/**
 * Per round: the RPS at which every CPU would be full if a request cost what it costs at workers=1 (gateway + load
 * generator + upstream CPU per request), over workers=1's RPS: the most any number of workers could show on this
 * machine while the load generator and upstream share it (`tk` = 'w2': the same with workers=2's measured costs).
 */
const scaleCeilingVals = (cid, tk = 'w1') => resultsFor(cid, 'w1').map((b) => { const r = resultsFor(cid, tk).find((x) => x.round === b.round); return r ? Math.min(ncpu, (ncpu * 1000) / (r.cpuPerReq + r.genUpCpuPerReq) / b.rps) : NaN; }).filter(Number.isFinite);
const rangeText = (v, d = 2) => (v.length > 1 ? `${f(Math.min(...v), d)} – ${f(Math.max(...v), d)}` : '–');

function scalingCheckText(sc) {
  const ratios = SCALE_CONNECTIONS.map((c) => `${c} connections ${f(median(scaleRatioVals(`scale-c${c}`, 'rps')))}×`).join(', ');
  const bad = results.filter((r) => r.case.startsWith('scale-')).reduce((a, r) => a + (r.bad || 0), 0);
  return `RPS workers=2 / workers=1: ${ratios} (unpinned, on ${ncpu} CPUs shared with the load generator and upstream; no budget line); ${bad ? `**${bad} failed requests**` : 'no failed request'}`;
}
function scalingLedgerText(sc) {
  return sc.targets.map((t) => `${t.label}: ${t.ledger.error ? `ledger unreadable (${t.ledger.error})` : `${t.ledger.n} ledger rows (${t.ledger.ok} with status 200) against ${t.served} 200 responses counted by the load generator (which does not count the requests still in flight when a phase stops)`}, exit ${t.exit.code ?? t.exit.signal} on SIGTERM${t.journalsLeft.length ? `, journal(s) left: ${t.journalsLeft.map((j) => `${j.file} ${j.bytes} B`).join(', ')}` : ', no journal left'}`).join('; ');
}

function scalingReport(x) {
  const L = ['### Several workers (node:cluster)', ''];
  const sc = x.scaling;
  L.push('mixroute uses more than one core with `server.workers: N` in its configuration, or `MIXROUTE_WORKERS=N` in the environment (`0` = one per core). `mixroute serve` then becomes a node:cluster primary: it applies the configuration once, forks N worker processes that share the listening port (each a full gateway with its own ledger journal in data_dir, all on the one database), restarts a worker that dies, and on SIGTERM lets them drain. The primary accepts the connections and hands them to the workers round-robin (node\'s default on Linux); it serves no request itself. With `workers: 1` (the default) `serve` is the plain single process of the tables above.', '');
  L.push('```sh', 'MIXROUTE_WORKERS=2 node dist/cli.js serve --config mixroute.yaml    # or, in mixroute.yaml: server: { …, workers: 2 }', '```', '');
  L.push('Rate limits, circuit breakers, session affinity and the key cache are per worker unless `server.redis_url` / `REDIS_URL` shares the limits (the primary warns about it at start); the limits here are set far above what the run uses, so that makes no difference to these figures.', '');
  if (!sc) { L.push('Not measured in this run (`--only` without `scaling`).', ''); return L; }
  const byW = (n) => sc.targets.find((t) => t.workers === n);
  L.push(`Started for this section, after everything above (each with its own data_dir, so their ledgers do not mix; ${sc.unpinned === null ? 'nothing is pinned in this run' : `\`taskset -c ${ALL_CPUS}\` = every CPU, i.e. not pinned`}):`, '', '```sh', ...sc.targets.map((t) => t.command), '```', '');
  L.push('Configuration of the workers=2 start (the workers=1 start differs only in port, data_dir and `workers: 1`):', '', '```yaml', byW(2).cfgText.trim(), '```', '');
  L.push(`Method: ${P.rounds} round(s); in each round, at 64 and then 16 connections, the small-JSON load of the tables above (autocannon, closed loop, ${P.duration} s per phase) runs against the fake upstream directly, mixroute workers=1 and mixroute workers=2, in an order rotated per round; ratios are paired within a round, then the median over rounds is reported. For this section ${sc.unpinned === null ? 'nothing is pinned' : sc.unpinned ? 'this process (the load generator) and the fake upstream are unpinned too (and pinned back afterwards)' : '**this process and the fake upstream could not be unpinned** (they stay on CPU 1)'}. Gateway CPU/request = utime+stime of the primary and all its worker processes (found through \`/proc/<pid>/task/*/children\`) over the phase plus the ${SETTLE_MS} ms settle, per request answered. Share of the machine = CPU time during the load ÷ (wall time × ${ncpu} CPUs): the load generator is this process (\`process.cpuUsage()\`), the upstream is its child's \`/proc/<pid>/stat\`, "other" is the rest of the machine's busy time from \`/proc/stat\` (other processes, the idle bare pipe, kernel softirq work for loopback TCP not charged to a process).`, '');
  L.push(`**Read this first: this machine has ${ncpu} CPUs, and the load generator (this one Node process, autocannon on one thread) and the fake upstream run on the same CPUs as the gateway. Every CPU-second they take is one the workers cannot have, so here workers=2 cannot come near ${ncpu}× workers=1: the ceiling for this machine is estimated below from the measured CPU per request, and the shares of the machine show where the CPU went. On a machine whose cores are the gateway's alone (load and upstream elsewhere), the ceiling is about N× minus what the primary costs.**`, '');
  L.push('| load | target | RPS | p50 / p99 ms | gateway CPU/req ms (primary + workers) | of which primary | processes | load gen + upstream CPU/req ms | share of the machine: load gen / upstream / gateway / other / idle |');
  L.push('|---|---|---|---|---|---|---|---|---|');
  const m = (cid, tk, k) => median(resultsFor(cid, tk).map((r) => r[k]));
  for (const c of SCALE_CONNECTIONS) {
    const cid = `scale-c${c}`;
    for (const [tk, label] of [['direct-u', 'direct (fake upstream)'], ['w1', 'mixroute workers=1'], ['w2', 'mixroute workers=2']]) {
      if (!resultsFor(cid, tk).length) continue;
      const gen = m(cid, tk, 'genPct'); const upp = m(cid, tk, 'upPct'); const gw = m(cid, tk, 'gwPct'); const oth = m(cid, tk, 'otherPct'); const busy = m(cid, tk, 'busyPct');
      L.push(`| ${c} conns | ${label} | ${f(m(cid, tk, 'rps'), 0)} | ${f(m(cid, tk, 'p50'), 3)} / ${f(m(cid, tk, 'p99'), 3)} | ${tk === 'direct-u' ? '–' : f(m(cid, tk, 'cpuPerReq'), 3)} | ${tk === 'w2' ? f(m(cid, tk, 'primaryCpuPerReq'), 3) : '–'} | ${tk === 'direct-u' ? '–' : f(m(cid, tk, 'processes'), 0)} | ${f(m(cid, tk, 'genUpCpuPerReq'), 3)} | ${f(gen, 0)}% / ${f(upp, 0)}% / ${tk === 'direct-u' ? '–' : f(gw, 0) + '%'} / ${f(oth, 0)}% / ${f(Math.max(0, 100 - busy), 0)}% |`);
    }
  }
  L.push('');
  for (const c of SCALE_CONNECTIONS) {
    const cid = `scale-c${c}`;
    if (!resultsFor(cid, 'w2').length || !resultsFor(cid, 'w1').length) continue;
    const rv = scaleRatioVals(cid, 'rps'); const cv = scaleRatioVals(cid, 'cpuPerReq'); const ceil = scaleCeilingVals(cid); const ceil2 = scaleCeilingVals(cid, 'w2');
    const genUp = (tk) => m(cid, tk, 'genPct') + m(cid, tk, 'upPct');
    const split = resultsFor(cid, 'w2').map((r) => r.workerShares).filter(Boolean);
    const splitText = split.length ? `; the workers' CPU split (median per worker): ${split[0].map((_, i) => f(100 * median(split.map((s) => s[i])), 0) + '%').join(' / ')}` : '';
    L.push(`- **${c} connections: workers=2 / workers=1 = ${f(median(rv))}× the RPS** (per-round range ${rangeText(rv)}); p99 ${f(m(cid, 'w1', 'p99'), 3)} → ${f(m(cid, 'w2', 'p99'), 3)} ms; gateway CPU/request (primary + workers against the single process) ${f(median(cv))}×${splitText}. Load generator + upstream used ${f(genUp('w1'), 0)}% of the machine at workers=1 and ${f(genUp('w2'), 0)}% at workers=2; the gateway ${f(m(cid, 'w1', 'gwPct'), 0)}% and ${f(m(cid, 'w2', 'gwPct'), 0)}%; idle ${f(Math.max(0, 100 - m(cid, 'w1', 'busyPct')), 0)}% and ${f(Math.max(0, 100 - m(cid, 'w2', 'busyPct')), 0)}%. Ceiling on this machine (estimate): if a request cost what it costs at workers=1 (gateway ${f(m(cid, 'w1', 'cpuPerReq'), 3)} ms + load generator and upstream ${f(m(cid, 'w1', 'genUpCpuPerReq'), 3)} ms), the ${ncpu} CPUs would be full at about ${f((ncpu * 1000) / (m(cid, 'w1', 'cpuPerReq') + m(cid, 'w1', 'genUpCpuPerReq')), 0)} RPS, **${f(median(ceil))}× the workers=1 figure (capped at ${ncpu}×; other processes' use of the machine not counted): that, not ${ncpu}×, is the most more workers could show here**; at workers=2's own measured costs (gateway ${f(m(cid, 'w2', 'cpuPerReq'), 3)} ms + ${f(m(cid, 'w2', 'genUpCpuPerReq'), 3)} ms) the CPUs fill at ${f(median(ceil2))}× — the gap between the two is the gateway's extra CPU per request with two workers. The same load generator straight against the fake upstream: ${f(m(cid, 'direct-u', 'rps'), 0)} RPS (${f(genUp('direct-u'), 0)}% of the machine).`);
  }
  L.push('');
  L.push(`Checks: ${scalingCheckText(sc)}; ${scalingLedgerText(sc)}. This section took ${f(sc.seconds, 0)} s.`, '');
  return L;
}

const NOTES = [
  '## Several workers or instances (issue 6, scope 3)',
  '',
  '- One machine: `server.workers: N` or `MIXROUTE_WORKERS=N` (`0` = one per core) runs N worker processes on one',
  '  port under a node:cluster primary; see "Several workers (node:cluster)" above for the command and what it gave on',
  '  this machine. With SQLite the workers share the one database file, each with its own ledger journal',
  '  (`ledger.worker-N.journal`) in data_dir; set `server.redis_url` / `REDIS_URL` so that rate limits are shared',
  '  rather than kept per worker.',
  '- Several machines: run N instances (`mixroute serve --port 8081`, …) against one PostgreSQL database',
  '  (`server.database_url: postgres://…`, the same `secret_key` everywhere) and one Redis for the rate limits',
  '  (`server.redis_url` / `REDIS_URL`; without it each instance keeps its own limits in memory), and put a TCP/HTTP',
  '  balancer (nginx, HAProxy, Caddy) in front. Channel and key changes made by the CLI or another instance are picked',
  '  up by every instance within `reload_interval_ms`; balances are reserved with atomic database updates (directly, or',
  '  through balance leases each taken in one), so instances cannot spend the same money twice; each instance writes its own ledger rows (and keeps its own ledger',
  '  journal in its `data_dir`, which must not be shared). SQLite is for a single machine.',
  '',
];

main().then(() => { finished = true; clearTimeout(watchdog); }, (e) => {
  log(`bench: FAILED: ${e.stack ?? e}`);
  killAll('SIGKILL');
  setTimeout(() => { for (const d of [dataDir, ...scalingDirs]) rmSync(d, { recursive: true, force: true }); }, 500);
  clearTimeout(watchdog);
  finished = true;
  process.exitCode = 1;
});
