/**
 * The built command line as a newcomer uses it: `serve` with no configuration
 * at all, keys and channels managed while the server runs, the
 * ANTHROPIC_API_KEY bootstrap, and a YAML config with ${ENV} secrets.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/bootstrap/open-storage.js';
import { configSchema } from '../../src/config/config.js';
import { cleanEnvironment } from '../support/clean-environment.js';
import { startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');

let upstream: FakeUpstream;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  // The CLI runs from dist/, as `npm start` runs it; an incremental build is quick when nothing changed.
  execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  upstream = await startFakeAnthropicUpstream();
}, 120_000);
afterAll(async () => upstream?.close());
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function workspace(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'mixroute-cli-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

function cli(cwd: string, args: string[], extra: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [CLI, ...args], { cwd, env: cleanEnvironment(extra), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, stdout: failed.stdout, stderr: failed.stderr };
  }
}

interface Served {
  process: ChildProcess;
  url: string;
  banner: string;
  output: () => string;
  stop(): Promise<number | null>;
}

async function serve(cwd: string, args: string[] = [], extra: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    cwd,
    env: cleanEnvironment({ PORT: '0', HOST: '127.0.0.1', ...extra }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolvePromise) => child.once('exit', (code) => resolvePromise(code)));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  };
  cleanups.push(async () => void (await stop()));
  const deadline = Date.now() + 20_000;
  while (!/listening on (http:\/\/\S+)/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`mixroute did not start:\n${output}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 25));
  }
  await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
  const url = /listening on (http:\/\/\S+)/.exec(output)![1]!;
  return { process: child, url, banner: output, output: () => output, stop };
}

async function ask(url: string, key: string, model = 'claude-sonnet-4-5-20250929') {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
    value = await probe();
  }
  return value;
}

describe('mixroute serve with no configuration', () => {
  it('starts on embedded SQLite, says how to add a key and a channel, and exits 0 on SIGTERM', async () => {
    const cwd = await workspace();
    const server = await serve(cwd);
    expect(server.banner).toContain('No channel yet');
    expect(server.banner).toContain('npm run cli -- channels add');
    expect(server.banner).toContain('No API key yet');
    expect(server.banner).toContain('npm run cli -- keys create --name me');
    expect((await stat(join(cwd, 'data/mixroute.db'))).isFile()).toBe(true);
    expect((await stat(join(cwd, 'data/secret.key'))).mode & 0o777).toBe(0o600);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await fetch(server.url, { method: 'HEAD' })).status).toBe(200);
    expect(await server.stop()).toBe(0);
  });

  it('keys and channels added with the CLI take effect in the running server; a revoked key stops working', async () => {
    const cwd = await workspace();
    const server = await serve(cwd);

    const created = cli(cwd, ['keys', 'create', '--name', 'me']);
    expect(created.code, created.stderr).toBe(0);
    const secret = /^(sk-mr-[A-Za-z0-9]+)$/m.exec(created.stdout)![1]!;
    expect(secret.length).toBeGreaterThanOrEqual(40);
    const listed = cli(cwd, ['keys', 'list']);
    expect(listed.stdout).toContain('me');
    expect(listed.stdout).toContain(secret.slice(0, 12));
    expect(listed.stdout).not.toContain(secret);

    // The key works at once; with no channel the model is unknown.
    expect((await eventually(() => ask(server.url, secret), (result) => result.status === 404)).status).toBe(404);

    const added = cli(cwd, ['channels', 'add', '--name', 'fake', '--base-url', upstream.url, '--api-key', 'sk-ant-cli-0001', '--models', 'claude-*']);
    expect(added.code, added.stderr).toBe(0);
    expect(cli(cwd, ['channels', 'list']).stdout).toMatch(/fake\s+anthropic\s+http:\/\/127\.0\.0\.1:\d+\s+claude-\*/);
    const served = await eventually(() => ask(server.url, secret), (result) => result.status === 200);
    expect(served.status).toBe(200);
    expect(upstream.messagesRequests().at(-1)!.headers['x-api-key']).toBe('sk-ant-cli-0001');

    expect(cli(cwd, ['keys', 'revoke', 'me']).code).toBe(0);
    const refused = await eventually(() => ask(server.url, secret), (result) => result.status === 401);
    expect(refused.body.error.type).toBe('authentication_error');
    expect(cli(cwd, ['keys', 'revoke', 'nobody']).code).toBe(1);
    expect(await server.stop()).toBe(0);
  });

  it('rejects bad CLI input with a clear message and exit code 2', async () => {
    const cwd = await workspace();
    const missing = cli(cwd, ['channels', 'add', '--name', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/base_url/);
    expect(cli(cwd, ['frobnicate']).code).toBe(2);
    const badQuota = cli(cwd, ['keys', 'create', '--name', 'q', '--quota-usd', '1e3']);
    expect(badQuota.code).toBe(2);
    expect(badQuota.stderr).toMatch(/--quota-usd must be an amount in USD/);
  });

  it('keys create --quota-usd stores the quota exactly, in nano-USD', async () => {
    const cwd = await workspace();
    const created = cli(cwd, ['keys', 'create', '--name', 'capped', '--quota-usd', '12.5', '--rpm', '60']);
    expect(created.code, created.stderr).toBe(0);
    const storage = await openStorage(configSchema.parse({ server: { data_dir: join(cwd, 'data'), database_url: `sqlite:${join(cwd, 'data/mixroute.db')}` } }).server);
    try {
      expect((await storage.apiKeys.findByName('capped'))!.policy).toEqual({ requestsPerMinute: 60, quotaNanoUsd: 12_500_000_000 });
    } finally {
      await storage.database.close();
    }
  });
});

