import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config/config.js';
import { listLedgerJournals } from '../metering/ledger-journal-files.js';
import { applyConfig } from './apply-config.js';
import { createLogger } from './create-logger.js';
import { openStorage } from './open-storage.js';
import { printStartBanner } from './print-start-banner.js';
import { recoverLedgerJournals } from './recover-ledger-journals.js';

/** The environment variable that tells a forked worker its index (0-based). */
export const WORKER_INDEX_VARIABLE = 'MIXROUTE_WORKER_INDEX';

/** Consecutive failed starts after which the primary gives up instead of restarting forever. */
const MAX_FAILED_STARTS = 5;

/**
 * The primary of `serve` with `server.workers` > 1: several worker processes
 * (node:cluster) share the one listening port, so the gateway uses every
 * core. The primary accepts no requests; it:
 *
 * 1. applies the configuration once and replays every ledger journal left
 *    by an earlier run (no process is appending to them yet);
 * 2. forks the workers, each a full gateway on the shared database, with its
 *    own ledger journal (`ledger.worker-N.journal`);
 * 3. restarts a worker that dies (the new one replays its predecessor's
 *    journal), giving up after repeated failed starts;
 * 4. on SIGTERM or SIGINT, lets every worker drain (`shutdown_grace_ms`),
 *    replays any journal a worker left, and exits.
 *
 * Connections are spread round-robin by the primary (node's default on
 * Linux). State that each worker keeps in memory — circuit breakers, session
 * affinity, the key cache — is per worker; rate limits are too, unless
 * `redis_url` shares them (the primary warns when it is missing).
 */
export async function runClusterPrimary(options: { config: Config; workers: number }): Promise<number> {
  const { config, workers } = options;
  const logger = createLogger(config.server);
  const storage = await openStorage(config.server);
  let banner: Omit<Parameters<typeof printStartBanner>[0], 'url'>;
  try {
    const applied = await applyConfig({ config, storage, environment: process.env });
    await recoverLedgerJournals({ files: listLedgerJournals(config.server.data_dir), storage, logger });
    banner = {
      databaseUrl: config.server.database_url!,
      channelCount: await storage.channels.count(),
      activeKeyCount: (await storage.apiKeys.list()).filter((key) => key.status === 'active').length,
      applied,
    };
    if (!config.server.redis_url && (await storage.apiKeys.list()).some((key) => key.policy.requestsPerMinute || key.policy.tokensPerMinute || key.policy.concurrentRequests)) {
      logger.warn({ workers }, 'rate limits are kept in each worker process without redis_url: a key may get up to workers × its limit; set REDIS_URL to share them');
    }
  } finally {
    await storage.database.close();
  }

  let stopping = false;
  let failedStarts = 0;
  let bannerShown = false;
  const live = new Map<number, Worker>();
  let allExited: (() => void) | undefined;

  const fork = (index: number) => {
    let listening = false;
    const worker = cluster.fork({ [WORKER_INDEX_VARIABLE]: String(index) });
    live.set(index, worker);
    worker.once('listening', (address) => {
      listening = true;
      failedStarts = 0;
      if (bannerShown) return;
      bannerShown = true;
      const host = !address.address || address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
      printStartBanner({ ...banner, url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}` });
      process.stdout.write(`(${workers} worker processes)\n`);
    });
    worker.once('exit', (code, signal) => {
      live.delete(index);
      if (stopping) {
        if (live.size === 0) allExited?.();
        return;
      }
      if (!listening) failedStarts++;
      if (failedStarts >= MAX_FAILED_STARTS) {
        logger.fatal({ worker: index, code, signal }, 'workers keep failing to start; shutting down');
        void shutdown(1);
        return;
      }
      logger.error({ worker: index, code, signal }, 'worker exited; starting a new one');
      setTimeout(() => !stopping && fork(index), Math.min(5_000, 250 * 2 ** failedStarts)).unref();
    });
  };

  let exitCode = 0;
  let finished: (() => void) | undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    const exited = live.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (allExited = resolve));
    for (const worker of live.values()) worker.process.kill('SIGTERM');
    await exited;
    // Every worker is gone: rows a worker journaled but never wrote (it died, or was stopped while starting) go in now.
    try {
      const storage = await openStorage(config.server);
      try {
        await recoverLedgerJournals({ files: listLedgerJournals(config.server.data_dir), storage, logger });
      } finally {
        await storage.database.close();
      }
    } catch (error) {
      logger.error({ err: error }, 'replaying the workers\' ledger journals failed; the next start will retry');
      exitCode = 1;
    }
    finished?.();
  };
  // `on`, not `once`: a repeated signal must not kill the primary while its workers drain.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      logger.info({ signal }, 'shutting down workers');
      void shutdown(0);
    });
  }
  for (let index = 0; index < workers; index++) fork(index);
  await done;
  return exitCode;
}
