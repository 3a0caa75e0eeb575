import { GatewayError } from '../errors/gateway-error.js';

/**
 * The admin API's refusals, as GatewayErrors so they are rendered in the one
 * place every error is (Anthropic's envelope). Anthropic has no conflict type:
 * a 409 is an `invalid_request_error` with its own status.
 */
export const adminErrors = {
  /** 400: a field or parameter is wrong; `field` names it. */
  invalid: (field: string, message: string) =>
    new GatewayError({ status: 400, type: 'invalid_request_error', message: `${field}: ${message}` }),
  /** 404: the resource in the path does not exist. */
  notFound: (message: string) => new GatewayError({ status: 404, type: 'not_found_error', message }),
  /** 409: the request is well formed but clashes with what is stored (a duplicate name, a balance below zero). */
  conflict: (message: string) => new GatewayError({ status: 409, type: 'invalid_request_error', message }),
};
