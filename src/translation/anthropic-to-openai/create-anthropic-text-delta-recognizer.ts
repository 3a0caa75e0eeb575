import { createLearntJsonStringTemplate } from '../../protocol/json/create-learnt-json-string-template.js';
import { locateJsonStringValues, onlyJsonStringValueAt } from '../../protocol/json/locate-json-string-values.js';

/** An event recognized as nothing but the next piece of text or thinking. */
export interface AnthropicTextDelta {
  kind: 'text' | 'thinking';
  /** The text as a JSON string literal, quotes included, as JSON.stringify writes its value. */
  literal: string;
}

export interface AnthropicTextDeltaRecognizer {
  /**
   * Offers an event's data and its parsed value. A `content_block_delta` of a
   * non-empty `text_delta` or `thinking_delta` becomes the template that
   * `recognize` compares with; returns whether it did. A recognizer stops
   * learning once a few templates have been replaced without ever matching
   * (see createLearntJsonStringTemplate; every text or thinking block needs a
   * template of its own, its index being fixed text, and uses it).
   */
  learn(data: string, event: unknown): boolean;
  /** The delta, when `data` is the template's text with another string for its text; otherwise undefined. */
  recognize(data: string): AnthropicTextDelta | undefined;
}

const TEXT_FIELDS: ReadonlyMap<unknown, { field: string; kind: 'text' | 'thinking' }> = new Map([
  ['text_delta', { field: 'text', kind: 'text' }],
  ['thinking_delta', { field: 'thinking', kind: 'thinking' }],
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Recognizes, in a Messages stream, the `content_block_delta` events of text
 * and thinking, without parsing them: most of a stream is such events, each
 * the one before with another text. The translation to Chat Completions then
 * writes their chunk directly, and reads every other event in full.
 *
 * A template is such an event's data cut at its text's literal (see
 * createJsonStringTemplate): a data that matches parses to the template's
 * event with another text. The event's other fields (its index, any field
 * added later) are part of the fixed text; the translation reads none of them
 * for a text delta.
 */
export function createAnthropicTextDeltaRecognizer(): AnthropicTextDeltaRecognizer {
  const template = createLearntJsonStringTemplate<'text' | 'thinking'>();
  return {
    learn(data, event) {
      if (!template.learning || !isRecord(event) || event.type !== 'content_block_delta' || !isRecord(event.delta)) return false;
      const text = TEXT_FIELDS.get(event.delta.type);
      const value = text === undefined ? undefined : event.delta[text.field];
      if (text === undefined || typeof value !== 'string' || value === '') return false;
      const hole = onlyJsonStringValueAt(locateJsonStringValues(data), ['delta', text.field]);
      return hole !== undefined && template.learn(data, [hole], 0, text.kind);
    },
    recognize(data) {
      const literal = template.match(data);
      return literal === undefined ? undefined : { kind: template.meta!, literal };
    },
  };
}
