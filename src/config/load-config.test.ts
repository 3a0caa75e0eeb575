import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'mixroute-config-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function writeConfig(text: string, name = 'mixroute.yaml'): string {
  const file = path.join(directory, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function load(text: string, environment: Record<string, string | undefined> = {}) {
  return loadConfig({ configPath: writeConfig(text), environment });
}

/** The message loadConfig throws, for assertions on several lines of it. */
function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

const CHANNEL = `
channels:
  - name: main
    type: anthropic
    base_url: https://api.anthropic.com
    api_key: \${ANTHROPIC_API_KEY}
    models: ['claude-*']
`;

describe('loadConfig', () => {
  it('without a file gives every default, data_dir under the working directory and a SQLite database in it', () => {
    const config = loadConfig({ environment: {} });
    const dataDir = path.resolve(process.cwd(), 'data');
    expect(config).toEqual({
      server: {
        host: '0.0.0.0',
        port: 8080,
        data_dir: dataDir,
        database_url: `sqlite:${path.join(dataDir, 'mixroute.db')}`,
        max_body_bytes: 33_554_432,
        reload_interval_ms: 2000,
        ledger_flush_interval_ms: 50,
        balance_leases: true,
        log_level: 'info',
        shutdown_grace_ms: 30_000,
        workers: 1,
        metrics: { enabled: true },
      },
      routing: {
        max_attempts: 3,
        ping_interval_ms: 15_000,
        session_ttl_ms: 3_600_000,
        breaker: { failure_threshold: 5, error_rate_threshold: 0.5, minimum_requests: 20, window_ms: 60_000, cool_down_ms: 30_000 },
      },
      channels: [],
      keys: [],
      billing: { allow_unpriced: false },
      prices: [],
    });
  });

  it('treats an empty file as an empty configuration', () => {
    const config = load('# nothing here yet\n');
    expect(config.server.port).toBe(8080);
    expect(config.channels).toEqual([]);
  });

  it('reads a channel with ${VAR} substituted and fills in the channel defaults', () => {
    const config = load(CHANNEL, { ANTHROPIC_API_KEY: 'sk-ant-test' });
    expect(config.channels).toHaveLength(1);
    expect(config.channels[0]).toMatchObject({
      name: 'main',
      type: 'anthropic',
      base_url: 'https://api.anthropic.com',
      api_key: 'sk-ant-test',
      models: ['claude-*'],
      model_map: {},
      priority: 0,
      weight: 1,
      timeouts: { connect_ms: 10_000, first_byte_ms: 600_000, idle_ms: 300_000 },
    });
    expect(config.channels[0]!.enabled).toBeUndefined(); // omitted: the stored state is kept
  });

  it('substitutes ${VAR:-default} and keeps $${ literal, typed by YAML after substitution', () => {
    const config = load(
      `server:\n  port: \${GATEWAY_PORT:-9090}\n  host: \${GATEWAY_HOST:-127.0.0.1}\n  secret_key: "$\${NOT_A_VAR}"\n`,
      { GATEWAY_HOST: '::1' },
    );
    expect(config.server.port).toBe(9090);
    expect(config.server.host).toBe('::1');
    expect(config.server.secret_key).toBe('${NOT_A_VAR}');
  });

  it('reads the file named by MIXROUTE_CONFIG when no path is given, and prefers an explicit path', () => {
    const fromEnvironment = writeConfig('server:\n  port: 1111\n', 'a.yaml');
    const explicit = writeConfig('server:\n  port: 2222\n', 'b.yaml');
    expect(loadConfig({ environment: { MIXROUTE_CONFIG: fromEnvironment } }).server.port).toBe(1111);
    expect(loadConfig({ configPath: explicit, environment: { MIXROUTE_CONFIG: fromEnvironment } }).server.port).toBe(2222);
  });

  describe('paths', () => {
    it('resolves a relative data_dir against the directory of the config file, not the working directory', () => {
      const file = writeConfig('server:\n  data_dir: ./state\n', 'conf/nested/mixroute.yaml');
      const config = loadConfig({ configPath: file, environment: {} });
      const expected = path.join(directory, 'conf', 'nested', 'state');
      expect(config.server.data_dir).toBe(expected);
      expect(config.server.database_url).toBe(`sqlite:${path.join(expected, 'mixroute.db')}`);
    });

    it('resolves the default data_dir against the config file directory too', () => {
      expect(load('').server.data_dir).toBe(path.join(directory, 'data'));
    });

    it('keeps an absolute data_dir and an explicit database_url', () => {
      const config = load('server:\n  data_dir: /var/lib/mixroute\n  database_url: postgres://u:p@db/mixroute\n');
      expect(config.server.data_dir).toBe('/var/lib/mixroute');
      expect(config.server.database_url).toBe('postgres://u:p@db/mixroute');
    });

    // BUG: `data_dir: ./data` is resolved against the config file, but a relative SQLite
    // path in `database_url` on the next line is passed on untouched and later opened
    // relative to whatever directory the server was started from, so the same file
    // opens different databases depending on the cwd. Proposed fix: in loadConfig, when
    // database_url is `sqlite:<relative path>` (not `:memory:`), resolve the path against
    // the config file's directory, as is done for data_dir.
    it('resolves a relative sqlite database_url against the config file directory', () => {
      const config = load('server:\n  database_url: sqlite:./db/gateway.db\n');
      expect(config.server.database_url).toBe(`sqlite:${path.join(directory, 'db', 'gateway.db')}`);
    });
  });

  describe('environment overrides', () => {
    it('PORT, HOST and MIXROUTE_* win over the file', () => {
      const config = load(
        'server:\n  port: 1000\n  host: 10.0.0.1\n  data_dir: /file/dir\n  database_url: sqlite:/file.db\n  secret_key: from-file\n',
        {
          PORT: '4321',
          HOST: '127.0.0.1',
          MIXROUTE_DATA_DIR: '/env/dir',
          MIXROUTE_DATABASE_URL: 'postgres://env/db',
          MIXROUTE_SECRET_KEY: 'from-env',
        },
      );
      expect(config.server).toMatchObject({
        port: 4321,
        host: '127.0.0.1',
        data_dir: '/env/dir',
        database_url: 'postgres://env/db',
        secret_key: 'from-env',
      });
    });

    it('MIXROUTE_WORKERS sets the number of worker processes, and must be a whole number', () => {
      expect(load('server:\n  workers: 4\n', { MIXROUTE_WORKERS: '2' }).server.workers).toBe(2);
      expect(load('', { MIXROUTE_WORKERS: '0' }).server.workers).toBe(0);
      expect(() => load('', { MIXROUTE_WORKERS: 'many' })).toThrow(/MIXROUTE_WORKERS must be a whole number/);
    });

    it('derives the default database from an overridden data_dir', () => {
      const config = load('', { MIXROUTE_DATA_DIR: '/srv/mixroute' });
      expect(config.server.database_url).toBe('sqlite:/srv/mixroute/mixroute.db');
    });

    it('ignores overrides set to the empty string', () => {
      const config = load('server:\n  port: 1000\n', { PORT: '', HOST: '' });
      expect(config.server.port).toBe(1000);
      expect(config.server.host).toBe('0.0.0.0');
    });

    it('accepts PORT=0 (any free port)', () => {
      expect(load('', { PORT: '0' }).server.port).toBe(0);
    });

    it('refuses a PORT that is not a port number', () => {
      for (const port of ['http', '80.5', '-1', '65536']) {
        expect(() => load('', { PORT: port })).toThrow(`PORT must be a port number, got ${port}`);
      }
    });
  });

  describe('bad input', () => {
    it('names the missing environment variable', () => {
      expect(() => load(CHANNEL, {})).toThrow('unset environment variable ${ANTHROPIC_API_KEY}');
    });

    it('names the file it cannot read', () => {
      const missing = path.join(directory, 'nope.yaml');
      expect(() => loadConfig({ configPath: missing, environment: {} })).toThrow(
        `cannot read configuration file ${missing}: ENOENT`,
      );
    });

    it('refuses malformed YAML', () => {
      expect(() => load('server:\n  port: [1,\n')).toThrow();
    });

    it('reports each invalid field with its path and the file', () => {
      const file = writeConfig(
        'server:\n  port: 70000\n  log_level: loud\nchannels:\n  - name: bad name\n    type: gemini\n    base_url: ftp://x\n    api_key: k\n    models: [a]\n',
      );
      const message = errorOf(() => loadConfig({ configPath: file, environment: {} }));
      expect(message.split('\n')[0]).toBe(`invalid configuration in ${file}:`);
      expect(message).toMatch(/^ {2}server\.port: /m);
      expect(message).toMatch(/^ {2}server\.log_level: /m);
      expect(message).toMatch(/^ {2}channels\.0\.name: letters, digits, "_", "\." and "-" only$/m);
      expect(message).toMatch(/^ {2}channels\.0\.type: /m);
      expect(message).toMatch(/^ {2}channels\.0\.base_url: /m);
      expect(message.split('\n')).toHaveLength(6);
    });

    it('rejects unknown keys at the root, in server, in a channel and in timeouts', () => {
      const message = errorOf(() =>
        load(
          'servers: {}\nserver:\n  prot: 1\nchannels:\n  - name: a\n    type: anthropic\n    base_url: https://x\n    api_key: k\n    models: [m]\n    wieght: 2\n    timeouts:\n      connect: 5\n',
        ),
      );
      expect(message).toContain('  (root): Unrecognized key: "servers"');
      expect(message).toContain('  server: Unrecognized key: "prot"');
      expect(message).toContain('  channels.0: Unrecognized key: "wieght"');
      expect(message).toContain('  channels.0.timeouts: Unrecognized key: "connect"');
    });

    it('refuses a timeout longer than the longest timer Node.js sets (it would fire at once), and takes that longest one', () => {
      const channel = (timeouts: string) =>
        `channels:\n  - { name: a, type: anthropic, base_url: "https://x", api_key: k, models: [m], timeouts: ${timeouts} }\n`;
      const message = errorOf(() => load(channel('{ connect_ms: 2147483648, first_byte_ms: 3000000000, idle_ms: 2147483648, total_ms: 1e10 }')));
      for (const field of ['connect_ms', 'first_byte_ms', 'idle_ms', 'total_ms']) {
        expect(message).toContain(`  channels.0.timeouts.${field}: must be at most 2147483647 ms (about 24.8 days), the longest timer Node.js sets`);
      }
      const longest = load(channel('{ first_byte_ms: 2147483647, idle_ms: 2147483647, total_ms: 2147483647 }'));
      expect(longest.channels[0]!.timeouts).toMatchObject({ first_byte_ms: 2_147_483_647, idle_ms: 2_147_483_647, total_ms: 2_147_483_647 });
    });

    it('refuses the other delays that become timers (reload, ledger flush, shutdown grace, ping) above the longest timer', () => {
      const message = errorOf(() =>
        load('server: { reload_interval_ms: 2147483648, ledger_flush_interval_ms: 3000000000, shutdown_grace_ms: 1e10 }\nrouting: { ping_interval_ms: 2147483648 }\n'),
      );
      for (const field of ['server.reload_interval_ms', 'server.ledger_flush_interval_ms', 'server.shutdown_grace_ms', 'routing.ping_interval_ms']) {
        expect(message).toContain(`  ${field}: must be at most 2147483647 ms (about 24.8 days), the longest timer Node.js sets`);
      }
      const longest = load('server: { reload_interval_ms: 2147483647, shutdown_grace_ms: 2147483647 }\nrouting: { ping_interval_ms: 2147483647 }\n');
      expect(longest.server).toMatchObject({ reload_interval_ms: 2_147_483_647, shutdown_grace_ms: 2_147_483_647 });
      expect(longest.routing.ping_interval_ms).toBe(2_147_483_647);
    });

    it('needs api_key or api_keys, and models or model_map, on each channel', () => {
      const message = errorOf(() =>
        load(
          'channels:\n' +
            '  - { name: nokey, type: anthropic, base_url: "https://x", models: [m] }\n' +
            '  - { name: nomodels, type: anthropic, base_url: "https://x", api_keys: [k1, k2] }\n' +
            '  - { name: ok, type: anthropic, base_url: "https://x", api_key: k, model_map: { a: b } }\n',
        ),
      );
      expect(message).toBe(
        `invalid configuration in ${path.join(directory, 'mixroute.yaml')}:\n` +
          '  channels.0: a channel needs api_key or api_keys\n' +
          '  channels.1: a channel needs models or model_map',
      );
    });

    it('refuses an empty api_keys list and a key secret shorter than 16 characters', () => {
      const message = errorOf(() =>
        load(
          'channels:\n  - { name: a, type: anthropic, base_url: "https://x", api_keys: [], models: [m] }\nkeys:\n  - { name: k, key: short }\n',
        ),
      );
      expect(message).toMatch(/^ {2}channels\.0\.api_keys: /m);
      expect(message).toMatch(/^ {2}keys\.0\.key: /m);
    });

    it('reports a document that is not a mapping at the root', () => {
      expect(errorOf(() => load('- a\n- b\n'))).toMatch(/^ {2}\(root\): /m);
    });

    // BUG: substitution runs over the raw text, comments included, so a commented-out
    // line such as `# api_key: ${OLD_KEY}` makes the whole configuration fail to load
    // when OLD_KEY is unset. Proposed fix: parse the YAML first (yaml's parseDocument),
    // then substitute inside string scalars only (see the next test).
    it('does not require variables that only appear in comments', () => {
      const config = load(`# api_key: \${OLD_KEY}\nserver:\n  port: 1234 # was \${OLD_PORT}\n`, {});
      expect(config.server.port).toBe(1234);
    });

    // BUG: the substituted value becomes YAML source, so a secret containing ` #` is cut
    // at the comment marker (and one starting with `*`, `&`, `!`, `@` or a quote changes
    // the document or fails to parse). Passphrase secret_keys and upstream keys are
    // exactly the values people put in variables. Proposed fix: substitute after parsing,
    // inside scalar values (re-resolving the type only for plain scalars that were a
    // single `${…}`, so `port: ${PORT}` still yields a number).
    it('keeps a variable value verbatim even when it contains YAML syntax', () => {
      const config = load('server:\n  secret_key: ${SECRET}\n', { SECRET: 'correct horse #battery staple' });
      expect(config.server.secret_key).toBe('correct horse #battery staple');
    });
  });
});
