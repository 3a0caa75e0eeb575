#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { DEFAULT_ADMIN_USER } from './bootstrap/apply-config.js';
import { convertChannelConfig } from './bootstrap/convert-channel-config.js';
import { convertKeyPolicy } from './bootstrap/convert-key-policy.js';
import { openStorage } from './bootstrap/open-storage.js';
import { printStartBanner } from './bootstrap/print-start-banner.js';
import { channelConfigSchema, type Config } from './config/config.js';
import { loadConfig } from './config/load-config.js';
import { startGateway } from './main.js';
import { parseUsdAmount } from './metering/money/usd-amount.js';
import { describeRefusedCredit } from './metering/money/describe-refused-credit.js';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { runClusterPrimary, WORKER_INDEX_VARIABLE } from './bootstrap/run-cluster.js';

const USAGE = `mixroute — an LLM API gateway for Claude

Usage:
  mixroute [serve] [--config FILE] [--port N]     (server.workers / MIXROUTE_WORKERS=N: N processes, 0 = one per core)
  mixroute keys create --name NAME [--user USER] [--key SECRET] [--expires-in-days N]
                      [--models "claude-haiku-*,..."] [--ips "10.0.0.0/8,..."] [--rpm N] [--tpm N] [--concurrency N] [--quota-usd USD]
  mixroute keys list
  mixroute keys revoke NAME_OR_ID
  mixroute channels add --name NAME --base-url URL --api-key KEY --models "claude-*,other"
                        [--type anthropic] [--map client=upstream]... [--priority N] [--weight N] [--auth-header x-api-key|bearer]
  mixroute users list
  mixroute users create NAME [--role admin|user]   (role user by default; an admin's keys can use the admin API)
  mixroute users credit NAME USD         (adds to the user's prepaid balance; the user is billed from then on;
                                          a negative amount goes after --: users credit NAME -- -5)
  mixroute channels list
  mixroute channels remove NAME
  mixroute channels enable NAME | disable NAME

Every command reads the same configuration (--config FILE or MIXROUTE_CONFIG) to find the database.
A running server picks up key and channel changes within server.reload_interval_ms (2 s by default).
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      name: { type: 'string' },
      user: { type: 'string' },
      key: { type: 'string' },
      'expires-in-days': { type: 'string' },
      ips: { type: 'string' },
      rpm: { type: 'string' },
      tpm: { type: 'string' },
      concurrency: { type: 'string' },
      'quota-usd': { type: 'string' },
      type: { type: 'string' },
      'base-url': { type: 'string' },
      'api-key': { type: 'string', multiple: true },
      models: { type: 'string' },
      map: { type: 'string', multiple: true },
      priority: { type: 'string' },
      weight: { type: 'string' },
      'auth-header': { type: 'string' },
      role: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const environment = { ...process.env };
  if (values.port !== undefined) environment.PORT = values.port;
  const config = loadConfig({ configPath: values.config, environment });
  const [command = 'serve', subcommand, argument] = positionals;

  if (command === 'serve') return serve(config);
  if (command === 'keys' || command === 'channels' || command === 'users') {
    const storage = await openStorage(config.server);
    try {
      if (command === 'keys') return await keys(storage, subcommand, argument, values);
      if (command === 'users') return await users(storage, subcommand, argument, positionals[3], values);
      return await channels(storage, subcommand, argument, values);
    } finally {
      await storage.database.close();
    }
  }
  process.stderr.write(`unknown command: ${command}\n\n${USAGE}`);
  return 2;
}

async function serve(config: Config): Promise<number> {
  const workers = config.server.workers === 0 ? availableParallelism() : config.server.workers;
  if (cluster.isPrimary && workers > 1) return runClusterPrimary({ config, workers });
  // Listen for the signal before starting: a stop requested during start-up waits for it, then drains.
  let signal: string | undefined;
  const stopRequested = new Promise<void>((resolve) => {
    const stop = (name: string) => {
      signal ??= name;
      resolve();
    };
    // `on`, not `once`: a second signal (systemd signals every process of the unit, then the primary
    // forwards its own) must not find the default handler and kill the draining process.
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
  const workerIndex = cluster.isWorker ? Number(process.env[WORKER_INDEX_VARIABLE]) : undefined;
  const gateway = await startGateway({ config, ...(workerIndex === undefined ? {} : { worker: { index: workerIndex } }) });
  // In a cluster the primary prints the banner once.
  if (workerIndex === undefined) {
    printStartBanner({
      url: gateway.url,
      databaseUrl: config.server.database_url!,
      channelCount: await gateway.storage.channels.count(),
      activeKeyCount: (await gateway.storage.apiKeys.list()).filter((key) => key.status === 'active').length,
      applied: gateway.applied,
    });
  }
  await stopRequested;
  gateway.logger.info({ signal }, 'shutting down');
  await gateway.close();
  // A worker's channel to the primary would keep it alive.
  cluster.worker?.disconnect();
  return 0;
}

type Storage = Awaited<ReturnType<typeof openStorage>>;
type Values = Record<string, string | boolean | string[] | undefined>;

function required(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

class UsageError extends Error {}

async function keys(storage: Storage, subcommand: string | undefined, argument: string | undefined, values: Values): Promise<number> {
  switch (subcommand) {
    case 'create': {
      const userName = (values.user as string | undefined) ?? DEFAULT_ADMIN_USER;
      const user = await storage.users.ensure({ name: userName, role: userName === DEFAULT_ADMIN_USER ? 'admin' : 'user' });
      const days = values['expires-in-days'] === undefined ? undefined : Number(values['expires-in-days']);
      if (days !== undefined && !(days > 0)) throw new UsageError('--expires-in-days must be a positive number');
      const { apiKey, secret } = await storage.apiKeys.create({
        userId: user.id,
        name: required(values, 'name'),
        ...(typeof values.key === 'string' ? { secret: values.key } : {}),
        ...(days !== undefined ? { expiresAt: Date.now() + days * 86_400_000 } : {}),
        policy: parseKeyPolicy(values),
      });
      process.stdout.write(`Created key "${apiKey.name}" (${apiKey.id}) for user ${userName}.\n${secret}\nThis secret is shown once; it is stored hashed.\n`);
      return 0;
    }
    case 'list': {
      const rows = await storage.apiKeys.list();
      const users = new Map((await storage.users.list()).map((user) => [user.id, user.name]));
      process.stdout.write(
        formatTable(
          ['ID', 'NAME', 'PREFIX', 'USER', 'STATUS', 'CREATED', 'EXPIRES'],
          rows.map((key) => [key.id, key.name, `${key.prefix}…`, users.get(key.userId) ?? key.userId, key.status, isoDate(key.createdAt), key.expiresAt ? isoDate(key.expiresAt) : '-']),
        ),
      );
      return 0;
    }
    case 'revoke': {
      if (!argument) throw new UsageError('keys revoke needs a key name or id');
      if (!(await storage.apiKeys.revoke(argument))) {
        process.stderr.write(`no active key named or with id ${argument}\n`);
        return 1;
      }
      process.stdout.write(`Revoked ${argument}.\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown keys command: ${subcommand ?? '(none)'}`);
  }
}

async function channels(storage: Storage, subcommand: string | undefined, argument: string | undefined, values: Values): Promise<number> {
  switch (subcommand) {
    case 'add': {
      const modelMap: Record<string, string> = {};
      for (const entry of (values.map as string[] | undefined) ?? []) {
        const [client, upstream] = entry.split('=');
        if (!client || !upstream) throw new UsageError(`--map takes client=upstream, got ${entry}`);
        modelMap[client] = upstream;
      }
      const parsed = channelConfigSchema.safeParse({
        name: values.name,
        type: values.type ?? 'anthropic',
        base_url: values['base-url'],
        api_keys: values['api-key'],
        models: typeof values.models === 'string' ? values.models.split(',').map((model) => model.trim()).filter(Boolean) : [],
        model_map: modelMap,
        ...(values.priority !== undefined ? { priority: Number(values.priority) } : {}),
        ...(values.weight !== undefined ? { weight: Number(values.weight) } : {}),
        ...(values['auth-header'] !== undefined ? { auth_header: values['auth-header'] } : {}),
      });
      if (!parsed.success) {
        throw new UsageError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'channel'}: ${issue.message}`).join('; '));
      }
      const existing = await storage.channels.findByName(parsed.data.name);
      if (existing?.source === 'config') throw new UsageError(`channel ${parsed.data.name} is declared in the configuration file; change it there`);
      await storage.channels.upsert(convertChannelConfig(parsed.data, 'cli'));
      process.stdout.write(`${existing ? 'Updated' : 'Added'} channel "${parsed.data.name}".\n`);
      return 0;
    }
    case 'list': {
      const rows = await storage.channels.list();
      process.stdout.write(
        formatTable(
          ['NAME', 'TYPE', 'BASE URL', 'MODELS', 'PRIORITY', 'WEIGHT', 'KEYS', 'ENABLED', 'SOURCE'],
          rows.map((channel) => [
            channel.name,
            channel.type,
            channel.baseUrl,
            [...channel.models, ...Object.entries(channel.modelMap).map(([from, to]) => `${from}→${to}`)].join(','),
            String(channel.priority),
            String(channel.weight),
            String(channel.credentials.apiKeys.length),
            channel.enabled ? 'yes' : 'no',
            channel.source,
          ]),
        ),
      );
      return 0;
    }
    case 'remove':
    case 'enable':
    case 'disable': {
      if (!argument) throw new UsageError(`channels ${subcommand} needs a channel name`);
      const found = subcommand === 'remove' ? await storage.channels.remove(argument) : await storage.channels.setEnabled(argument, subcommand === 'enable');
      if (!found) {
        process.stderr.write(`no channel named ${argument}\n`);
        return 1;
      }
      process.stdout.write(`Channel ${argument}: ${subcommand === 'remove' ? 'removed' : `${subcommand}d`}.\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown channels command: ${subcommand ?? '(none)'}`);
  }
}

