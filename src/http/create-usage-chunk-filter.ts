import type { ClientDialect } from './client-dialect.js';
import { createWholeEventStream } from './create-whole-event-stream.js';
import type { StreamTransform } from './stream-transform.js';

/**
 * A Chat Completions stream passed through whole events at a time, minus the
 * usage-only chunk (`"choices":[]` with a `usage`) that mixroute asked the
 * upstream for on the client's behalf (see buildOpenAIPassthroughRequest):
 * the client did not ask for it, and the OpenAI SDK would hand it to code that
 * expects a choice in every chunk.
 */
const USAGE_OBJECT = /"usage"\s*:\s*\{/;

export function createUsageChunkFilter(options: { dialect: ClientDialect; requestId: string }): StreamTransform {
  const whole = createWholeEventStream(options);
  const strip = (out: Buffer | Buffer[] | undefined): Buffer | undefined => {
    const bytes = Array.isArray(out) ? Buffer.concat(out) : out;
    if (!bytes || !USAGE_OBJECT.test(bytes.toString('latin1'))) return bytes;
    const kept: string[] = [];
    for (const event of bytes.toString('utf8').split(/(?<=\n\n|\r\n\r\n|\r\r)/)) {
      const isUsageOnly = /"choices"\s*:\s*\[\s*\]/.test(event) && USAGE_OBJECT.test(event);
      if (!isUsageOnly) kept.push(event);
    }
    return Buffer.from(kept.join(''));
  };
  return {
    push: (chunk) => strip(whole.push(chunk)),
    end: () => strip(whole.end()),
    fail: (message) => whole.fail(message),
  };
}
