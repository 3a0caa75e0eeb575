/**
 * A JSON.parse for a sequence of texts that mostly differ from the ones before
 * only in some string values: the chunks of a Chat Completions stream, where
 * 200 chunks in a row are `{"id":…,"choices":[{"index":0,"delta":{"content":"<text>"},…}]}`
 * with only the text (and OpenAI's `obfuscation` padding) changing.
 *
 * JSON.parse builds every object of every chunk again, about 0.8 µs for a
 * 240-byte chunk: more than everything else a translated delta costs together.
 * This parser keeps the last text it parsed in full as a template: the text
 * cut at its string values into fixed pieces (keys, punctuation, numbers,
 * literals, whitespace), plus where each string value sits in the parsed
 * value. A new text made of the same fixed pieces with any valid string
 * literals between them is, token for token, the template with other strings,
 * so its value is the template's value with those strings in their places.
 * Only the strings are read (and decoded only when they contain an escape),
 * and only the containers on the way to them are copied. After a few texts
 * have matched, the strings that stayed the same in all of them (the id, the
 * model…) become part of the fixed pieces, which are compared natively rather
 * than read character by character.
 *
 * The result is always exactly what JSON.parse returns; any difference in the
 * fixed pieces, a string that is not a valid literal, or anything else
 * unexpected falls back to JSON.parse (which throws for invalid JSON, as
 * before). After two such texts in a row, the second becomes the template. A
 * sequence that keeps changing shape stops building templates after a few
 * unused ones, so the worst case costs little more than JSON.parse alone.
 *
 * Results are read-only: the parts that did not change are shared between
 * results and with the template. (Freezing them would say so loudly, but on
 * Node 20 copying a frozen object is several times slower.)
 */
export interface RepeatedShapeJsonParser {
  parse(text: string): unknown;
}

interface Slot {
  /** Where the string value goes: the container at this spine node, under this key. */
  key: string | number;
  /** Index into the values read from a text, in text order. */
  index: number;
}

/** A container on the way from the root to some string value: copied for every result. */
interface SpineNode {
  key: string | number;
  array: boolean;
  slots: Slot[];
  children: SpineNode[];
}

