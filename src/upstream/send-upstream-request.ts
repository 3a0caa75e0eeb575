import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

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

/**
 * Sends one request through undici's dispatcher API. Unlike `request()`, no
 * Readable stream, promise per body or AbortSignal is made per call: the
 * upstream's chunks go straight to the consumer, which is what a gateway
 * passing bytes along needs (see bench/HISTORY.md).
 */
export function sendUpstreamRequest(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): UpstreamCall {
  const exchange = new UpstreamExchange();
  dispatcher.dispatch(options, exchange);
  return exchange;
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

  constructor() {
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
    this.#controller?.pause();
  }

  resume(): void {
    this.#controller?.resume();
  }

  destroy(error: Error): void {
    this.abort(error);
  }

  // ------------------------------------------------------------ undici's DispatchHandler
  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#failure) controller.abort(this.#failure);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // 1xx informational answers come before the real one.
    if (statusCode < 200 || this.#failure) return;
    this.#answered = true;
    this.#resolve({ statusCode, headers, body: this });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#failure) return;
    if (this.#consumer) this.#consumer.data(chunk);
    else (this.#early ??= []).push(chunk);
  }

  onResponseEnd(): void {
    if (this.#failure) return;
    this.#ended = true;
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
    if (!this.#answered) this.#reject(error);
    else this.#consumer?.error(error);
  }
}
