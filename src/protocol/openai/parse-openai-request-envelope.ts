import { GatewayError } from '../../errors/gateway-error.js';
import { parseJsonObjectBody } from '../json/parse-json-object-body.js';

/** The few fields the gateway itself reads from a Chat Completions body; the rest passes through unread. */
export interface OpenAIRequestEnvelope {
  model: string;
  stream: boolean;
  /** The client asked for the final usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
  user: unknown;
  /** `max_completion_tokens`, else `max_tokens`, when the client set one. */
  maxTokens: number | undefined;
  /** The whole parsed body, for the checks that read more of it; never modified (the bytes are what is sent). */
  fields: Readonly<Record<string, unknown>>;
}

function invalid(message: string, param: string | null = null) {
  return new GatewayError({ status: 400, type: 'invalid_request_error', message: param ? `${param}: ${message}` : message });
}

/** Parses an untrusted Chat Completions body just far enough to route it (see parseAnthropicRequestEnvelope). */
export function parseOpenAIRequestEnvelope(body: Buffer): OpenAIRequestEnvelope {
  const fields = parseJsonObjectBody(body);
  if (fields.model === undefined) throw invalid('you must provide a model parameter', 'model');
  if (typeof fields.model !== 'string' || fields.model.length === 0) throw invalid('must be a non-empty string', 'model');
  if (fields.stream !== undefined && fields.stream !== null && typeof fields.stream !== 'boolean') throw invalid('must be a boolean', 'stream');
  if (!Array.isArray(fields.messages)) throw invalid('you must provide a messages array', 'messages');
  const streamOptions = fields.stream_options as { include_usage?: unknown } | undefined;
  return {
    model: fields.model,
    stream: fields.stream === true,
    includeUsage: typeof streamOptions === 'object' && streamOptions !== null && streamOptions.include_usage === true,
    user: fields.user,
    maxTokens: [fields.max_completion_tokens, fields.max_tokens].find((value): value is number => typeof value === 'number'),
    fields,
  };
}
