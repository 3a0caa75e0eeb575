import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthenticatedKey } from '../auth/authenticated-key.js';
import { checkKeyPolicy } from '../auth/check-key-policy.js';
import { GatewayError } from '../errors/gateway-error.js';
import { buildOpenAIRateLimitHeaders } from '../limits/build-openai-rate-limit-headers.js';
import type { RateLimitLease } from '../limits/rate-limiter.js';
import type { LedgerEntry } from '../storage/ledger-entry.js';
import type { SpendingLimits, SpendingRefusal, SpendingReservation } from '../storage/repositories/create-spending-repository.js';
import { nextSpendPeriodStart } from '../storage/spend-period.js';
import { formatNanoUsd } from '../metering/money/usd-amount.js';
import { estimateAnthropicInputTokens } from '../metering/estimate-anthropic-input-tokens.js';
import type { AnthropicMessagesRequest } from '../protocol/anthropic/anthropic-messages-request.js';
import { parseAnthropicCountTokensRequest } from '../protocol/anthropic/parse-anthropic-count-tokens-request.js';
import { parseAnthropicRequestEnvelope, type AnthropicRequestEnvelope } from '../protocol/anthropic/parse-anthropic-request-envelope.js';
import { parseOpenAIRequestEnvelope, type OpenAIRequestEnvelope } from '../protocol/openai/parse-openai-request-envelope.js';
import { findMissingCapabilities } from '../routing/capabilities/find-missing-capabilities.js';
import { formatMissingCapabilitiesMessage } from '../routing/capabilities/format-missing-capabilities-message.js';
import { resolveAnthropicRequestNeeds } from '../routing/capabilities/resolve-anthropic-request-needs.js';
import { resolveOpenAIRequestNeeds } from '../routing/capabilities/resolve-openai-request-needs.js';
import type { Route } from '../routing/route.js';
import type { Target } from '../routing/target.js';
import type { OpenAIChatCompletionRequest } from '../protocol/openai/openai-chat-completion-request.js';
import { resolveSessionId } from '../routing/resolve-session-id.js';
import { buildLedgerEntry } from './build-ledger-entry.js';
import type { ClientDialect } from './client-dialect.js';
import { createRequestId } from './create-request-id.js';
import { extractApiKey } from './extract-api-key.js';
import type { GatewayContext } from './gateway-context.js';
import { planRelay } from './plan-relay.js';
import { writeJson } from './write-json.js';
import { readRequestBody } from './read-request-body.js';
import { relayToUpstream } from './relay-to-upstream.js';
import { renderGatewayError } from './render-gateway-error.js';

export type InferenceEndpoint = 'messages' | 'count_tokens' | 'chat_completions';

/**
 * `POST /v1/messages`, `POST /v1/messages/count_tokens` and
 * `POST /v1/chat/completions`: authenticate, read the body (bounded), route by
 * model, relay (passing bytes through, or translating when client and channel
 * speak different protocols). Every request leaves a ledger row, also the ones
 * refused before reaching an upstream.
 */
