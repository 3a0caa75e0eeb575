/** `server.gc_threads`: how V8 collects garbage in a serving process. */
export type GcThreadsSetting = 'auto' | 'single' | 'parallel';

/**
 * Whether a serving process collects garbage on its main thread alone
 * (`--single-threaded-gc`) or with V8's parallel and concurrent helper threads.
 *
 * The helpers only shorten a pause when they have a core of their own. A
 * process with one core (pinned with `taskset`, or one of as many workers as
 * there are cores) runs them by turns with its main thread: a young-generation
 * collection then waits for helper threads to be scheduled and synchronised,
 * and the pause every request in flight sits through grows. `auto` therefore
 * collects on one thread when the processes serving on this machine are at
 * least as many as the cores this process may run on, and in parallel otherwise.
 */
export function chooseGcThreads(options: { setting: GcThreadsSetting; cores: number; processes: number }): 'single' | 'parallel' {
  if (options.setting !== 'auto') return options.setting;
  return options.processes >= options.cores ? 'single' : 'parallel';
}
