/** Where one string value sits in a JSON text. */
export interface JsonStringValueLocation {
  /** Keys and array indexes from the root to the value, keys decoded (`"a\u0062"` is `ab`). */
  path: Array<string | number>;
  /** The literal's first character (its opening quote) in the text. */
  start: number;
  /** Just after its closing quote. */
  end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

interface Frame {
  array: boolean;
  /** An array's next index. */
  index: number;
  /** An object's last key. */
  key: string | undefined;
}

/**
 * Every string value of a JSON text (not the keys), with its path and the
 * position of its literal: what is needed to cut a text at its strings.
 *
 * The text must be valid JSON (the caller has JSON.parse'd it): this scanner
 * only follows the structure, it does not validate. A duplicate key yields one
 * location per occurrence, all with the same path.
 */
export function locateJsonStringValues(text: string): JsonStringValueLocation[] {
  const found: JsonStringValueLocation[] = [];
  const stack: Frame[] = [];
  // In an object: whether the next string is a key.
  let expectingKey = false;
  let position = 0;
  const length = text.length;
  while (position < length) {
    const code = text.charCodeAt(position);
    if (code === QUOTE) {
      const end = literalEnd(text, position);
      const frame = stack[stack.length - 1];
      if (frame !== undefined && !frame.array && expectingKey) {
        frame.key = decodeKey(text, position, end);
        expectingKey = false;
      } else {
        found.push({ path: pathOf(stack), start: position, end });
        if (frame?.array) frame.index++;
      }
      position = end;
      continue;
    }
    if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      const parent = stack[stack.length - 1];
      // The container's own place in its parent is the parent's current key or index.
      stack.push({ array: code === 0x5b, index: 0, key: undefined });
      if (parent?.array) parent.index++;
      expectingKey = code === 0x7b;
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      stack.pop();
      expectingKey = false;
    } else if (code === 0x2c /* , */) {
      expectingKey = stack[stack.length - 1]?.array === false;
    } else if (code !== 0x3a /* : */ && code > 0x20) {
      // A number or a literal (true, false, null) as an array element: it takes an index.
      const frame = stack[stack.length - 1];
      if (frame?.array) {
        frame.index++;
        while (position + 1 < length && isScalarCharacter(text.charCodeAt(position + 1))) position++;
      }
    }
    position++;
  }
  return found;
}

function isScalarCharacter(code: number): boolean {
  return code > 0x20 && code !== 0x2c && code !== 0x5d && code !== 0x7d;
}

/** Just after the closing quote of the literal opening at `start`. */
function literalEnd(text: string, start: number): number {
  let position = start + 1;
  for (;;) {
    const code = text.charCodeAt(position);
    if (code === QUOTE) return position + 1;
    position += code === BACKSLASH ? 2 : 1;
  }
}

function decodeKey(text: string, start: number, end: number): string {
  const inner = text.slice(start + 1, end - 1);
  return inner.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : inner;
}

/**
 * The path of the value about to be read: each container's place in its
 * parent, then the innermost container's key or index. An array's index has
 * already moved past its elements so far, so a value's index is taken before
 * the caller moves it on.
 */
function pathOf(stack: Frame[]): Array<string | number> {
  const path: Array<string | number> = [];
  for (let level = 1; level < stack.length; level++) {
    const parent = stack[level - 1]!;
    path.push(parent.array ? parent.index - 1 : parent.key!);
  }
  const innermost = stack[stack.length - 1];
  if (innermost !== undefined) path.push(innermost.array ? innermost.index : innermost.key!);
  return path;
}

/** The one location at `path`; undefined if there is none, or several (a duplicate key). */
export function onlyJsonStringValueAt(locations: readonly JsonStringValueLocation[], path: ReadonlyArray<string | number>): JsonStringValueLocation | undefined {
  let found: JsonStringValueLocation | undefined;
  for (const location of locations) {
    if (location.path.length !== path.length || location.path.some((step, index) => step !== path[index])) continue;
    if (found !== undefined) return undefined;
    found = location;
  }
  return found;
}