export async function handleInferenceRequest(options: {
  request: IncomingMessage;
  response: ServerResponse;
  dialect: ClientDialect;
  endpoint: InferenceEndpoint;
  pathAndQuery: string;
  context: GatewayContext;
}): Promise<void> {
  const { request, response, context, endpoint, dialect } = options;
  const requestId = createRequestId();
  // Every request writes exactly one row, however it ends; announcing it lets shutdown wait for it.
  context.ledger.expect();
  const receivedAt = Date.now();
  const startedAt = performance.now();
  let key: AuthenticatedKey | undefined;
  let lease: RateLimitLease | undefined;
  // Held against the key's spending limits until the request's row is stored, which settles it (see LedgerEntry.settles).
  let reservation: SpendingReservation | undefined;
  /** Once the request's row exists: release the rate-limit lease to real usage. */
  const endAdmission = (entry: LedgerEntry | undefined) => {
    void lease?.release({ actualTokens: entry ? entry.inputTokens + entry.cacheWrite5mTokens + entry.cacheWrite1hTokens + entry.cacheReadTokens + entry.outputTokens : 0 }).catch((error: unknown) => context.logger.error({ err: error }, 'releasing a rate-limit lease failed'));
    lease = undefined;
  };
  let clientModel: string | undefined;
  let stream = false;
  /** This request's ledger row, with what is known of it so far and how it ended. */
  const rowOf = (ending: Omit<Parameters<typeof buildLedgerEntry>[0], 'requestId' | 'receivedAt' | 'startedAt' | 'key' | 'dialect' | 'endpoint' | 'clientModel' | 'stream'>) =>
    buildLedgerEntry({ requestId, receivedAt, startedAt, key, dialect, endpoint, clientModel, stream, ...ending });
  try {
    key = await context.authenticator.authenticate(extractApiKey(request.headers));
    const body = await readRequestBody(request, context.maxBodyBytes);
    const envelope = dialect === 'anthropic' ? parseAnthropicRequestEnvelope(body) : parseOpenAIRequestEnvelope(body);
    clientModel = envelope.model;
    stream = endpoint !== 'count_tokens' && envelope.stream;
    checkKeyPolicy({ policy: key.policy, model: envelope.model, clientAddress: request.socket.remoteAddress });
    const limits = {
      requestsPerMinute: key.policy.requestsPerMinute,
      tokensPerMinute: key.policy.tokensPerMinute,
      concurrentRequests: key.policy.concurrentRequests,
    };
    let rateLimitHeaders: Record<string, string> | undefined;
    if (limits.requestsPerMinute || limits.tokensPerMinute || limits.concurrentRequests) {
      // Tokens are reserved from a size estimate of the prompt (about four bytes a token) and
      // corrected to what the upstream reported when the request ends.
      const decision = await context.rateLimiter.acquire({ key: key.id, limits, estimatedTokens: Math.ceil(body.length / 4) });
      // Each dialect gets its own provider's rate-limit headers: OpenAI's x-ratelimit-* for Chat Completions clients.
      const decisionHeaders =
        dialect === 'openai'
          ? buildOpenAIRateLimitHeaders({ ...decision.levels, retryAfterMs: decision.allowed ? undefined : decision.retryAfterMs })
          : decision.headers;
      if (!decision.allowed) {
        throw new GatewayError({
          status: 429,
          type: 'rate_limit_error',
          message: `This API key's ${decision.limit === 'concurrency' ? 'concurrent request' : decision.limit === 'tokens' ? 'tokens per minute' : 'requests per minute'} limit is reached; retry after ${Math.ceil(decision.retryAfterMs / 1000)} s.`,
          headers: decisionHeaders,
        });
      }
      lease = decision.lease;
      rateLimitHeaders = decisionHeaders;
    }
    const router = context.router();
    const route = router.resolve(envelope.model);
    if (!route) {
      if (router.isServedOnlyByDisabledChannels(envelope.model)) {
        throw new GatewayError({ status: 503, type: 'api_error', message: `No enabled channel serves model ${envelope.model} right now.` });
      }
      throw new GatewayError({ status: 404, type: 'not_found_error', message: `model: ${envelope.model}` });
    }
    const configuredSession = context.sessionHeader ? request.headers[context.sessionHeader] : undefined;
    const sessionHeader = request.headers['x-claude-code-session-id'] ?? configuredSession;
    const metadataUserId = 'metadataUserId' in envelope ? envelope.metadataUserId : envelope.user;
    const sessionId = resolveSessionId({ header: typeof sessionHeader === 'string' ? sessionHeader : undefined, metadataUserId });
    const target = route.targets[0]!;
    if (endpoint === 'count_tokens' && target.channel.type !== 'anthropic') {
      // No count_tokens endpoint on OpenAI-compatible upstreams: count locally, and say it is an estimate.
      const inputTokens = await estimateAnthropicInputTokens(parseAnthropicCountTokensRequest(envelope.fields));
      const entry = rowOf({ sessionId, channel: target.channel, upstreamModel: target.upstreamModel, status: 200, outcome: 'ok', errorType: null });
      context.ledger.write(entry);
      endAdmission(entry);
      writeJson({ response, status: 200, body: { input_tokens: inputTokens }, requestId, headers: { ...rateLimitHeaders, 'x-mixroute-token-count': 'estimate' } });
      return;
    }
    const capable = endpoint === 'count_tokens' ? route.targets : selectCapableTargets({ dialect, envelope, request, route });
    if (key.spending && endpoint !== 'count_tokens') {
      reservation = await reserveWorstCase({ context, key, spending: key.spending, capable, body, envelope });
      // Should this process die before the request ends, the journal still releases the reservation.
      context.ledger.hold(
        requestId,
        rowOf({ sessionId, status: 500, outcome: 'interrupted', errorType: 'api_error', settles: reservation }),
      );
    }
    const attempts = context.affinity.order(sessionId, capable).map((candidate) => ({
      target: candidate,
      plan: () => planRelay({ request, dialect, endpoint, route, target: candidate, body, envelope, pathAndQuery: options.pathAndQuery, requestId }),
    }));
    await relayToUpstream(
      {
        response,
        requestId,
        receivedAt,
        startedAt,
        key,
        dialect,
        endpoint,
        clientModel: envelope.model,
        stream,
        sessionId,
        attempts,
        maxAttempts: context.maxAttempts,
        onCommitted: (served) => context.affinity.remember(sessionId, served),
        responseHeaders: rateLimitHeaders,
        onRecorded: endAdmission,
        settles: reservation,
      },
      context,
    );
  } catch (caught) {
    const clientAborted = (caught as { code?: string }).code === 'CLIENT_ABORTED';
    const error =
      caught instanceof GatewayError
        ? caught
        : new GatewayError({ status: 500, type: 'api_error', message: 'Internal error in mixroute.', cause: caught });
    if (!(caught instanceof GatewayError) && !clientAborted) {
      context.logger.error({ requestId, err: caught }, 'unexpected error while handling a request');
    }
    endAdmission(undefined);
    context.ledger.write(
      rowOf({
        sessionId: undefined,
        status: clientAborted ? 499 : error.status,
        outcome: clientAborted ? 'client_aborted' : 'gateway_error',
        errorType: clientAborted ? null : error.type,
        settles: reservation,
      }),
      reservation ? requestId : undefined,
    );
    // After the row is recorded: an answer the client saw always has its row.
    if (!clientAborted) {
      if (error.status === 413) response.setHeader('connection', 'close');
      renderGatewayError({ response, error, requestId, dialect });
    }
  }
}

