import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';
import { anthropicUsageReader } from '../metering/anthropic-usage-reader.js';
import { openAIUsageReader } from '../metering/openai-usage-reader.js';
import type { AnthropicRequestEnvelope } from '../protocol/anthropic/parse-anthropic-request-envelope.js';
import type { OpenAIRequestEnvelope } from '../protocol/openai/parse-openai-request-envelope.js';
import { buildAnthropicUpstreamRequest } from '../providers/anthropic/build-anthropic-upstream-request.js';
import { stripAllThinking } from '../providers/anthropic/strip-all-thinking.js';
import { buildOpenAIPassthroughRequest } from '../providers/openai/build-openai-passthrough-request.js';
import type { Route } from '../routing/route.js';
import type { Target } from '../routing/target.js';
import type { ClientDialect } from './client-dialect.js';
import { createUsageChunkFilter } from './create-usage-chunk-filter.js';
import { planAnthropicClientOnOpenAI } from './plan-anthropic-client-on-openai.js';
import { planOpenAIClientOnAnthropic } from './plan-openai-client-on-anthropic.js';
import type { InferenceEndpoint } from './handle-inference-request.js';
import type { RelayPlan } from './relay-to-upstream.js';

export type { RelayPlan } from './relay-to-upstream.js';

/**
 * Decides how one request reaches its target: bytes through when client and
 * channel speak the same protocol, a translation when they differ.
 */
export function planRelay(options: Parameters<typeof planRelayUnchecked>[0]): RelayPlan {
  try {
    return planRelayUnchecked(options);
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    // Valid JSON of the wrong shape (`messages: [null]`, `tools: "x"`) trips the converters: the
    // client's mistake, so a 400 that says where, not a 500.
    throw new GatewayError({
      status: 400,
      type: 'invalid_request_error',
      message: `The request body does not have the shape of a ${options.dialect === 'anthropic' ? 'Messages' : 'Chat Completions'} request: ${(error as Error).message}`,
      cause: error,
    });
  }
}

function planRelayUnchecked(options: {
  request: IncomingMessage;
  dialect: ClientDialect;
  endpoint: InferenceEndpoint;
  route: Route;
  target: Target;
  body: Buffer;
  envelope: AnthropicRequestEnvelope | OpenAIRequestEnvelope;
  pathAndQuery: string;
  requestId: string;
}): RelayPlan {
  const { target, dialect } = options;
  const queryStart = options.pathAndQuery.indexOf('?');
  const query = queryStart === -1 ? '' : options.pathAndQuery.slice(queryStart);
  if (dialect === 'anthropic' && target.channel.type === 'anthropic') {
    const upstreamRequest = buildAnthropicUpstreamRequest({
      target,
      pathAndQuery: options.pathAndQuery,
      rawHeaders: options.request.rawHeaders,
      body: options.body,
      clientModel: options.envelope.model,
      addBetas: options.route.addBetas,
    });
    return {
      upstreamRequest,
      usageReader: anthropicUsageReader,
      withoutThinking: options.endpoint === 'messages' ? () => {
        const body = stripAllThinking(upstreamRequest.body);
        return body && { ...upstreamRequest, body };
      } : undefined,
    };
  }
  if (dialect === 'openai' && target.channel.type === 'openai') {
    const envelope = options.envelope as OpenAIRequestEnvelope;
    const { request, injectedUsage } = buildOpenAIPassthroughRequest({
      target,
      query,
      rawHeaders: options.request.rawHeaders,
      body: options.body,
      clientModel: envelope.model,
      stream: envelope.stream,
      includeUsage: envelope.includeUsage,
    });
    return {
      upstreamRequest: request,
      usageReader: openAIUsageReader,
      passthroughStream: injectedUsage ? () => createUsageChunkFilter({ dialect, requestId: options.requestId }) : undefined,
    };
  }
  if (dialect === 'anthropic' && target.channel.type === 'openai' && options.endpoint === 'messages') {
    const envelope = options.envelope as AnthropicRequestEnvelope;
    return planAnthropicClientOnOpenAI({ target, body: options.body, clientModel: envelope.model, stream: envelope.stream, requestId: options.requestId });
  }
  if (dialect === 'openai' && target.channel.type === 'anthropic') {
    const envelope = options.envelope as OpenAIRequestEnvelope;
    return planOpenAIClientOnAnthropic({
      target,
      body: options.body,
      clientModel: envelope.model,
      stream: envelope.stream,
      includeUsage: envelope.includeUsage,
      betas: options.route.addBetas,
    });
  }
  throw new GatewayError({
    status: 400,
    type: 'invalid_request_error',
    message: `Channel ${target.channel.name} speaks the ${target.channel.type} protocol; translating ${dialect} requests to it is not available for ${options.endpoint}.`,
  });
}
