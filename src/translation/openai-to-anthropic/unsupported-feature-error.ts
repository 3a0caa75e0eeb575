import { GatewayError } from '../../errors/gateway-error.js';

/**
 * A request uses something the Anthropic upstream cannot do and that cannot be
 * dropped without changing the answer (audio input, n > 1, an image type
 * Anthropic rejects). It is a 400 `invalid_request_error`, raised before any
 * upstream call, so the client learns which feature to remove instead of
 * getting a silently different result.
 */
export class UnsupportedFeatureError extends GatewayError {
  /** What was unsupported, e.g. `input_audio`, `n`, `image media type "image/bmp"`. */
  readonly feature: string;

  constructor(options: { feature: string; message?: string }) {
    super({
      status: 400,
      type: 'invalid_request_error',
      message: options.message ?? `${options.feature} is not supported by this model's upstream.`,
    });
    this.name = 'UnsupportedFeatureError';
    this.feature = options.feature;
  }
}