describe('first start with ANTHROPIC_API_KEY', () => {
  it('creates an Anthropic channel for claude-* and stores its key encrypted', async () => {
    const cwd = await workspace();
    const server = await serve(cwd, [], { ANTHROPIC_API_KEY: 'sk-ant-bootstrap-7f3a9c' });
    expect(server.banner).toContain('Created channel "anthropic"');
    await server.stop();
    const listed = cli(cwd, ['channels', 'list']);
    expect(listed.stdout).toMatch(/anthropic\s+anthropic\s+https:\/\/api\.anthropic\.com\s+claude-\*/);
    expect(listed.stdout).toContain('bootstrap');
    const database = await readFile(join(cwd, 'data/mixroute.db'));
    const wal = await readFile(join(cwd, 'data/mixroute.db-wal')).catch(() => Buffer.alloc(0));
    expect(Buffer.concat([database, wal]).includes('sk-ant-bootstrap-7f3a9c')).toBe(false);
  });
});

describe('configuration file', () => {
  it('MIXROUTE_CONFIG or --config, with ${ENV} secrets; PORT overrides the port', async () => {
    const cwd = await workspace();
    const file = join(cwd, 'mixroute.yaml');
    await writeFile(
      file,
      [
        'server:',
        '  port: 1  # overridden by PORT',
        '  data_dir: ./state',
        'channels:',
        '  - name: anthropic-main',
        '    type: anthropic',
        `    base_url: ${upstream.url}`,
        '    api_key: ${UPSTREAM_SECRET}',
        '    models: ["claude-*"]',
        '    model_map: { house: claude-sonnet-4-5-20250929 }',
        'keys:',
        '  - name: alice',
        '    key: sk-alice-0123456789',
      ].join('\n'),
    );
    const ways: Array<{ args: string[]; extra: Record<string, string> }> = [
      { args: ['--config', file], extra: {} },
      { args: [], extra: { MIXROUTE_CONFIG: file } },
    ];
    for (const way of ways) {
      const server = await serve(cwd, way.args, { UPSTREAM_SECRET: 'sk-ant-from-env', ...way.extra });
      const result = await ask(server.url, 'sk-alice-0123456789', 'house');
      expect(result.status).toBe(200);
      const received = upstream.messagesRequests().at(-1)!;
      expect(received.headers['x-api-key']).toBe('sk-ant-from-env');
      expect(received.json.model).toBe('claude-sonnet-4-5-20250929');
      expect(await server.stop()).toBe(0);
    }
    expect((await stat(join(cwd, 'state/mixroute.db'))).isFile()).toBe(true);
  });

  it('an unset ${VAR} or an invalid field stops the start with a message naming it', async () => {
    const cwd = await workspace();
    const file = join(cwd, 'bad.yaml');
    await writeFile(file, 'channels:\n  - name: a\n    type: anthropic\n    base_url: http://127.0.0.1:1\n    api_key: ${NOT_SET_ANYWHERE}\n    models: ["x"]\n');
    const unset = cli(cwd, ['serve', '--config', file]);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain('${NOT_SET_ANYWHERE}');
    await writeFile(file, 'channels:\n  - name: a\n    type: carrier-pigeon\n    base_url: http://127.0.0.1:1\n    api_key: k\n    models: ["x"]\n');
    const invalid = cli(cwd, ['serve', '--config', file]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/channels\.0\.type/);
  });
});

describe('users', () => {
  it('credits a prepaid balance exactly and lists it', async () => {
    const cwd = await workspace();
    expect(cli(cwd, ['users', 'credit', 'carol', '1.0000000001']).code).toBe(2); // finer than a nano-USD
    const credited = cli(cwd, ['users', 'credit', 'carol', '12.5']);
    expect(credited.code, credited.stderr).toBe(0);
    expect(credited.stdout).toContain('Balance of carol: $12.500000000');
    // A negative amount takes money back (after `--`, so it is not read as an option), never below zero.
    expect(cli(cwd, ['users', 'credit', 'carol', '--', '-20']).code).toBe(1);
    expect(cli(cwd, ['users', 'credit', 'carol', '--', '-0.000000001']).stdout).toContain('$12.499999999');
    expect(cli(cwd, ['users', 'list']).stdout).toMatch(/carol\s+user\s+12\.499999999/);
  });
});
