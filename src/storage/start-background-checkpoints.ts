import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface BackgroundCheckpoints {
  /** Stops the checkpointer and closes its connection. */
  stop(): Promise<void>;
}

/**
 * The checkpointer, run in its own thread with its own connection. A WAL
 * checkpoint copies committed pages into the database file and fsyncs it;
 * on this kind of disk the fsync alone takes 5–25 ms. Left to SQLite's
 * automatic checkpoints, it happens inside whichever commit crosses the
 * threshold — on the event loop, stalling every request in flight. Here a
 * PASSIVE checkpoint (never waits for the writer, never blocks it) runs on a
 * timer in another thread instead.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * Starts checkpointing the SQLite database at `path` every `intervalMs` from
 * a worker thread. The caller turns automatic checkpoints off on its own
 * connection (`wal_autocheckpoint = 0`). The worker does not keep the process
 * alive.
 */
export function startBackgroundCheckpoints(options: { path: string; intervalMs: number; onError?: (message: string) => void }): BackgroundCheckpoints {
  const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path: options.path, intervalMs: options.intervalMs, driverPath },
    // It holds almost nothing: small heaps keep its memory to a few MiB.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16, stackSizeMb: 1 },
    stdout: false,
    stderr: false,
  });
  worker.on('message', (message: { error?: string }) => message.error && options.onError?.(message.error));
  worker.on('error', (error) => options.onError?.(String(error)));
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        worker.postMessage('stop');
        const deadline = setTimeout(() => void worker.terminate(), 5_000);
        await exited;
        clearTimeout(deadline);
      })();
      return stopping;
    },
  };
}
