import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOpenAIStreamUsageTap } from './create-openai-stream-usage-tap.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/openai/stream/${name}.sse`, import.meta.url));

function tap(bytes: Buffer, cut?: number) {
  const usageTap = createOpenAIStreamUsageTap();
  if (cut === undefined) usageTap.push(bytes);
  else {
    usageTap.push(bytes.subarray(0, cut));
    usageTap.push(bytes.subarray(cut));
  }
  usageTap.end();
  return usageTap.result();
}

describe('createOpenAIStreamUsageTap on recorded streams', () => {
  it.each([
    // name, input (prompt − cached), output, cache read, finish reason
    ['text', 16, 300, 0, 'stop'],
    ['deepseek-text', 13, 400, 0, 'length'],
    ['deepseek-reasoning', 18, 219, 0, 'stop'],
    ['deepseek-tool-call', 19, 83, 320, 'tool_calls'],
    // xAI leaves reasoning out of completion_tokens: output is total − prompt.
    ['xai-text', 1, 342, 11, 'stop'],
    ['xai-tool-call', 1, 253, 306, 'tool_calls'],
  ])('%s', (name, input, output, cacheRead, finishReason) => {
    const summary = tap(fixture(name));
    expect(summary.sawUsage).toBe(true);
    expect(summary.usage).toMatchObject({ inputTokens: input, outputTokens: output, cacheReadTokens: cacheRead, cacheWrite5mTokens: 0 });
    expect(summary.finishReason).toBe(finishReason);
    expect(summary.sawDone).toBe(true);
  });

  it('a stream without a usage chunk says so, and a [DONE] without a final blank line is not an event', () => {
    const summary = tap(fixture('anthropic-compat-tool-call'));
    expect(summary.sawUsage).toBe(false);
    expect(summary.usage.outputTokens).toBe(0);
    expect(summary.finishReason).toBe('tool_calls');
  });

  // Every cut of a 100 KB recording is 10^5 full parses; the cuts that matter are those near
  // event boundaries (a line end split from its twin, a `data:` prefix split) and inside the
  // usage chunk, plus a stride through everything else.
  it('gives the same summary for two-way cuts near every event boundary, through the usage chunk, and every 211th byte', () => {
    for (const name of ['text', 'deepseek-text', 'deepseek-reasoning', 'deepseek-tool-call', 'xai-text', 'xai-tool-call', 'anthropic-compat-tool-call']) {
      const bytes = fixture(name);
      const whole = tap(bytes);
      const cuts = new Set<number>();
      for (let at = bytes.indexOf('\n\n'); at !== -1; at = bytes.indexOf('\n\n', at + 1)) {
        for (let cut = at - 2; cut <= at + 2; cut++) if (cut > 0 && cut < bytes.length) cuts.add(cut);
      }
      const usageAt = bytes.lastIndexOf('"usage":{');
      if (usageAt !== -1) for (let cut = Math.max(1, usageAt - 200); cut < Math.min(bytes.length, usageAt + 400); cut++) cuts.add(cut);
      for (let cut = 1; cut < bytes.length; cut += 211) cuts.add(cut);
      for (const cut of cuts) expect(tap(bytes, cut), `${name} cut at ${cut}`).toEqual(whole);
    }
  });

  it('reads an error payload and never throws on garbage', () => {
    const usageTap = createOpenAIStreamUsageTap();
    usageTap.push(Buffer.from('data: {not json "usage":{\n\ndata: {"error":{"type":"server_error","message":"boom"}}\n\n'));
    usageTap.end();
    expect(usageTap.result().error).toEqual({ type: 'server_error', message: 'boom' });
  });
});
