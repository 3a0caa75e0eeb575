import { describe, expect, it } from 'vitest';
import { mapStopReasonToFinishReason } from './map-stop-reason-to-finish-reason.js';

describe('mapStopReasonToFinishReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['compaction', 'length'],
    ['pause_turn', 'stop'],
    ['model_context_window_exceeded', 'length'],
    ['some_future_reason', 'stop'],
    [null, 'stop'],
    [undefined, 'stop'],
  ] as const)('%s → %s', (stopReason, finishReason) => {
    expect(mapStopReasonToFinishReason(stopReason)).toBe(finishReason);
  });
});
