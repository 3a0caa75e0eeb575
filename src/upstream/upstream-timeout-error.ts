/**
 * The upstream took too long: no answer within the channel's first-byte time
 * (`first_byte`), or a body that stopped arriving for its idle time (`idle`).
 * sendUpstreamRequest gives the exchange up with it; classifyUpstreamFailure
 * makes it a 504 `timeout_error`.
 */
export class UpstreamTimeoutError extends Error {
  readonly phase: 'first_byte' | 'idle';
  readonly timeoutMs: number;

  constructor(phase: 'first_byte' | 'idle', timeoutMs: number) {
    super(phase === 'first_byte' ? `No answer within ${timeoutMs} ms.` : `No body bytes for ${timeoutMs} ms.`);
    this.name = 'UpstreamTimeoutError';
    this.phase = phase;
    this.timeoutMs = timeoutMs;
  }
}
