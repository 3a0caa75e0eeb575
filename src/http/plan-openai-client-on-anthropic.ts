import { anthropicUsageReader } from '../metering/anthropic-usage-reader.js';
import type { AnthropicMessage } from '../protocol/anthropic/anthropic-message.js';
import type { OpenAIChatCompletionRequest } from '../protocol/openai/openai-chat-completion-request.js';
import { filterBetas } from '../routing/capabilities/filter-betas.js';
import { resolveAnthropicUpstreamPath } from '../providers/anthropic/resolve-anthropic-upstream-path.js';
import type { Target } from '../routing/target.js';
import { convertAnthropicMessageToOpenAI } from '../translation/anthropic-to-openai/convert-anthropic-message-to-openai.js';
import { mapAnthropicErrorToOpenAI } from '../translation/anthropic-to-openai/map-anthropic-error-to-openai.js';
import { convertOpenAIRequestToAnthropic } from '../translation/openai-to-anthropic/convert-openai-request-to-anthropic.js';
import { createAnthropicToOpenAIStreamTransform } from './create-anthropic-to-openai-stream-transform.js';
import type { RelayPlan } from './plan-relay.js';
import type { StreamTransform } from './stream-transform.js';

/**
 * Anthropic requires `max_tokens`; OpenAI clients usually leave it out. This is
 * the limit used then: enough for long answers on every current Claude model,
 * and documented, since a silent low limit would truncate answers.
 */
export const DEFAULT_MAX_TOKENS = 8_192;


/**
 * An OpenAI client on an Anthropic channel: the Chat Completions request
 * becomes a Messages request, and the answer, stream included, becomes a
 * completion or a chunk sequence ending in `data: [DONE]`.
 */
export function planOpenAIClientOnAnthropic(options: {
  target: Target;
  body: Buffer;
  clientModel: string;
  stream: boolean;
  includeUsage: boolean;
  /** Betas the route needs (the `[1m]` rule), filtered by the channel's beta policy. */
  betas: readonly string[];
}): RelayPlan {
  const { target } = options;
  const request = JSON.parse(options.body.toString('utf8')) as OpenAIChatCompletionRequest;
  const converted = convertOpenAIRequestToAnthropic({ request, upstreamModel: target.upstreamModel, defaultMaxTokens: DEFAULT_MAX_TOKENS });
  const { origin, path } = resolveAnthropicUpstreamPath({ baseUrl: target.channel.baseUrl, pathAndQuery: '/v1/messages' });
  const credential = target.channel.authHeader === 'bearer' ? ['authorization', `Bearer ${target.credential}`] : ['x-api-key', target.credential];
  const created = Math.floor(Date.now() / 1000);
  const { forwarded: betas } = filterBetas({ betas: options.betas, policy: target.channel.capabilities.betas });

  return {
    upstreamRequest: {
      origin,
      path,
      headers: ['content-type', 'application/json', 'anthropic-version', '2023-06-01', 'accept', 'application/json', ...credential, ...Object.entries(target.channel.extraHeaders).flat(), ...(betas.length > 0 ? ['anthropic-beta', betas.join(',')] : [])],
      body: Buffer.from(JSON.stringify(converted.request)),
    },
    usageReader: anthropicUsageReader,
    translation: {
      json(body) {
        const message = JSON.parse(body.toString('utf8')) as AnthropicMessage;
        return Buffer.from(JSON.stringify(convertAnthropicMessageToOpenAI({ message, created, model: options.clientModel })));
      },
      stream(): StreamTransform {
        return createAnthropicToOpenAIStreamTransform({ includeUsage: options.includeUsage, created, model: options.clientModel });
      },
      error({ status, headers, body }) {
        const mapped = mapAnthropicErrorToOpenAI({ status, body, headers });
        return { status: mapped.status, headers: mapped.headers, body: Buffer.from(JSON.stringify(mapped.body)) };
      },
    },
  };
}
