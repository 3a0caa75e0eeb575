import type { AppliedConfig } from './apply-config.js';

/**
 * What a newcomer needs on the console at start: where the server listens,
 * and, while there is no key or no channel yet, the exact commands to add them.
 */
export function printStartBanner(options: {
  url: string;
  databaseUrl: string;
  channelCount: number;
  activeKeyCount: number;
  applied: AppliedConfig;
  write?: (text: string) => void;
}): void {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const lines = [`mixroute listening on ${options.url} (storage: ${redactUrl(options.databaseUrl)})`];
  if (options.applied.bootstrappedAnthropicChannel) {
    lines.push('Created channel "anthropic" (https://api.anthropic.com, models claude-*) from ANTHROPIC_API_KEY.');
  }
  for (const key of options.applied.createdKeys) {
    lines.push(`Created API key "${key.name}" from the configuration: ${key.secret}`, '  (shown once; it is stored hashed)');
  }
  if (options.channelCount === 0) {
    lines.push(
      'No channel yet: nothing can be served. Add one:',
      '  npm run cli -- channels add --name anthropic --type anthropic --base-url https://api.anthropic.com --api-key sk-ant-... --models "claude-*"',
      '  (or set ANTHROPIC_API_KEY before the first start, or declare channels in a config file: MIXROUTE_CONFIG=mixroute.yaml)',
    );
  }
  if (options.activeKeyCount === 0) {
    lines.push('No API key yet: every request will get 401. Create one (its secret is shown once):', '  npm run cli -- keys create --name me');
  }
  if (options.channelCount > 0 && options.activeKeyCount > 0) {
    lines.push(`Point Claude Code at it: ANTHROPIC_BASE_URL=${options.url} ANTHROPIC_AUTH_TOKEN=<your key> claude`);
  }
  write(`${lines.join('\n')}\n`);
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