/**
 * The targets able to serve what the request needs (thinking, tools, images,
 * documents, server tools, the 1M-context beta); a clear 400 naming what is
 * missing where no channel is.
 */
function selectCapableTargets(options: { dialect: ClientDialect; envelope: AnthropicRequestEnvelope | OpenAIRequestEnvelope; request: IncomingMessage; route: Route }): Target[] {
  const parsed = options.envelope.fields;
  const needs =
    options.dialect === 'anthropic'
      ? resolveAnthropicRequestNeeds({ request: parsed as unknown as AnthropicMessagesRequest, betaHeader: options.request.headers['anthropic-beta'] })
      : resolveOpenAIRequestNeeds({ request: parsed as unknown as OpenAIChatCompletionRequest });
  for (const beta of options.route.addBetas) if (!needs.betas.includes(beta)) needs.betas.push(beta);
  const missingByChannel = new Map<string, string[]>();
  const capable = options.route.targets.filter((target) => {
    const missing = findMissingCapabilities({ needs, capabilities: target.channel.capabilities });
    if (missing.length > 0) missingByChannel.set(target.channel.name, missing);
    return missing.length === 0;
  });
  if (capable.length === 0) {
    throw new GatewayError({
      status: 400,
      type: 'invalid_request_error',
      message: formatMissingCapabilitiesMessage({
        model: options.route.clientModel,
        missingByChannel: [...missingByChannel].map(([channel, missing]) => ({ channel, missing })),
      }),
    });
  }
  return capable;
}

