import type { AnthropicUsage } from '../protocol/anthropic/anthropic-usage.js';
import { createSseParser } from '../protocol/sse/create-sse-parser.js';
import type { SseEvent } from '../protocol/sse/sse-event.js';
import type { AnthropicStreamSummary } from './anthropic-stream-summary.js';
import { applyAnthropicUsage } from './apply-anthropic-usage.js';
import { createEmptyUsage } from './usage.js';

export interface AnthropicStreamUsageTap {
  /** Observes the next bytes of the stream; they are not modified or kept. */
  push(chunk: Uint8Array): void;
  /** Marks the end of the stream; later pushes are ignored. */
  end(): void;
  /** A copy of what has been seen so far; safe to call at any time. */
  result(): AnthropicStreamSummary;
}

/**
 * Watches an Anthropic Messages event stream on its way to the client and
 * keeps what metering needs: the last usage reported, the message's id, model
 * and stop reason, and whether the stream completed or ended in an error.
 *
 * It is an observer on the hot path, so:
 * - it never throws: a malformed event, or a stream breaking the protocol
 *   (the recorded upstream that sent `message_start` twice), records nothing
 *   for that event and the tap carries on;
 * - it tells events apart by their `event:` name and reads only the four
 *   kinds that carry anything it needs (message_start, message_delta,
 *   message_stop, error), never the many content_block_* deltas and pings;
 * - it does not even look at most of those: every event it reads holds the
 *   word `message` (in the message_* names, and in an error's body, whose
 *   `message` it records with its `type`), so the parser passes whole runs of
 *   events without it in two native searches (see the parser's `needle`). An
 *   error whose body spells the key with JSON escapes (`"\u006dessage"`) may
 *   go unrecorded; no provider writes plain ASCII keys that way.
 */
const EVENTS_READ: ReadonlySet<string> = new Set(['message_start', 'message_delta', 'message_stop', 'error']);
const NEEDLE = 'message';

export function createAnthropicStreamUsageTap(): AnthropicStreamUsageTap {
  const parser = createSseParser({ only: EVENTS_READ, needle: NEEDLE });
  let ended = false;
  let usage = createEmptyUsage();
  let messageId: string | undefined;
  let model: string | undefined;
  let stopReason: string | null | undefined;
  let sawMessageStart = false;
  let sawMessageStop = false;
  let error: { type: string; message: string } | undefined;

  function observe(event: SseEvent): void {
    switch (event.event) {
      case 'message_start': {
        sawMessageStart = true;
        const message = field(parseJson(event.data), 'message');
        if (!isRecord(message)) return;
        // A second message_start breaks the protocol; the first one named the
        // message, so keep its id and model. Usage is still applied: the
        // counts are cumulative, so a repeated report can't double-count.
        if (messageId === undefined && typeof message.id === 'string') messageId = message.id;
        if (model === undefined && typeof message.model === 'string') model = message.model;
        if (stopReason === undefined) stopReason = stopReasonOf(message.stop_reason);
        applyUsage(message.usage);
        return;
      }
      case 'message_delta': {
        const body = parseJson(event.data);
        const delta = field(body, 'delta');
        const reason = stopReasonOf(field(delta, 'stop_reason'));
        if (reason !== undefined) stopReason = reason;
        applyUsage(field(body, 'usage'));
        return;
      }
      case 'message_stop':
        sawMessageStop = true;
        return;
      case 'error': {
        const details = field(parseJson(event.data), 'error');
        const type = field(details, 'type');
        const message = field(details, 'message');
        if (typeof type === 'string' && typeof message === 'string') error = { type, message };
        return;
      }
      default:
        // Not returned by the parser (see EVENTS_READ).
        return;
    }
  }

  function applyUsage(reported: unknown): void {
    if (isRecord(reported)) usage = applyAnthropicUsage({ usage, reported: reported as AnthropicUsage });
  }

  return {
    push(chunk) {
      if (ended) return;
      try {
        for (const event of parser.push(chunk)) observe(event);
      } catch {
        // Not expected from the parser or observe(), but an observer must
        // never break the stream it watches.
      }
    },
    end() {
      if (ended) return;
      ended = true;
      try {
        for (const event of parser.end()) observe(event);
      } catch {
        // See push().
      }
    },
    result() {
      const summary: AnthropicStreamSummary = {
        usage: { ...usage },
        sawMessageStart,
        sawMessageStop,
      };
      if (messageId !== undefined) summary.messageId = messageId;
      if (model !== undefined) summary.model = model;
      if (stopReason !== undefined) summary.stopReason = stopReason;
      if (error !== undefined) summary.error = { ...error };
      return summary;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function field(value: unknown, name: string): unknown {
  return isRecord(value) ? value[name] : undefined;
}

function stopReasonOf(value: unknown): string | null | undefined {
  return typeof value === 'string' || value === null ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
