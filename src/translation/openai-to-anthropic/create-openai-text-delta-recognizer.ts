import { locateJsonStringValues, type JsonStringValueLocation } from '../../protocol/json/locate-json-string-values.js';

/** A chunk recognized as nothing but the next piece of text or reasoning. */
export interface OpenAITextDelta {
  /** The Anthropic block kind its text goes to. */
  kind: 'text' | 'thinking';
  /**
   * The text as a JSON string literal, quotes included: the chunk's own
   * literal when that is exactly what JSON.stringify of its value gives (no
   * escape in it), else the value re-stringified.
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
   * learning after a few templates.
   */
  learn(data: string, chunk: unknown): boolean;
  /** The delta, when `data` is the template's text with other strings in its holes; otherwise undefined. */
  recognize(data: string): OpenAITextDelta | undefined;
  /** Whether `learn` may still take a template. */
  readonly learning: boolean;
}

/** Templates a stream may learn: a stream whose every chunk differs in its fixed parts stops trying. */
const MAX_TEMPLATES = 8;

/** The delta fields that carry text, and the Anthropic block each goes to (as the stream translator reads them). */
const TEXT_FIELDS: ReadonlyMap<string, 'text' | 'thinking'> = new Map([
  ['content', 'text'],
  ['refusal', 'text'],
  ['reasoning_content', 'thinking'],
  ['reasoning', 'thinking'],
]);

interface Template {
  /** The fixed text before each hole, and after the last: one more than the holes. */
  pieces: string[];
  /** Which hole holds the text. The others are `obfuscation` padding, read past. */
  textHole: number;
  kind: 'text' | 'thinking';
  like: unknown;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

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

function hasPath(location: JsonStringValueLocation, path: ReadonlyArray<string | number>): boolean {
  if (location.path.length !== path.length) return false;
  for (let index = 0; index < path.length; index++) if (location.path[index] !== path[index]) return false;
  return true;
}

/** The one location with this path; undefined if none or several (a duplicate key). */
function onlyAt(locations: JsonStringValueLocation[], path: ReadonlyArray<string | number>): JsonStringValueLocation | undefined {
  let found: JsonStringValueLocation | undefined;
  for (const location of locations) {
    if (!hasPath(location, path)) continue;
    if (found !== undefined) return undefined;
    found = location;
  }
  return found;
}

/**
 * Recognizes, in a Chat Completions stream, the chunks that only carry the
 * next piece of text, without parsing them: most of a stream is such chunks,
 * each the one before with another text (and, from OpenAI, other
 * `obfuscation` padding). The stream translation then sends their text
 * straight to the open block, and reads every other chunk in full.
 *
 * A template is a plain text delta's data cut at its text's literal and at a
 * top-level `obfuscation` string. A data matches when it holds the same fixed
 * text around valid JSON string literals: it is then, token for token, the
 * template with other strings, so it parses to the template's value with those
 * strings, and translates as a chunk with that text would. The literal is
 * returned as is when it holds no escape: JSON.stringify of its value gives
 * the same characters (a valid literal without a backslash holds no quote or
 * control character; one with a surrogate is re-stringified, as JSON.stringify
 * escapes a lone one). With an escape, the value is decoded and re-stringified, so the
 * client gets exactly the bytes the full translation would send.
 */
export function createOpenAITextDeltaRecognizer(): OpenAITextDeltaRecognizer {
  let template: Template | undefined;
  let learnt = 0;

  const recognizer = {
    learning: true,
    learn(data: string, chunk: unknown): boolean {
      if (!recognizer.learning) return false;
      const field = textFieldOf(chunk);
      if (field === undefined) return false;
      const locations = locateJsonStringValues(data);
      const text = onlyAt(locations, ['choices', 0, 'delta', field]);
      if (text === undefined) return false;
      const holes = [text];
      const padding = onlyAt(locations, ['obfuscation']);
      if (padding !== undefined) holes.push(padding);
      holes.sort((a, b) => a.start - b.start);
      const pieces: string[] = [];
      let from = 0;
      for (const hole of holes) {
        pieces.push(data.slice(from, hole.start));
        from = hole.end;
      }
      pieces.push(data.slice(from));
      template = { pieces, textHole: holes.indexOf(text), kind: TEXT_FIELDS.get(field)!, like: chunk };
      learnt++;
      if (learnt >= MAX_TEMPLATES) recognizer.learning = false;
      return true;
    },
    recognize(data: string): OpenAITextDelta | undefined {
      if (template === undefined) return undefined;
      const { pieces, textHole } = template;
      let position = 0;
      let textStart = 0;
      let textEnd = 0;
      let escaped = false;
      const holes = pieces.length - 1;
      for (let hole = 0; hole < holes; hole++) {
        const piece = pieces[hole]!;
        const start = position + piece.length;
        if (data.slice(position, start) !== piece) return undefined;
        const end = stringLiteralEnd(data, start);
        if (end < 0) return undefined;
        if (hole === textHole) {
          textStart = start;
          textEnd = end;
          escaped = literalHasEscape;
        }
        position = end;
      }
      const last = pieces[holes]!;
      if (data.length !== position + last.length || data.slice(position) !== last) return undefined;
      let literal = data.slice(textStart, textEnd);
      if (escaped) literal = JSON.stringify(JSON.parse(literal) as string);
      return { kind: template.kind, literal, like: template.like };
    },
  };
  return recognizer;
}

/** Set by stringLiteralEnd: whether the literal it last accepted holds an escape or a surrogate. */
let literalHasEscape = false;

/**
 * Just after the closing quote of the valid JSON string literal opening at
 * `start`; -1 if there is none (no quote there, a control character, a bad
 * escape, or the text ends first).
 */
function stringLiteralEnd(text: string, start: number): number {
  if (text.charCodeAt(start) !== QUOTE) return -1;
  literalHasEscape = false;
  const length = text.length;
  let position = start + 1;
  while (position < length) {
    const code = text.charCodeAt(position);
    if (code === QUOTE) return position + 1;
    if (code < 0x20) return -1;
    // A lone surrogate is written escaped by JSON.stringify: such a literal is re-stringified too.
    if (code >= 0xd800 && code <= 0xdfff) literalHasEscape = true;
    if (code === BACKSLASH) {
      literalHasEscape = true;
      const escape = text.charCodeAt(position + 1);
      if (escape === 0x75 /* u */) {
        for (let digit = 2; digit < 6; digit++) if (!isHexDigit(text.charCodeAt(position + digit))) return -1;
        position += 6;
        continue;
      }
      // " \ / b f n r t
      if (escape !== QUOTE && escape !== BACKSLASH && escape !== 0x2f && escape !== 0x62 && escape !== 0x66 && escape !== 0x6e && escape !== 0x72 && escape !== 0x74) return -1;
      position += 2;
      continue;
    }
    position++;
  }
  return -1;
}

function isHexDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}
