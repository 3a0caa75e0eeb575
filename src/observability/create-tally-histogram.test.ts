import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createTallyHistogram } from './create-tally-histogram.js';

describe('createTallyHistogram', () => {
  it("renders exactly what prom-client's Histogram renders for the same observations", async () => {
    const buckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5];
    const ours = new Registry();
    const theirs = new Registry();
    const tally = createTallyHistogram({ name: 'x_seconds', help: 'Some time.', buckets, registers: [ours] });
    const reference = new Histogram({ name: 'x_seconds', help: 'Some time.', labelNames: ['dialect', 'stream'], buckets, registers: [theirs] });
    const samples: Array<[Record<string, string>, number]> = [
      [{ dialect: 'anthropic', stream: 'false' }, 0.01],
      [{ dialect: 'anthropic', stream: 'false' }, 0.05],
      [{ dialect: 'anthropic', stream: 'false' }, 0.7],
      [{ dialect: 'anthropic', stream: 'false' }, 30],
      [{ dialect: 'openai', stream: 'true' }, 0.25],
      [{ dialect: 'openai', stream: 'true' }, 2.5],
    ];
    const children = new Map<string, ReturnType<typeof tally.child>>();
    for (const [labels, value] of samples) {
      const key = JSON.stringify(labels);
      if (!children.has(key)) children.set(key, tally.child(labels));
      children.get(key)!.observe(value);
      reference.observe(labels, value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain('x_seconds_bucket{le="0.05",dialect="anthropic",stream="false"} 2');
  });

  it('reset() zeroes the counts but keeps the label sets', async () => {
    const registry = new Registry();
    const tally = createTallyHistogram({ name: 'y_seconds', help: 'h', buckets: [1], registers: [registry] });
    tally.child({ a: 'b' }).observe(0.5);
    registry.resetMetrics();
    expect(await registry.metrics()).toContain('y_seconds_count{a="b"} 0');
  });
});
