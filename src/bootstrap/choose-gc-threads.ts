/** `server.gc_threads`: how V8 collects garbage in a serving process. */
export type GcThreadsSetting = 'auto' | 'single' | 'parallel';

/** V8's flag for collecting on the main thread alone. It must be on node's command line: V8 cannot change it once running. */
export const SINGLE_THREADED_GC_FLAG = '--single-threaded-gc';

/**
 * Whether a serving process should collect garbage on its main thread alone
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

/** How a process started with these node flags collects: the last of `--single-threaded-gc` and its `--no-` form wins. */
export function gcThreadsOf(execArgv: readonly string[]): 'single' | 'parallel' {
  for (let index = execArgv.length - 1; index >= 0; index--) {
    const flag = execArgv[index]!.replaceAll('_', '-');
    if (flag === SINGLE_THREADED_GC_FLAG) return 'single';
    if (flag === '--no-single-threaded-gc') return 'parallel';
  }
  return 'parallel';
}

/** Node flags for a process to start with `gcThreads`: these, without any GC-threads flag, plus the one it needs. */
export function withGcThreads(execArgv: readonly string[], gcThreads: 'single' | 'parallel'): string[] {
  const others = execArgv.filter((flag) => {
    const normalized = flag.replaceAll('_', '-');
    return normalized !== SINGLE_THREADED_GC_FLAG && normalized !== '--no-single-threaded-gc';
  });
  return gcThreads === 'single' ? [...others, SINGLE_THREADED_GC_FLAG] : others;
}
