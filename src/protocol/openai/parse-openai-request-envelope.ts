import { GatewayError } from '../../errors/gateway-error.js';

/** The few fields the gateway itself reads from a Chat Completions body; the rest passes through unread. */
export interface OpenAIRequestEnvelope {
  model: string;
  stream: boolean;
  /** The client asked for the final usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
  user: unknown;
}

function invalid(message: string, param: string | null = null) {
  return new GatewayError({ status: 400, type: 'invalid_request_error', message: param ? `${param}: ${message}` : message });
}

/** Parses an untrusted Chat Completions body just far enough to route it (see parseAnthropicRequestEnvelope). */
export function parseOpenAIRequestEnvelope(body: Buffer): OpenAIRequestEnvelope {
  if (body.length === 0) throw invalid('Request body is empty; expected a JSON object.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw invalid(`Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid(`Request body must be a JSON object, got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}.`);
  }
  const fields = parsed as Record<string, unknown>;
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
  };
}
