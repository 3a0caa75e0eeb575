import type { OpenAIUsage } from '../protocol/openai/openai-usage.js';
import { convertOpenAIUsage } from './convert-openai-usage.js';
import { createOpenAIStreamUsageTap, type OpenAIStreamSummary } from './create-openai-stream-usage-tap.js';
import type { UsageReader, UsageReading } from './usage-reader.js';

/** The usage reading of a Chat Completions stream, from what its tap (or accumulator) kept. */
export function readOpenAIStreamSummary(summary: OpenAIStreamSummary): UsageReading {
  return { usage: summary.usage, model: summary.model, errorType: summary.error?.type, complete: summary.finishReason !== undefined && !summary.error };
}

/** Usage of Chat Completions answers: the usage chunk of a stream, `usage` of a completion. */
export const openAIUsageReader: UsageReader = {
  createStreamTap() {
    const tap = createOpenAIStreamUsageTap();
    return {
      push: (chunk) => tap.push(chunk),
      end: () => tap.end(),
      result: () => readOpenAIStreamSummary(tap.result()),
    };
  },
  readJson(body) {
    try {
      const completion = JSON.parse(Buffer.from(body).toString('utf8')) as { usage?: OpenAIUsage; model?: unknown; choices?: unknown };
      if (typeof completion !== 'object' || completion === null || !Array.isArray(completion.choices)) return undefined;
      return {
        usage: completion.usage ? convertOpenAIUsage(completion.usage) : convertOpenAIUsage({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }),
        model: typeof completion.model === 'string' ? completion.model : undefined,
        complete: true,
      };
    } catch {
      return undefined;
    }
  },
};
