import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkKeyPolicy, isModelAllowed } from '../auth/check-key-policy.js';
import { GatewayError } from '../errors/gateway-error.js';
import { convertModelToListItem } from '../protocol/anthropic/convert-model-to-list-item.js';
import { describeModel } from '../routing/describe-model.js';
import { extractApiKey } from './extract-api-key.js';
import type { GatewayContext } from './gateway-context.js';
import { writeJson } from './write-json.js';

function invalid(message: string) {
  return new GatewayError({ status: 400, type: 'invalid_request_error', message });
}

/**
 * `GET /v1/models` (Anthropic's page envelope, `limit` 1–1000 default 20,
 * `after_id` / `before_id` cursors, newest first, plus OpenAI's
 * `object:"list"`) and `GET /v1/models/{id}`: the models the key may use.
 * @see ../../../shared/protocol/anthropic-protocol.md §5.2
 */
export async function handleModels(options: {
  request: IncomingMessage;
  response: ServerResponse;
  modelId: string | undefined;
  query: URLSearchParams;
  context: GatewayContext;
  requestId: string;
}): Promise<void> {
  const { response, context, requestId, query } = options;
  const key = await context.authenticator.authenticate(extractApiKey(options.request.headers));
  checkKeyPolicy({ policy: key.policy, clientAddress: options.request.socket.remoteAddress });
  const router = context.router();
  // The models this key may use: what the channels serve, narrowed by the key's allowed patterns.
  const models = router.listModels().filter((model) => isModelAllowed(key.policy, model.id));

  if (options.modelId !== undefined) {
    const listed = models.find((model) => model.id === options.modelId);
    const route = listed || !isModelAllowed(key.policy, options.modelId) ? undefined : router.resolve(options.modelId);
    const served = listed ?? (route ? describeModel({ id: options.modelId, fallbackCreatedAt: route.targets[0]!.channel.createdAt }) : undefined);
    if (!served) throw new GatewayError({ status: 404, type: 'not_found_error', message: `model: ${options.modelId}` });
    writeJson({ response, status: 200, body: convertModelToListItem(served), requestId });
    return;
  }

  const limitText = query.get('limit');
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalid('limit: Input should be an integer between 1 and 1000');
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  let page = models;
  if (afterId !== null) {
    const index = models.findIndex((model) => model.id === afterId);
    page = index === -1 ? [] : models.slice(index + 1, index + 1 + limit);
  } else if (beforeId !== null) {
    const index = models.findIndex((model) => model.id === beforeId);
    page = index === -1 ? [] : models.slice(Math.max(0, index - limit), index);
  } else {
    page = models.slice(0, limit);
  }
  const first = page[0];
  const last = page[page.length - 1];
  const hasMore =
    beforeId !== null
      ? first !== undefined && models.indexOf(first) > 0
      : last !== undefined && models.indexOf(last) < models.length - 1;
  writeJson({
    response,
    status: 200,
    body: {
      object: 'list',
      data: page.map(convertModelToListItem),
      has_more: hasMore,
      first_id: first?.id ?? null,
      last_id: last?.id ?? null,
    },
    requestId,
  });
}
