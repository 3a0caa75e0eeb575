import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { clampTimerDelay } from './clamp-timer-delay.js';
import { UpstreamTimeoutError } from './upstream-timeout-error.js';

/** Who reads an upstream answer's body, chunk by chunk. */
export interface UpstreamBodyConsumer {
  data(chunk: Buffer): void;
  end(): void;
  /** The body broke off (reset, idle timeout, abort): nothing more comes. */
  error(error: Error): void;
}

/**
 * An upstream answer's body as it arrives, for one consumer. What arrives
 * before the consumer is attached (the headers and the first bytes often come
 * in one packet) is kept and handed over when it is.
 */
export interface UpstreamBody {
  consume(consumer: UpstreamBodyConsumer): void;
  /** Stops reading from the upstream's socket until `resume` (the client is slower than the upstream). */
  pause(): void;
  resume(): void;
  /** Gives up the body; the consumer gets `error`. */
  destroy(error: Error): void;
}

export interface UpstreamAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: UpstreamBody;
}

/** One request sent to an upstream, from dispatch to the body's last byte. */
export interface UpstreamCall {
  /** The status and headers; rejects when no answer came (connect error, first-byte timeout, abort). */
  readonly answer: Promise<UpstreamAnswer>;
  /**
   * Gives the exchange up, at any point: before the answer, `answer` rejects
   * with `reason`; after it, the body's consumer gets `reason` as its error.
   */
  abort(reason: Error): void;
}

/** A request to send upstream: undici's dispatch options, without undici's timeouts (see UpstreamTimeouts). */
export type UpstreamRequestOptions = Omit<Dispatcher.DispatchOptions, 'headersTimeout' | 'bodyTimeout'>;

/** How long to wait for the upstream (a channel's `timeouts` will do); none when left out or 0. */
export interface UpstreamTimeouts {
  /**
   * Gives up when no answer (status and headers) came this long after the request went out on a
   * connection, or after an interim 1xx answer.
   */
  readonly firstByteMs?: number;
  /** Gives up when the body stopped arriving for this long (not counted while paused). */
  readonly idleMs?: number;
}

const NO_TIMEOUTS: UpstreamTimeouts = {};

/**
 * Sends one request through undici's dispatcher API. Unlike `request()`, no
 * Readable stream, promise per body or AbortSignal is made per call: the
 * upstream's chunks go straight to the consumer, which is what a gateway
 * passing bytes along needs (see bench/HISTORY.md).
 *
 * The timeouts are kept here, on Node's timers, not by undici: undici keeps
 * a timer of more than a second in a list that it sweeps every half second,
 * so each request's two timers (first byte, then idle) outlived several
 * young-generation collections, which copied them and what they hold. At 16
 * connections that made the mean scavenge pause 3.1–3.9 ms, against 2.3–2.9 ms
 * with Node's timers, which are unlinked when cleared and die young
 * (bench/HISTORY.md, ninth round).
 */
export function sendUpstreamRequest(dispatcher: Dispatcher, options: UpstreamRequestOptions, timeouts: UpstreamTimeouts = NO_TIMEOUTS): UpstreamCall {
  const exchange = new UpstreamExchange(timeouts.firstByteMs ?? 0, timeouts.idleMs ?? 0);
  dispatcher.dispatch(options, exchange);
  return exchange;
}

function onFirstByteTimeout(exchange: UpstreamExchange): void {
  exchange.timedOut('first_byte');
}

function onIdleTimeout(exchange: UpstreamExchange): void {
  exchange.timedOut('idle');
}

class UpstreamExchange implements Dispatcher.DispatchHandler, UpstreamCall, UpstreamBody {
  readonly answer: Promise<UpstreamAnswer>;
  #resolve!: (answer: UpstreamAnswer) => void;
  #reject!: (error: Error) => void;
  #controller: Dispatcher.DispatchController | undefined;
  /** Set once the exchange is given up or has failed: later undici callbacks are ignored. */
  #failure: Error | undefined;
  #answered = false;
  /** undici has the whole body. */
  #ended = false;
  /** The consumer has been told the body ended. */
  #endDelivered = false;
  #consumer: UpstreamBodyConsumer | undefined;
  /** Chunks that came before the consumer. */
  #early: Buffer[] | undefined;
  readonly #firstByteTimeoutMs: number;
  readonly #idleTimeoutMs: number;
  /** The first-byte timer until the answer, then the idle timer until the body ends. */
  #timer: NodeJS.Timeout | undefined;
  #paused = false;

