import { openAIUsageReader } from '../metering/openai-usage-reader.js';
import type { AnthropicMessagesRequest } from '../protocol/anthropic/anthropic-messages-request.js';
import type { OpenAIChatCompletion } from '../protocol/openai/openai-chat-completion.js';
import { resolveOpenAIUpstreamPath } from '../providers/openai/resolve-openai-upstream-path.js';
import type { Target } from '../routing/target.js';
import { convertAnthropicRequestToOpenAI } from '../translation/anthropic-to-openai/convert-anthropic-request-to-openai.js';
import { convertOpenAICompletionToAnthropic } from '../translation/openai-to-anthropic/convert-openai-completion-to-anthropic.js';
import { mapOpenAIErrorToAnthropic } from '../translation/openai-to-anthropic/map-openai-error-to-anthropic.js';
import { createToolNameMap } from '../translation/tool-name/create-tool-name-map.js';
import { createOpenAIToAnthropicStreamTransform } from './create-openai-to-anthropic-stream-transform.js';
import type { RelayPlan } from './plan-relay.js';
import type { StreamTransform } from './stream-transform.js';

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
        return createOpenAIToAnthropicStreamTransform({ toolNames, model: options.clientModel, messageId, stopSequences });
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
