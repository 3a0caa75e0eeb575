/**
 * Bootstrapping the admin API from the command line: `users create NAME
 * --role admin`, then `keys create --user NAME`, and that key opens the admin
 * API of a gateway on the same database.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config.js';
import { startGateway } from '../../src/main.js';
import { cleanEnvironment } from '../support/clean-environment.js';
import { createAdminClient } from './admin-client.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');
let directory: string;

beforeAll(async () => {
  // The CLI runs from dist/, as `npm run cli` runs it; an incremental build is quick when nothing changed.
  execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  directory = await mkdtemp(join(tmpdir(), 'mixroute-admin-cli-'));
}, 120_000);
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [CLI, ...args], { cwd: directory, env: cleanEnvironment(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('mixroute users create', () => {
  it('creates an admin whose CLI-issued key opens the admin API; a plain user is refused', async () => {
    const created = cli(['users', 'create', 'ops', '--role', 'admin']);
    expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining('Created admin ops') });
    expect(cli(['users', 'create', 'ops'])).toMatchObject({ code: 1, stderr: expect.stringContaining('already exists') });
    expect(cli(['users', 'create', 'guest', '--role', 'root'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--role must be admin or user') });
    expect(cli(['users', 'create'])).toMatchObject({ code: 2 });
    expect(cli(['users', 'create', 'guest']).code).toBe(0);
    expect(cli(['users', 'list']).stdout).toMatch(/ops\s+admin[\s\S]*guest\s+user/);

    const opsKey = cli(['keys', 'create', '--name', 'ops-key', '--user', 'ops']).stdout.split('\n')[1]!;
    const guestKey = cli(['keys', 'create', '--name', 'guest-key', '--user', 'guest']).stdout.split('\n')[1]!;
    expect(opsKey).toMatch(/^sk-mr-/);

    const dataDir = join(directory, 'data');
    const config = configSchema.parse({ server: { host: '127.0.0.1', port: 0, data_dir: dataDir, log_level: 'silent' } });
    config.server.database_url = `sqlite:${join(dataDir, 'mixroute.db')}`;
    const gateway = await startGateway({ config, environment: {} });
    try {
      const users = await createAdminClient(gateway.url, opsKey)('GET', '/users');
      expect(users.status).toBe(200);
      expect(users.body.data.map((user: any) => [user.name, user.role])).toEqual([
        ['ops', 'admin'],
        ['guest', 'user'],
        ['admin', 'admin'],
      ]);
      expect((await createAdminClient(gateway.url, guestKey)('GET', '/users')).status).toBe(403);
    } finally {
      await gateway.close();
    }
  });
});
