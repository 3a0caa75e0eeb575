import { createLearntJsonStringTemplate } from '../../protocol/json/create-learnt-json-string-template.js';
import { locateJsonStringValues, onlyJsonStringValueAt } from '../../protocol/json/locate-json-string-values.js';

/** A chunk recognized as nothing but the next piece of text or reasoning. */
export interface OpenAITextDelta {
  /** The Anthropic block kind its text goes to. */
  kind: 'text' | 'thinking';
  /**
   * The text as a JSON string literal, quotes included, as JSON.stringify
   * writes its value: the chunk's own literal when that is the same (no
   * escape, no lone surrogate), else the value stringified again.
   */
  literal: string;
  /** The chunk the template was learnt from: the same in everything but the text (and `obfuscation`). */
  like: unknown;
}

export interface OpenAITextDeltaRecognizer {
  /**
   * Offers a chunk's data and its parsed value (as JSON.parse gives it). When
   * the chunk is a plain text delta (see below), it becomes the template that
   * `recognize` compares with; returns whether it did. A recognizer stops
   * learning once a few templates have been replaced without ever matching
   * (see createLearntJsonStringTemplate).
   */
  learn(data: string, chunk: unknown): boolean;
  /** The delta, when `data` is the template's text with other strings in its holes; otherwise undefined. */
  recognize(data: string): OpenAITextDelta | undefined;
}

/** The delta fields that carry text, and the Anthropic block each goes to (as the stream translator reads them). */
const TEXT_FIELDS: ReadonlyMap<string, 'text' | 'thinking'> = new Map([
  ['content', 'text'],
  ['refusal', 'text'],
  ['reasoning_content', 'thinking'],
  ['reasoning', 'thinking'],
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const absent = (value: unknown) => value === undefined || value === null;

/**
 * The delta field holding the text, when the chunk is a plain text delta: a
 * chunk whose only effect on the stream translation and the usage accounting
 * is to add its one text to the open block of its kind. So: no usage, no
 * error, one choice, no finish reason, no tool call or function call, and
 * exactly one of the text fields a string (the others absent or null). Other
 * fields (id, model, role, logprobs…) may be anything: they are part of the
 * template's fixed text, so a chunk that differs in them is not recognized.
 * An empty text is not learnt: it is a stream's first chunk, with the role,
 * whose shape the chunks after it do not share.
 */
function textFieldOf(chunk: unknown): string | undefined {
  if (!isRecord(chunk) || !absent(chunk.usage) || !absent(chunk.error) || chunk.object === 'error') return undefined;
  const choices = chunk.choices;
  if (!Array.isArray(choices) || choices.length !== 1) return undefined;
  const choice: unknown = choices[0];
  if (!isRecord(choice) || !absent(choice.finish_reason) || !isRecord(choice.delta)) return undefined;
  const delta = choice.delta;
  if (!absent(delta.tool_calls) || !absent(delta.function_call)) return undefined;
  let field: string | undefined;
  for (const name of TEXT_FIELDS.keys()) {
    const value = delta[name];
    if (typeof value === 'string') {
      if (field !== undefined || value === '') return undefined;
      field = name;
    } else if (!absent(value)) {
      return undefined;
    }
  }
  return field;
}

/**
 * Recognizes, in a Chat Completions stream, the chunks that only carry the
 * next piece of text, without parsing them: most of a stream is such chunks,
 * each the one before with another text (and, from OpenAI, other
 * `obfuscation` padding). The stream translation then sends their text
 * straight to the open block, and reads every other chunk in full.
 *
 * A template is a plain text delta's data cut at its text's literal and at a
 * top-level `obfuscation` string (see createJsonStringTemplate). A data that
 * matches parses to the template's chunk with other strings, and translates
 * as a chunk with that text would. The literal comes as JSON.stringify writes
 * its value, so the client gets exactly the bytes the full translation sends.
 */
export function createOpenAITextDeltaRecognizer(): OpenAITextDeltaRecognizer {
  const template = createLearntJsonStringTemplate<{ kind: 'text' | 'thinking'; like: unknown }>();
  return {
    learn(data, chunk) {
      if (!template.learning) return false;
      const field = textFieldOf(chunk);
      if (field === undefined) return false;
      const locations = locateJsonStringValues(data);
      const text = onlyJsonStringValueAt(locations, ['choices', 0, 'delta', field]);
      if (text === undefined) return false;
      // The other hole, if any, is `obfuscation` padding, read past.
      const holes = [text];
      const padding = onlyJsonStringValueAt(locations, ['obfuscation']);
      if (padding !== undefined) holes.push(padding);
      holes.sort((a, b) => a.start - b.start);
      return template.learn(data, holes, holes.indexOf(text), { kind: TEXT_FIELDS.get(field)!, like: chunk });
    },
    recognize(data) {
      const literal = template.match(data);
      return literal === undefined ? undefined : { kind: template.meta!.kind, literal, like: template.meta!.like };
    },
  };
}
