import { GatewayError } from '../../errors/gateway-error.js';
import { parseJsonObjectBody } from '../json/parse-json-object-body.js';

/** The few fields the gateway itself reads from a Messages or count_tokens body; the rest passes through unread. */
export interface AnthropicRequestEnvelope {
  model: string;
  stream: boolean;
  maxTokens: number | undefined;
  metadataUserId: unknown;
  /** The whole parsed body, for the checks that read more of it; never modified (the bytes are what is sent). */
  fields: Readonly<Record<string, unknown>>;
}

function invalid(message: string) {
  return new GatewayError({ status: 400, type: 'invalid_request_error', message });
}

/**
 * Parses an untrusted request body just far enough to route it. Validation of
 * everything else is the upstream's job (it knows the model's rules, and a
 * gateway that validated fields it does not know would break the next API
 * feature), so only what routing needs is checked here, with Anthropic's wording.
 */
export function parseAnthropicRequestEnvelope(body: Buffer): AnthropicRequestEnvelope {
  const fields = parseJsonObjectBody(body);
  if (fields.model === undefined) throw invalid('model: Field required');
  if (typeof fields.model !== 'string' || fields.model.length === 0) throw invalid('model: Input should be a valid string');
  if (fields.stream !== undefined && fields.stream !== null && typeof fields.stream !== 'boolean') {
    throw invalid('stream: Input should be a valid boolean');
  }
  const metadata = fields.metadata as Record<string, unknown> | undefined;
  return {
    model: fields.model,
    stream: fields.stream === true,
    maxTokens: typeof fields.max_tokens === 'number' ? fields.max_tokens : undefined,
    metadataUserId: typeof metadata === 'object' && metadata !== null ? metadata.user_id : undefined,
    fields,
  };
}