async function users(storage: Storage, subcommand: string | undefined, name: string | undefined, amount: string | undefined, values: Values): Promise<number> {
  switch (subcommand) {
    case 'create': {
      if (!name) throw new UsageError('users create NAME [--role admin|user]');
      const role = (values.role as string | undefined) ?? 'user';
      if (role !== 'admin' && role !== 'user') throw new UsageError('--role must be admin or user');
      if (await storage.users.findByName(name)) {
        process.stderr.write(`a user named ${name} already exists\n`);
        return 1;
      }
      const user = await storage.users.ensure({ name, role });
      process.stdout.write(`Created ${role} ${name} (${user.id}). Give them a key: mixroute keys create --name NAME --user ${name}\n`);
      return 0;
    }
    case 'list': {
      const rows = await storage.users.list();
      process.stdout.write(
        formatTable(
          ['NAME', 'ROLE', 'BALANCE USD', 'CREATED'],
          rows.map((user) => [user.name, user.role, user.balanceNanoUsd === null ? 'not billed' : (user.balanceNanoUsd / 1e9).toFixed(9), isoDate(user.createdAt)]),
        ),
      );
      return 0;
    }
    case 'credit': {
      if (!name || !amount || !/^-?\d+(\.\d{1,9})?$/.test(amount)) throw new UsageError('users credit NAME USD, e.g. users credit alice 25.50');
      const [whole, fraction = ''] = amount.replace('-', '').split('.');
      const nano = (BigInt(whole!) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'))) * (amount.startsWith('-') ? -1n : 1n);
      await storage.users.ensure({ name, role: name === DEFAULT_ADMIN_USER ? 'admin' : 'user' });
      if (!(await storage.users.credit(name, Number(nano)))) {
        const shown = (await storage.users.findByName(name))?.balanceNanoUsd ?? 0;
        process.stderr.write(`${describeRefusedCredit({ name, shownNanoUsd: shown, amountNanoUsd: Number(nano) })}\n`);
        return 1;
      }
      const user = await storage.users.findByName(name);
      process.stdout.write(`Balance of ${name}: $${(user!.balanceNanoUsd! / 1e9).toFixed(9)}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown users command: ${subcommand ?? '(none)'}`);
  }
}

function parseKeyPolicy(values: Values) {
  const list = (name: string) => (typeof values[name] === 'string' ? (values[name] as string).split(',').map((item) => item.trim()).filter(Boolean) : undefined);
  const count = (name: string) => {
    if (values[name] === undefined) return undefined;
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value <= 0) throw new UsageError(`--${name} must be a positive whole number`);
    return value;
  };
  const quota = values['quota-usd'];
  if (quota !== undefined && (typeof quota !== 'string' || (parseUsdAmount(quota) ?? -1) < 0)) throw new UsageError('--quota-usd must be an amount in USD, e.g. 50 or 12.50');
  const limits = { requests_per_minute: count('rpm'), tokens_per_minute: count('tpm'), concurrent_requests: count('concurrency'), ...(quota === undefined ? {} : { quota_usd: quota }) };
  return convertKeyPolicy({ models: list('models'), allowed_ips: list('ips'), limits });
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`mixroute: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!(error instanceof UsageError) && process.env.MIXROUTE_DEBUG) console.error(error);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
