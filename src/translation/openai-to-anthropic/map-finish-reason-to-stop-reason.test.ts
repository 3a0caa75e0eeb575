import { describe, expect, it } from 'vitest';
import { mapFinishReasonToStopReason } from './map-finish-reason-to-stop-reason.js';

describe('mapFinishReasonToStopReason', () => {
  it.each([
    ['stop', false, 'end_turn'],
    ['stop', true, 'tool_use'],
    ['length', false, 'max_tokens'],
    ['length', true, 'max_tokens'],
    ['tool_calls', true, 'tool_use'],
    ['function_call', true, 'tool_use'],
    ['content_filter', false, 'refusal'],
    [null, false, 'end_turn'],
    [null, true, 'tool_use'],
    [undefined, false, 'end_turn'],
    ['something_new', false, 'end_turn'],
  ] as const)('%s (tool calls: %s) → %s', (finishReason, sawToolCalls, stopReason) => {
    expect(mapFinishReasonToStopReason({ finishReason, sawToolCalls })).toBe(stopReason);
  });

  it('is stop_sequence only for a "stop" with a reported match', () => {
    expect(mapFinishReasonToStopReason({ finishReason: 'stop', sawToolCalls: false, matchedStopSequence: 'END' })).toBe('stop_sequence');
    expect(mapFinishReasonToStopReason({ finishReason: 'length', sawToolCalls: false, matchedStopSequence: 'END' })).toBe('max_tokens');
  });
});