  constructor(firstByteTimeoutMs: number, idleTimeoutMs: number) {
    this.#firstByteTimeoutMs = firstByteTimeoutMs;
    this.#idleTimeoutMs = idleTimeoutMs;
    this.answer = new Promise<UpstreamAnswer>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  // ------------------------------------------------------------ UpstreamCall
  abort(reason: Error): void {
    if (this.#failure || this.#endDelivered) return;
    // The controller exists once the request is on a connection (until then undici is told when it gets
    // one); once undici has the whole body, only the consumer, still being handed early chunks, is left to stop.
    if (this.#controller && !this.#ended) this.#controller.abort(reason);
    else this.#fail(reason);
  }

  // ------------------------------------------------------------ UpstreamBody
  consume(consumer: UpstreamBodyConsumer): void {
    const failedBefore = this.#failure;
    this.#consumer = consumer;
    const early = this.#early;
    this.#early = undefined;
    if (early) {
      for (const chunk of early) {
        consumer.data(chunk);
        // Given up while its chunks were handed over (the consumer could not read one): it has been told.
        if (this.#failure !== failedBefore) return;
      }
    }
    if (this.#failure) consumer.error(this.#failure);
    else if (this.#ended) this.#deliverEnd();
  }

  pause(): void {
    this.#paused = true;
    this.#controller?.pause();
  }

  resume(): void {
    const wasPaused = this.#paused;
    this.#paused = false;
    // The idle time starts again: the upstream was not asked for bytes while paused.
    if (wasPaused && this.#answered) this.#timer?.refresh();
    this.#controller?.resume();
  }

  /** A timer ran out (called by its callback): gives the exchange up, unless the body is paused by us. */
  timedOut(phase: 'first_byte' | 'idle'): void {
    if (phase === 'idle' && this.#paused) return;
    this.abort(new UpstreamTimeoutError(phase, phase === 'first_byte' ? this.#firstByteTimeoutMs : this.#idleTimeoutMs));
  }

  #startTimer(callback: (exchange: UpstreamExchange) => void, ms: number): void {
    this.#stopTimer();
    if (ms > 0) this.#timer = setTimeout(callback, clampTimerDelay(ms), this).unref();
  }

  #stopTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  destroy(error: Error): void {
    this.abort(error);
  }

  // ------------------------------------------------------------ undici's DispatchHandler
  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#failure) controller.abort(this.#failure);
    else this.#startTimer(onFirstByteTimeout, this.#firstByteTimeoutMs);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (this.#failure) return;
    if (statusCode < 200) {
      // An interim answer (102 Processing, 103 Early Hints) comes before the real one: the upstream is
      // alive, so the first-byte time starts again (as undici's headers timeout did).
      this.#timer?.refresh();
      return;
    }
    this.#answered = true;
    this.#startTimer(onIdleTimeout, this.#idleTimeoutMs);
    this.#resolve({ statusCode, headers, body: this });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#failure) return;
    this.#timer?.refresh();
    if (this.#consumer) this.#consumer.data(chunk);
    else (this.#early ??= []).push(chunk);
  }

  onResponseEnd(): void {
    if (this.#failure) return;
    this.#ended = true;
    this.#stopTimer();
    if (this.#consumer) this.#deliverEnd();
  }

  #deliverEnd(): void {
    this.#endDelivered = true;
    this.#consumer!.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#fail(error);
  }

  #fail(error: Error): void {
    if (this.#failure) return;
    this.#failure = error;
    this.#stopTimer();
    if (!this.#answered) this.#reject(error);
    else this.#consumer?.error(error);
  }
}
