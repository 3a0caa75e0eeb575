import { GatewayError } from '../../errors/gateway-error.js';

/**
 * A request uses an Anthropic feature that the OpenAI Chat Completions
 * upstream chosen for it cannot express. Translation refuses rather than
 * dropping the feature: a silently missing web search or PDF gives the client
 * a plausible answer to a question it did not ask.
 *
 * It is a 400 `invalid_request_error` for the client, but routing can also
 * catch it (by class) and try a target that supports the feature.
 */
export class UnsupportedFeatureError extends GatewayError {
  /** What was refused, as the client would recognize it (`mcp_servers`, `tool type web_search_20250305`). */
  readonly feature: string;

  constructor(options: { feature: string; detail?: string }) {
    super({
      status: 400,
      type: 'invalid_request_error',
      message:
        `${options.feature} is not supported when this model is served by an OpenAI-compatible upstream` +
        (options.detail === undefined ? '.' : `: ${options.detail}`),
    });
    this.name = 'UnsupportedFeatureError';
    this.feature = options.feature;
  }
}
