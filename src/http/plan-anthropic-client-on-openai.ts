import { openAIUsageReader } from '../metering/openai-usage-reader.js';
import type { AnthropicMessagesRequest } from '../protocol/anthropic/anthropic-messages-request.js';
import { encodeAnthropicEvents } from '../protocol/anthropic/encode-anthropic-events.js';
import type { AnthropicStreamEvent } from '../protocol/anthropic/anthropic-stream-event.js';
import type { OpenAIChatCompletion } from '../protocol/openai/openai-chat-completion.js';
import type { OpenAIChatCompletionChunk } from '../protocol/openai/openai-chat-completion-chunk.js';
import { createRepeatedShapeJsonParser } from '../protocol/json/create-repeated-shape-json-parser.js';
import { createSseParser } from '../protocol/sse/create-sse-parser.js';
import { createOpenAIStreamUsageAccumulator } from '../metering/create-openai-stream-usage-tap.js';
import { readOpenAIStreamSummary } from '../metering/openai-usage-reader.js';
import { resolveOpenAIUpstreamPath } from '../providers/openai/resolve-openai-upstream-path.js';
import type { Target } from '../routing/target.js';
import { convertAnthropicRequestToOpenAI } from '../translation/anthropic-to-openai/convert-anthropic-request-to-openai.js';
import { convertOpenAICompletionToAnthropic } from '../translation/openai-to-anthropic/convert-openai-completion-to-anthropic.js';
import { createOpenAIToAnthropicStreamTranslator } from '../translation/openai-to-anthropic/create-openai-to-anthropic-stream-translator.js';
import { mapOpenAIErrorToAnthropic } from '../translation/openai-to-anthropic/map-openai-error-to-anthropic.js';
import { parseOpenAIStreamData } from '../translation/openai-to-anthropic/parse-openai-stream-data.js';
import { createToolNameMap } from '../translation/tool-name/create-tool-name-map.js';
import type { RelayPlan } from './plan-relay.js';
import type { StreamTransform } from './stream-transform.js';

function hasFinishReason(chunk: OpenAIChatCompletionChunk): boolean {
  for (const choice of chunk.choices) if (choice?.finish_reason) return true;
  return false;
}

/**
 * An Anthropic client (Claude Code, the Anthropic SDKs) on an OpenAI-compatible
 * channel: the Messages request becomes a Chat Completions request, and the
 * answer, stream included, becomes an Anthropic message or event sequence.
 * Features the upstream cannot serve are refused with a 400 naming them by the
 * converter, before anything is sent.
 */
export function planAnthropicClientOnOpenAI(options: { target: Target; body: Buffer; clientModel: string; stream: boolean; requestId: string }): RelayPlan {
  const { target } = options;
  const request = JSON.parse(options.body.toString('utf8')) as AnthropicMessagesRequest;
  const toolNames = createToolNameMap((request.tools ?? []).map((tool) => tool.name));
  const converted = convertAnthropicRequestToOpenAI({
    request,
    upstreamModel: target.upstreamModel,
    toolNames,
    reasoning: target.channel.reasoning,
    maxTokensField: target.channel.maxTokensField,
  });
  const { origin, path } = resolveOpenAIUpstreamPath({ baseUrl: target.channel.baseUrl });
  const messageId = `msg_${options.requestId.replace(/^req_/, '')}`;
  const stopSequences = request.stop_sequences;

  return {
    upstreamRequest: {
      origin,
      path,
      headers: [
        'content-type',
        'application/json',
        'accept',
        options.stream ? 'text/event-stream' : 'application/json',
        'authorization',
        `Bearer ${target.credential}`,
        ...Object.entries(target.channel.extraHeaders).flat(),
      ],
      body: Buffer.from(JSON.stringify(converted.request)),
    },
    usageReader: openAIUsageReader,
    extraHeaders: converted.droppedThinking ? { 'x-mixroute-thinking': 'dropped' } : undefined,
    translation: {
      json(body) {
        const completion = JSON.parse(body.toString('utf8')) as OpenAIChatCompletion;
        const message = convertOpenAICompletionToAnthropic({ completion, toolNames, model: options.clientModel, ...(stopSequences ? { stopSequences } : {}) });
        return Buffer.from(JSON.stringify(message));
      },
      stream(): StreamTransform {
        const parser = createSseParser();
        // A stream's chunks repeat one shape with new strings: cheaper to read than to JSON.parse anew.
        const json = createRepeatedShapeJsonParser();
        const usage = createOpenAIStreamUsageAccumulator();
        const translator = createOpenAIToAnthropicStreamTranslator({ toolNames, model: options.clientModel, messageId, ...(stopSequences ? { stopSequences } : {}) });
        let started = false;
        let finished = false;
        let sawFinish = false;
        return {
          push(chunk) {
            if (finished) return undefined;
            const events: AnthropicStreamEvent[] = [];
            if (!started) {
              started = true;
              events.push(...translator.start());
            }
            for (const event of parser.push(chunk)) {
              if (finished) break;
              const data = parseOpenAIStreamData(event.data, json.parse);
              if (data.kind === 'chunk') {
                usage.chunk(data.chunk);
                if (!sawFinish && hasFinishReason(data.chunk)) sawFinish = true;
                for (const translated of translator.push(data.chunk)) events.push(translated);
              }
              else if (data.kind === 'done') {
                usage.done();
                finished = true;
                events.push(...translator.end());
              } else {
                usage.chunk({ error: data.error });
                finished = true;
                events.push(...translator.fail(data.error.message || 'The upstream reported an error.'));
              }
            }
            return encodeAnthropicEvents(events);
          },
          end() {
            if (finished) return undefined;
            finished = true;
            const opening = started ? [] : translator.start();
            // Some servers end without `[DONE]` (one recording does): a finish reason is enough. Without
            // either, the answer was cut off, and saying end_turn would pass a truncation off as complete.
            if (!sawFinish) return encodeAnthropicEvents([...opening, ...translator.fail('The upstream stream ended before the answer was complete.')]);
            return encodeAnthropicEvents([...opening, ...translator.end()]);
          },
          fail(message) {
            finished = true;
            return Buffer.from(encodeAnthropicEvents([...(started ? [] : translator.start()), ...translator.fail(message)]) ?? []);
          },
          reading: () => readOpenAIStreamSummary(usage.result()),
        };
      },
      error({ status, headers, body }) {
        let parsed: unknown = body.toString('utf8');
        try {
          parsed = JSON.parse(parsed as string);
        } catch {
          // Keep the raw text: mapOpenAIErrorToAnthropic uses it as the message.
        }
        const retryAfter = headers['retry-after'];
        const mapped = mapOpenAIErrorToAnthropic({ status, body: parsed, ...(typeof retryAfter === 'string' ? { retryAfter } : {}) });
        return { status: mapped.status, headers: mapped.headers, body: Buffer.from(JSON.stringify(mapped.body)) };
      },
    },
  };
}
