import { createRequire } from 'node:module';
import { stat } from 'node:fs/promises';
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

/** The log size at which the checkpointer thread starts: an idle gateway does not need it (nor its memory). */
const START_AT_WAL_BYTES = 1024 * 1024;
/** How often the log's size is looked at until then (an asynchronous stat, off the event loop's hot path). */
const WATCH_INTERVAL_MS = 500;

/**
 * Checkpoints the SQLite database at `path` every `intervalMs` from a worker
 * thread, started once the write-ahead log first reaches 1 MiB (so a gateway
 * that writes nothing never pays for the thread). The caller raises the
 * automatic-checkpoint threshold of its own connection. The worker does not
 * keep the process alive.
 */
export function startBackgroundCheckpoints(options: { path: string; intervalMs: number; onError?: (message: string) => void }): BackgroundCheckpoints {
  let worker: Worker | undefined;
  let exited: Promise<void> | undefined;
  let stopped = false;
  const start = () => {
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path: options.path, intervalMs: options.intervalMs, driverPath },
      stdout: false,
      stderr: false,
    });
    worker.on('message', (message: { error?: string }) => message.error && options.onError?.(message.error));
    worker.on('error', (error) => options.onError?.(String(error)));
    worker.unref();
    const started = worker;
    exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
  };
  let watching = false;
  const watcher = setInterval(() => {
    if (watching || worker || stopped) return;
    watching = true;
    stat(`${options.path}-wal`)
      .then((wal) => {
        if (wal.size >= START_AT_WAL_BYTES && !worker && !stopped) {
          clearInterval(watcher);
          start();
        }
      })
      .catch(() => undefined)
      .finally(() => (watching = false));
  }, WATCH_INTERVAL_MS);
  watcher.unref();
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearInterval(watcher);
        if (!worker) return;
        worker.postMessage('stop');
        const running = worker;
        const deadline = setTimeout(() => void running.terminate(), 5_000);
        await exited;
        clearTimeout(deadline);
      })();
      return stopping;
    },
  };
}
