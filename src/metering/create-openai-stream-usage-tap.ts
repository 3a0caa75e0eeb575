import type { OpenAIUsage } from '../protocol/openai/openai-usage.js';
import { createSseParser } from '../protocol/sse/create-sse-parser.js';
import { convertOpenAIUsage } from './convert-openai-usage.js';
import { createEmptyUsage, type Usage } from './usage.js';

const USAGE_OBJECT = /"usage"\s*:\s*\{/;
const FINISH_REASON = /"finish_reason"\s*:\s*"/;

export interface OpenAIStreamSummary {
  usage: Usage;
  /** True once a chunk carried a usage object (it only comes with `include_usage`). */
  sawUsage: boolean;
  model?: string;
  finishReason?: string;
  sawDone: boolean;
  error?: { type: string; message: string };
}

export interface OpenAIStreamUsageTap {
  push(chunk: Uint8Array): void;
  end(): void;
  result(): OpenAIStreamSummary;
}

/**
 * Watches a Chat Completions stream on its way to the client and keeps the
 * usage of its last usage-bearing chunk. Chunks are only JSON-parsed when they
 * can carry something needed (usage, a finish reason, an error), which a
 * substring test tells cheaply; never throws.
 */
export function createOpenAIStreamUsageTap(): OpenAIStreamUsageTap {
  const parser = createSseParser();
  const accumulator = createOpenAIStreamUsageAccumulator();
  let ended = false;

  function observe(data: string) {
    if (data === '[DONE]') {
      accumulator.done();
      return;
    }
    // Servers differ in JSON spacing (Python's json.dumps writes `"usage": {`).
    const interesting = USAGE_OBJECT.test(data) || FINISH_REASON.test(data) || data.includes('"error"');
    if (!interesting) return;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return;
    }
    accumulator.chunk(chunk);
  }

  return {
    push(chunk) {
      if (ended) return;
      for (const event of parser.push(chunk)) observe(event.data);
    },
    end() {
      if (ended) return;
      ended = true;
      for (const event of parser.end()) observe(event.data);
    },
    result: accumulator.result,
  };
}

/**
 * What the tap keeps, fed with chunks already parsed: a caller that parses
 * every chunk anyway (the translation to Anthropic events) feeds it directly
 * instead of having the stream parsed a second time.
 */
export function createOpenAIStreamUsageAccumulator(): { chunk(parsed: unknown): void; done(): void; result(): OpenAIStreamSummary } {
  const summary: OpenAIStreamSummary = { usage: createEmptyUsage(), sawUsage: false, sawDone: false };
  return {
    chunk(parsed) {
      if (typeof parsed !== 'object' || parsed === null) return;
      const chunk = parsed as { model?: unknown; usage?: OpenAIUsage | null; choices?: Array<{ finish_reason?: unknown }>; error?: { type?: unknown; message?: unknown } };
      if (typeof chunk.model === 'string') summary.model = chunk.model;
      if (chunk.usage && typeof chunk.usage === 'object') {
        summary.usage = convertOpenAIUsage(chunk.usage);
        summary.sawUsage = true;
      }
      for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
        if (typeof choice?.finish_reason === 'string') summary.finishReason = choice.finish_reason;
      }
      if (chunk.error && typeof chunk.error === 'object') {
        summary.error = {
          type: typeof chunk.error.type === 'string' ? chunk.error.type : 'api_error',
          message: typeof chunk.error.message === 'string' ? chunk.error.message : '',
        };
      }
    },
    done() {
      summary.sawDone = true;
    },
    result: () => ({ ...summary, usage: { ...summary.usage } }),
  };
}
