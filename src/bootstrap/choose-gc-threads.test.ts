import { describe, expect, it } from 'vitest';
import { chooseGcThreads, gcThreadsOf, withGcThreads } from './choose-gc-threads.js';

describe('chooseGcThreads', () => {
  it('collects on one thread when every core already has a serving process', () => {
    expect(chooseGcThreads({ setting: 'auto', cores: 1, processes: 1 })).toBe('single');
    expect(chooseGcThreads({ setting: 'auto', cores: 4, processes: 4 })).toBe('single');
    expect(chooseGcThreads({ setting: 'auto', cores: 2, processes: 8 })).toBe('single');
  });

  it('keeps the parallel helpers when a core is spare', () => {
    expect(chooseGcThreads({ setting: 'auto', cores: 2, processes: 1 })).toBe('parallel');
    expect(chooseGcThreads({ setting: 'auto', cores: 8, processes: 4 })).toBe('parallel');
  });

  it('does what the operator set, whatever the cores', () => {
    expect(chooseGcThreads({ setting: 'single', cores: 8, processes: 1 })).toBe('single');
    expect(chooseGcThreads({ setting: 'parallel', cores: 1, processes: 1 })).toBe('parallel');
  });
});

describe('gcThreadsOf and withGcThreads', () => {
  it('reads the last GC-threads flag of a command line, in either spelling', () => {
    expect(gcThreadsOf([])).toBe('parallel');
    expect(gcThreadsOf(['--single-threaded-gc'])).toBe('single');
    expect(gcThreadsOf(['--single_threaded_gc'])).toBe('single');
    expect(gcThreadsOf(['--single-threaded-gc', '--no-single-threaded-gc'])).toBe('parallel');
    expect(gcThreadsOf(['--no-single-threaded-gc', '--max-old-space-size=512', '--single-threaded-gc'])).toBe('single');
  });

  it('gives a command line that runs as asked, keeping the other flags', () => {
    const flags = ['--max-old-space-size=512', '--no-single-threaded-gc', '--enable-source-maps'];
    expect(withGcThreads(flags, 'single')).toEqual(['--max-old-space-size=512', '--enable-source-maps', '--single-threaded-gc']);
    expect(withGcThreads(['--single-threaded-gc', '--enable-source-maps'], 'parallel')).toEqual(['--enable-source-maps']);
    for (const wanted of ['single', 'parallel'] as const) expect(gcThreadsOf(withGcThreads(flags, wanted))).toBe(wanted);
  });
});
