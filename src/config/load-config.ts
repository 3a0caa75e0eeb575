import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema, type Config } from './config.js';
import { substituteEnvironmentVariables } from './substitute-environment-variables.js';

/**
 * Reads the configuration once into a typed Config: the YAML file named by
 * the `--config` flag or `MIXROUTE_CONFIG` (none is fine: every setting has a
 * default), `${ENV}` substitution, then `PORT`, `HOST` and
 * `MIXROUTE_DATABASE_URL` / `MIXROUTE_DATA_DIR` / `MIXROUTE_SECRET_KEY` /
 * `MIXROUTE_WORKERS` overrides.
 */
export function loadConfig(options: {
  configPath?: string | undefined;
  environment?: Record<string, string | undefined>;
}): Config {
  const environment = options.environment ?? process.env;
  const configPath = options.configPath ?? environment.MIXROUTE_CONFIG;
  let raw: unknown = {};
  if (configPath) {
    let text: string;
    try {
      text = readFileSync(configPath, 'utf8');
    } catch (error) {
      throw new Error(`cannot read configuration file ${configPath}: ${(error as Error).message}`);
    }
    let document: unknown;
    try {
      document = parseYaml(text);
    } catch (error) {
      throw new Error(`cannot parse configuration file ${configPath}: ${(error as Error).message}`);
    }
    raw = substituteInValues(document, environment) ?? {};
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('\n');
    throw new Error(`invalid configuration${configPath ? ` in ${configPath}` : ''}:\n${problems}`);
  }
  const config = parsed.data;
  const server = config.server;
  if (environment.PORT) {
    const port = Number(environment.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got ${environment.PORT}`);
    server.port = port;
  }
  if (environment.HOST) server.host = environment.HOST;
  // An environment variable is relative to where the server starts, not to the config file.
  if (environment.MIXROUTE_DATA_DIR) server.data_dir = path.resolve(environment.MIXROUTE_DATA_DIR);
  if (environment.MIXROUTE_DATABASE_URL) server.database_url = environment.MIXROUTE_DATABASE_URL;
  if (environment.MIXROUTE_DATABASE_SCHEMA) server.database_schema = environment.MIXROUTE_DATABASE_SCHEMA;
  if (environment.MIXROUTE_SECRET_KEY) server.secret_key = environment.MIXROUTE_SECRET_KEY;
  if (environment.REDIS_URL) server.redis_url = environment.REDIS_URL;
  if (environment.MIXROUTE_WORKERS) {
    const workers = Number(environment.MIXROUTE_WORKERS);
    if (!Number.isInteger(workers) || workers < 0 || workers > 256) throw new Error(`MIXROUTE_WORKERS must be a whole number from 0 to 256, got ${environment.MIXROUTE_WORKERS}`);
    server.workers = workers;
  }
  // Relative paths in a config file are relative to the file, not to wherever the server was started.
  const base = configPath ? path.dirname(path.resolve(configPath)) : process.cwd();
  server.data_dir = path.resolve(base, server.data_dir);
  server.database_url ??= `sqlite:${path.join(server.data_dir, 'mixroute.db')}`;
  const sqlitePath = /^sqlite:(?!\/\/)(.+)$/i.exec(server.database_url)?.[1];
  if (sqlitePath && sqlitePath !== ':memory:' && !path.isAbsolute(sqlitePath)) server.database_url = `sqlite:${path.resolve(base, sqlitePath)}`;
  return config;
}

const WHOLE_PLACEHOLDER = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

/**
 * Substitutes `${NAME}` inside the parsed document's string values, so a
 * secret is taken verbatim (a `#` or a leading `*` in it is not YAML syntax)
 * and commented-out lines need no variables. A value that was nothing but one
 * placeholder gets a number or boolean type back when it reads as one, so
 * `port: ${PORT}` is still a number.
 */
function substituteInValues(value: unknown, environment: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    const substituted = substituteEnvironmentVariables({ text: value, environment });
    if (WHOLE_PLACEHOLDER.test(value)) {
      if (/^-?\d+(\.\d+)?$/.test(substituted)) return Number(substituted);
      if (substituted === 'true' || substituted === 'false') return substituted === 'true';
    }
    return substituted;
  }
  if (Array.isArray(value)) return value.map((item) => substituteInValues(item, environment));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteInValues(item, environment)]));
  }
  return value;
}
