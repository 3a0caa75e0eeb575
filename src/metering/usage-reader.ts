import type { Usage } from './usage.js';

/** What metering learned from one upstream answer. */
export interface UsageReading {
  usage: Usage;
  /** The model that answered, when the answer says. */
  model?: string | undefined;
  /** An error the upstream sent inside a 200 stream. */
  errorType?: string | undefined;
  /** The answer ended as its protocol says a complete answer ends. */
  complete: boolean;
}

/** Reads usage from an upstream's answer in that upstream's protocol, streamed or whole. */
export interface UsageReader {
  createStreamTap(): { push(chunk: Uint8Array): void; end(): void; result(): UsageReading };
  readJson(body: Uint8Array): UsageReading | undefined;
}
