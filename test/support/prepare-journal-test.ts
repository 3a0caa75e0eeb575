import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayFixture, startFakeAnthropicUpstream } from './fake-anthropic-upstream.js';
import { ROOT } from './start-built-server.js';

/**
 * What the ledger-durability tests of the built CLI share: dist/ built, a fake
 * Anthropic upstream replaying the text fixture event by event, and a
 * directory holding `mixroute.yaml` with one channel to it and one key. Rows
 * reach the database only at shutdown (or from a journal), so the tests see
 * what the journals saved. `server` adds settings to the server line.
 */
export async function prepareJournalTest(options: { name: string; key: string; server?: string }): Promise<{ directory: string; close(): Promise<void> }> {
  execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  const upstream = await startFakeAnthropicUpstream({ handler: replayFixture('text', { split: 'events', delayMs: 2 }) });
  const directory = await mkdtemp(join(tmpdir(), `mixroute-${options.name}-`));
  await writeFile(
    join(directory, 'mixroute.yaml'),
    [
      `server: { host: 127.0.0.1, port: 0, data_dir: ./data, log_level: warn, ledger_flush_interval_ms: 600000${options.server ? `, ${options.server}` : ''} }`,
      `channels: [ { name: fake, type: anthropic, base_url: "${upstream.url}", api_key: sk-ant-x, models: ["claude-*"] } ]`,
      `keys: [ { name: load, key: ${options.key} } ]`,
    ].join('\n'),
  );
  return {
    directory,
    close: async () => {
      await upstream.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
