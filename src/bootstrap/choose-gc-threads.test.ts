import { describe, expect, it } from 'vitest';
import { chooseGcThreads } from './choose-gc-threads.js';

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