interface Template {
  text: string;
  /** The template's parsed value, shared by every result made from it. */
  value: unknown;
  /** The fixed text before each string value read, and after the last one: one more than the values. */
  pieces: string[];
  /** The values the template's own text has in those places. */
  ownValues: string[];
  /** Which of them some matching text has changed. */
  varied: boolean[];
  /** The root container's copy plan. */
  root: SpineNode;
  hits: number;
  /** Whether the unchanged values have been made fixed text already. */
  narrowed: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Deeper nesting is not templated (the builder recurses). */
const MAX_DEPTH = 32;
/** Texts longer than this are parsed with JSON.parse only: templates are for small, repeated chunks. */
const MAX_TEMPLATE_LENGTH = 16 * 1024;
/** Templates built and replaced without ever matching (or not built: see buildTemplate); past this, the parser stops building them. */
const MAX_UNUSED_TEMPLATES = 8;
/**
 * Matching texts after which the strings none of them changed become fixed
 * text. Three, not one: two deltas in a row can carry the same word.
 */
const HITS_BEFORE_NARROWING = 3;

const MISS = Symbol('miss');

export function createRepeatedShapeJsonParser(): RepeatedShapeJsonParser {
  let template: Template | undefined;
  let unusedTemplates = 0;
  let lastMissed = false;
  // Values read from the current text; reused, because a result copies them out at once.
  const values: string[] = [];

  function parse(text: string): unknown {
    if (template !== undefined) {
      const result = instantiate(template, text);
      if (result !== MISS) {
        lastMissed = false;
        return result;
      }
    }
    const value: unknown = JSON.parse(text);
    // One text unlike the template (a stream's first chunk with the role, its finish chunk) leaves it
    // in place; the second in a row replaces it.
    if (lastMissed && unusedTemplates < MAX_UNUSED_TEMPLATES) {
      if (template !== undefined && template.hits === 0) unusedTemplates++;
      template = buildTemplate(text, value, undefined);
      if (template === undefined) unusedTemplates++; // a text that cannot be one counts as unused too
      lastMissed = false;
    } else {
      lastMissed = true;
    }
    return value;
  }

  function instantiate(current: Template, text: string): unknown {
    if (!readStrings(current.pieces, text, values)) return MISS;
    current.hits++;
    if (!current.narrowed) {
      for (let index = 0; index < current.ownValues.length; index++) {
        if (values[index] !== current.ownValues[index]) current.varied[index] = true;
      }
      if (current.hits >= HITS_BEFORE_NARROWING) {
        // This text's result comes from the wide template it was read against; the narrowed one
        // takes over from the next text on.
        const result = copySpine(current.root, current.value, values);
        const narrowed = buildTemplate(current.text, current.value, current.varied);
        if (narrowed !== undefined) {
          narrowed.hits = current.hits;
          template = narrowed;
        }
        current.narrowed = true;
        return result;
      }
    }
    return copySpine(current.root, current.value, values);
  }

  return { parse };
}

/**
 * Reads the string values between `pieces` into `values` (from index 0; what lies beyond is stale);
 * false when the text is not made of those pieces.
 */
function readStrings(pieces: string[], text: string, values: string[]): boolean {
  const last = pieces.length - 1;
  let position = 0;
  for (let slot = 0; slot < last; slot++) {
    const piece = pieces[slot]!;
    // Slicing and comparing is several times faster than startsWith(piece, position) on Node 20.
    if (text.slice(position, position + piece.length) !== piece) return false;
    position += piece.length;
    if (text.charCodeAt(position) !== QUOTE) return false;
    const start = position;
    let escaped = false;
    position++;
    for (;;) {
      if (position >= text.length) return false;
      const code = text.charCodeAt(position);
      if (code === QUOTE) break;
      if (code === BACKSLASH) {
        escaped = true;
        position += 2;
        continue;
      }
      if (code < 0x20) return false; // JSON forbids raw control characters in strings
      position++;
    }
    if (escaped) {
      try {
        values[slot] = JSON.parse(text.slice(start, position + 1)) as string;
      } catch {
        return false;
      }
    } else {
      values[slot] = text.slice(start + 1, position);
    }
    position++;
  }
  return text.slice(position) === pieces[last];
}

function copySpine(node: SpineNode, source: unknown, values: string[]): unknown {
  const copy = (node.array ? (source as unknown[]).slice() : { ...(source as object) }) as Record<string | number, unknown>;
  for (const slot of node.slots) copy[slot.key] = values[slot.index];
  for (const child of node.children) copy[child.key] = copySpine(child, copy[child.key], values);
  return copy;
}

/**
 * Cuts `text` (already parsed into `value`) at its string values, or, with
 * `keep`, at those of them whose flag is set (the others stay in the fixed
 * text). Returns undefined for texts not worth or not safe to template: not
 * an object or array, too long or too deep, or with a repeated key
 * (JSON.parse keeps the last one, and a string could then land on the wrong
 * value). A `__proto__` key is fine: JSON.parse makes it an own property,
 * the copies keep it one, and assigning to an own property never reaches the
 * prototype setter.
 */
function buildTemplate(text: string, value: unknown, keep: boolean[] | undefined): Template | undefined {
  if (text.length > MAX_TEMPLATE_LENGTH || typeof value !== 'object' || value === null) return undefined;
  const pieces: string[] = [];
  const ownValues: string[] = [];
  const root: SpineNode = { key: '', array: Array.isArray(value), slots: [], children: [] };
  let position = 0;
  let pieceStart = 0;
  let stringIndex = 0;

  function skipWhitespace(): void {
    for (;;) {
      const code = text.charCodeAt(position);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      position++;
    }
  }

  let stringEscaped = false;

  /** The end (after the closing quote) of the string literal starting at `position`; sets `stringEscaped`. */
  function stringEnd(): number {
    stringEscaped = false;
    let index = position + 1;
    for (;;) {
      const code = text.charCodeAt(index);
      if (code === QUOTE) return index + 1;
      if (code === BACKSLASH) stringEscaped = true;
      index += code === BACKSLASH ? 2 : 1;
    }
  }

  /** The string literal from `position` to `end`, decoded (it is valid: the text parsed). */
  function stringAt(end: number): string {
    return stringEscaped ? (JSON.parse(text.slice(position, end)) as string) : text.slice(position + 1, end - 1);
  }

  // `node` is the spine node of the container holding the value, `key` its key there.
  function scanValue(node: SpineNode, key: string | number, depth: number): boolean {
    skipWhitespace();
    const code = text.charCodeAt(position);
    if (code === QUOTE) {
      const end = stringEnd();
      if (keep === undefined || keep[stringIndex] === true) {
        pieces.push(text.slice(pieceStart, position));
        ownValues.push(stringAt(end));
        node.slots.push({ key, index: ownValues.length - 1 });
        pieceStart = end;
      }
      stringIndex++;
      position = end;
      return true;
    }
    if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      if (depth >= MAX_DEPTH) return false;
      const child: SpineNode = { key, array: code === 0x5b, slots: [], children: [] };
      if (!scanContainer(child, depth + 1)) return false;
      if (child.slots.length > 0 || child.children.length > 0) node.children.push(child);
      return true;
    }
    // A number or a literal: part of the fixed text.
    while (position < text.length) {
      const next = text.charCodeAt(position);
      if (next === 0x2c || next === 0x5d || next === 0x7d || next === 0x20 || next === 0x0a || next === 0x0d || next === 0x09) break;
      position++;
    }
    return true;
  }

  // At `{` or `[`; fills `node` with the slots and spine children of that container.
  function scanContainer(node: SpineNode, depth: number): boolean {
    const array = node.array;
    position++;
    skipWhitespace();
    if (text.charCodeAt(position) === (array ? 0x5d : 0x7d)) {
      position++;
      return true;
    }
    const keys = array ? undefined : new Set<string>();
    for (let index = 0; ; index++) {
      let key: string | number = index;
      if (keys !== undefined) {
        skipWhitespace();
        const end = stringEnd();
        key = stringAt(end);
        if (keys.has(key)) return false;
        keys.add(key);
        position = end;
        skipWhitespace();
        position++; // the colon
      }
      if (!scanValue(node, key, depth)) return false;
      skipWhitespace();
      const separator = text.charCodeAt(position++);
      if (separator !== 0x2c /* , */) return true; // the closing bracket
    }
  }

  skipWhitespace();
  if (!scanContainer(root, 1)) return undefined;
  pieces.push(text.slice(pieceStart));
  return {
    text,
    value,
    pieces,
    ownValues,
    varied: ownValues.map(() => false),
    root,
    hits: 0,
    narrowed: keep !== undefined,
  };
}
