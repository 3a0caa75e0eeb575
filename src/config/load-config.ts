import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema, type Config } from './config.js';
import { substituteEnvironmentVariables } from './substitute-environment-variables.js';

/**
 * Reads the configuration once into a typed Config: the YAML file named by
 * the `--config` flag or `MIXROUTE_CONFIG` (none is fine: every setting has a
 * default), `${ENV}` substitution, then `PORT`, `HOST` and
 * `MIXROUTE_DATABASE_URL` / `MIXROUTE_DATA_DIR` / `MIXROUTE_SECRET_KEY` overrides.
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
    raw = parseYaml(substituteEnvironmentVariables({ text, environment })) ?? {};
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
  if (environment.MIXROUTE_DATA_DIR) server.data_dir = environment.MIXROUTE_DATA_DIR;
  if (environment.MIXROUTE_DATABASE_URL) server.database_url = environment.MIXROUTE_DATABASE_URL;
  if (environment.MIXROUTE_DATABASE_SCHEMA) server.database_schema = environment.MIXROUTE_DATABASE_SCHEMA;
  if (environment.MIXROUTE_SECRET_KEY) server.secret_key = environment.MIXROUTE_SECRET_KEY;
  // Relative paths in a config file are relative to the file, not to wherever the server was started.
  const base = configPath ? path.dirname(path.resolve(configPath)) : process.cwd();
  server.data_dir = path.resolve(base, server.data_dir);
  server.database_url ??= `sqlite:${path.join(server.data_dir, 'mixroute.db')}`;
  return config;
}