/** Tokens of input a body of this size can hold at most, about four bytes a token (JSON and base64 make it less). */
const BYTES_PER_TOKEN = 4;
/** The output limit assumed when a request sets none (Anthropic requires one; OpenAI clients often omit it). */
const DEFAULT_OUTPUT_LIMIT = 8_192;

/**
 * Reserves the worst case of this request before dispatch, against every
 * limit the key has (the user's balance, the key's quota, the user's period
 * limit): the input estimate plus the whole output limit at the highest price
 * among the targets that may serve it, the user's price group applied.
 * Refused, naming the limit and the amounts, when one of them cannot cover it
 * or the model has no price.
 */
async function reserveWorstCase(options: {
  context: GatewayContext;
  key: AuthenticatedKey;
  spending: SpendingLimits;
  capable: Target[];
  body: Buffer;
  envelope: AnthropicRequestEnvelope | OpenAIRequestEnvelope;
}): Promise<SpendingReservation> {
  const { context, key } = options;
  const requested = options.envelope.maxTokens;
  const maxOutputTokens = requested !== undefined && requested > 0 ? requested : DEFAULT_OUTPUT_LIMIT;
  const inputTokens = Math.ceil(options.body.length / BYTES_PER_TOKEN);
  const pricer = context.pricer();
  let amountNanoUsd = 0;
  for (const target of options.capable) {
    const worst = pricer.worstCase({ model: target.upstreamModel, inputTokens, maxOutputTokens, multiplier: key.priceMultiplier });
    if (worst === undefined) {
      if (context.allowUnpriced) continue;
      throw new GatewayError({ status: 400, type: 'invalid_request_error', message: `Model ${target.upstreamModel} has no price, and this key's spending is metered: the operator must add its price.` });
    }
    amountNanoUsd = Math.max(amountNanoUsd, worst);
  }
  const result = await context.spending.reserve({ userId: key.userId, keyId: key.id, amountNanoUsd, limits: options.spending });
  if (!result.ok) throw refusalError(result.refusal, `it may cost up to $${formatNanoUsd(amountNanoUsd)} (input estimate ${inputTokens} tokens, max_tokens ${maxOutputTokens})`);
  return result.reservation;
}

/**
 * The answer to a request no limit can cover. A balance or a key quota does
 * not refill by itself: 400, like Anthropic's own "credit balance is too
 * low", so clients do not retry. A period limit does: 429 with retry-after
 * set to the start of the next period.
 */
function refusalError(refusal: SpendingRefusal, cost: string): GatewayError {
  switch (refusal.limit) {
    case 'balance':
      return new GatewayError({ status: 400, type: 'invalid_request_error', message: `Your credit balance is too low for this request: ${cost}; the balance is $${formatNanoUsd(refusal.balanceNanoUsd)}.` });
    case 'key_quota':
      return new GatewayError({
        status: 400,
        type: 'invalid_request_error',
        message: `This API key's quota is used up for this request: ${cost}; $${formatNanoUsd(refusal.usedNanoUsd)} of its $${formatNanoUsd(refusal.quotaNanoUsd)} is spent or reserved.`,
      });
    case 'period_limit': {
      const retryAfterSeconds = Math.max(1, Math.ceil((nextSpendPeriodStart(refusal.period, Date.now()) - Date.now()) / 1000));
      return new GatewayError({
        status: 429,
        type: 'rate_limit_error',
        message: `Your ${refusal.period === 'day' ? 'daily' : refusal.period === 'week' ? 'weekly' : 'monthly'} spending limit is reached for this request: ${cost}; $${formatNanoUsd(refusal.spentNanoUsd)} of $${formatNanoUsd(refusal.limitNanoUsd)} is spent or reserved this ${refusal.period}.`,
        headers: { 'retry-after': String(retryAfterSeconds) },
      });
    }
  }
}
