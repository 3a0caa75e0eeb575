/**
 * A JSON text with holes where some of its string values are: `match` tells
 * whether another text is the same text with other strings in those places.
 */
export interface JsonStringTemplate {
  /**
   * When `text` is the template's text with a valid JSON string literal in
   * each hole: the literal in hole `hole` (0-based, in text order), written as
   * JSON.stringify writes its value. Otherwise undefined.
   */
  match(text: string, hole: number): string | undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Cuts a JSON text at the string literals in `holes` (sorted, not
 * overlapping: from locateJsonStringValues) into fixed pieces. A text that
 * holds the same pieces around valid string literals is, token for token,
 * the template with other strings, so it parses to the template's value with
 * those strings in their places: a caller can take its strings without
 * parsing it.
 *
 * The fixed pieces are compared as slices (on Node 20 a slice and `===` is
 * several times faster than `startsWith` or a loop over char codes). A
 * literal comes back as it is when it holds no escape: JSON.stringify of its
 * value gives the same characters (a valid literal without a backslash holds
 * no quote or control character). One with an escape, or with a lone
 * surrogate (which JSON.stringify escapes), is decoded and stringified again.
 */
export function createJsonStringTemplate(text: string, holes: ReadonlyArray<{ start: number; end: number }>): JsonStringTemplate {
  const pieces: string[] = [];
  let from = 0;
  for (const hole of holes) {
    if (hole.start < from || hole.end <= hole.start) throw new RangeError('Template holes must be sorted and must not overlap.');
    pieces.push(text.slice(from, hole.start));
    from = hole.end;
  }
  pieces.push(text.slice(from));
  const last = pieces.length - 1;

  return {
    match(candidate, hole) {
      if (hole < 0 || hole >= last) return undefined;
      let position = 0;
      let literalStart = 0;
      let literalEnd = 0;
      let canonical = true;
      for (let index = 0; index < last; index++) {
        const piece = pieces[index]!;
        const start = position + piece.length;
        if (candidate.slice(position, start) !== piece) return undefined;
        const end = stringLiteralEnd(candidate, start);
        if (end < 0) return undefined;
        if (index === hole) {
          literalStart = start;
          literalEnd = end;
          canonical = !literalNeedsRewriting;
        }
        position = end;
      }
      const tail = pieces[last]!;
      if (candidate.length !== position + tail.length || candidate.slice(position) !== tail) return undefined;
      const literal = candidate.slice(literalStart, literalEnd);
      return canonical ? literal : JSON.stringify(JSON.parse(literal) as string);
    },
  };
}

/**
 * Set by stringLiteralEnd: whether the literal it last accepted holds an escape or a lone surrogate (a
 * second result, without an object per call; nothing re-enters between the call and the read).
 */
let literalNeedsRewriting = false;

/**
 * Just after the closing quote of the valid JSON string literal opening at
 * `start`; -1 if there is none (no quote there, a control character, a bad
 * escape, or the text ends first).
 */
function stringLiteralEnd(text: string, start: number): number {
  if (text.charCodeAt(start) !== QUOTE) return -1;
  literalNeedsRewriting = false;
  const length = text.length;
  let position = start + 1;
  while (position < length) {
    const code = text.charCodeAt(position);
    if (code === QUOTE) return position + 1;
    if (code < 0x20) return -1;
    if (code >= 0xd800 && code <= 0xdfff) {
      // A pair (an emoji) stays as it is; JSON.stringify escapes a lone surrogate.
      const next = text.charCodeAt(position + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        position += 2;
        continue;
      }
      literalNeedsRewriting = true;
    }
    if (code === BACKSLASH) {
      literalNeedsRewriting = true;
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
