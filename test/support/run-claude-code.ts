/**
 * Runs the real Claude Code CLI (`node_modules/.bin/claude`, a native binary) once in `-p` mode
 * against a base URL, isolated from the machine: fresh empty HOME, no inherited ANTHROPIC_* /
 * CLAUDE_* variables, nonessential traffic off, stdin closed, bounded by a timeout.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Path of the Claude Code binary installed in this repo. */
export const CLAUDE_BIN: string = fileURLToPath(new URL('../../node_modules/.bin/claude', import.meta.url));

export type ClaudeCodeAuth = { authToken: string } | { apiKey: string };

export interface RunClaudeCodeOptions {
  /** Sent as ANTHROPIC_BASE_URL, e.g. `http://127.0.0.1:1234`. */
  baseUrl: string;
  prompt: string;
  /** `authToken` → ANTHROPIC_AUTH_TOKEN (`Authorization: Bearer`); `apiKey` → ANTHROPIC_API_KEY (`x-api-key`). */
  auth: ClaudeCodeAuth;
  /** Passed as `--allowedTools <a,b,…>`, e.g. `['Bash(ls:*)']`. */
  allowedTools?: string[];
  /** Working directory; default: a fresh empty temp dir (removed afterwards). */
  cwd?: string;
  /** Kill the run after this long (default 60 s): SIGTERM, then SIGKILL 2 s later. */
  timeoutMs?: number;
  /** Extra environment, applied last (e.g. `ANTHROPIC_MODEL`, `CLAUDE_CODE_MAX_RETRIES`). */
  extraEnv?: Record<string, string>;
  /** Extra CLI arguments, placed after `--output-format json` (e.g. `['--model', 'haiku']`). */
  extraArgs?: string[];
}

export interface RunClaudeCodeResult {
  /** Exit code; null when killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (the `--output-format json` result object), when it parses. */
  json?: any;
  /** Wall time from spawn to exit. */
  durationMs: number;
  /** True when the timeout killed the process. */
  timedOut: boolean;
}

/** Env var names never inherited from the parent process. */
function isIsolatedVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return (
    upper.startsWith('ANTHROPIC_') ||
    upper.startsWith('CLAUDE') || // CLAUDE_CODE_*, CLAUDECODE, CLAUDE_CONFIG_DIR…
    upper.startsWith('XDG_') ||
    upper.startsWith('OTEL_') ||
    upper.startsWith('AWS_') ||
    upper.startsWith('VERTEX_') ||
    upper.startsWith('CLOUD_ML_') ||
    upper.startsWith('GOOGLE_') ||
    upper === 'HTTP_PROXY' ||
    upper === 'HTTPS_PROXY' ||
    upper === 'ALL_PROXY' ||
    upper === 'NO_PROXY' ||
    upper === 'NODE_OPTIONS' ||
    upper === 'DEBUG' ||
    upper === 'HOME' ||
    upper === 'USERPROFILE' ||
    upper === 'VITEST' ||
    upper.startsWith('VITEST_') ||
    upper === 'NODE_ENV' ||
    upper === 'TEST'
  );
}

export async function runClaudeCode(options: RunClaudeCodeOptions): Promise<RunClaudeCodeResult> {
  if (!existsSync(CLAUDE_BIN)) throw new Error(`Claude Code binary not found at ${CLAUDE_BIN}`);
  const home = await mkdtemp(join(tmpdir(), 'mixroute-cc-home-'));
  const ownCwd = options.cwd === undefined ? await mkdtemp(join(tmpdir(), 'mixroute-cc-cwd-')) : undefined;
  const cwd = options.cwd ?? ownCwd!;

  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !isIsolatedVariable(name)) env[name] = value;
  }
  Object.assign(env, {
    HOME: home,
    NO_PROXY: '*',
    ANTHROPIC_BASE_URL: options.baseUrl,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: '1',
  });
  if ('authToken' in options.auth) env.ANTHROPIC_AUTH_TOKEN = options.auth.authToken;
  else env.ANTHROPIC_API_KEY = options.auth.apiKey;
  Object.assign(env, options.extraEnv);

  const args = ['-p', options.prompt, '--output-format', 'json', ...(options.extraArgs ?? [])];
  // Last, because --allowedTools takes a variadic list.
  if (options.allowedTools && options.allowedTools.length > 0) args.push('--allowedTools', options.allowedTools.join(','));

  const timeoutMs = options.timeoutMs ?? 60_000;
  const started = Date.now();
  try {
    return await new Promise<RunClaudeCodeResult>((resolve, reject) => {
      const child = spawn(CLAUDE_BIN, args, {
        cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Own process group, so the timeout also kills tools Claude Code started (Bash etc.).
        detached: true,
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

      let timedOut = false;
      let killTimer: NodeJS.Timeout | undefined;
      const killGroup = (signal: NodeJS.Signals) => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, signal);
        } catch {
          // already gone
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup('SIGTERM');
        killTimer = setTimeout(() => killGroup('SIGKILL'), 2_000);
      }, timeoutMs);

      child.on('error', (error) => {
        clearTimeout(timer);
        if (killTimer) clearTimeout(killTimer);
        reject(error);
      });
      child.on('close', (exitCode, signal) => {
        clearTimeout(timer);
        if (killTimer) clearTimeout(killTimer);
        // Leave no stragglers from the run's process group behind.
        if (timedOut) killGroup('SIGKILL');
        const out = Buffer.concat(stdout).toString('utf8');
        let json: unknown;
        try {
          json = out.trim() ? JSON.parse(out) : undefined;
        } catch {
          json = undefined;
        }
        resolve({
          exitCode,
          signal,
          stdout: out,
          stderr: Buffer.concat(stderr).toString('utf8'),
          json,
          durationMs: Date.now() - started,
          timedOut,
        });
      });
    });
  } finally {
    await rm(home, { recursive: true, force: true });
    if (ownCwd) await rm(ownCwd, { recursive: true, force: true });
  }
}
