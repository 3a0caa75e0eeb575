/**
 * Replaces the value of one top-level key of a JSON object in its raw bytes,
 * leaving every other byte as the client sent it. Used to rename the model
 * for an upstream: re-serializing the whole body would rewrite number formats,
 * escapes and key order the client chose, and the relay promises to change
 * only what it must. Every occurrence of the key is replaced (JSON.parse keeps
 * the last duplicate; replacing all keeps the two in agreement).
 *
 * The input must already be known to be valid JSON with an object at the top
 * (the caller parsed it); returns undefined if the key is absent.
 */
export function replaceTopLevelStringField(options: {
  json: Buffer;
  key: string;
  value: string;
}): Buffer | undefined {
  const bytes = options.json;
  const spans: Array<[number, number]> = [];
  let position = skipWhitespace(bytes, 0);
  if (bytes[position] !== 0x7b /* { */) return undefined;
  position = skipWhitespace(bytes, position + 1);
  if (bytes[position] === 0x7d /* } */) return undefined;
  while (position < bytes.length) {
    const keyEnd = skipString(bytes, position);
    const key = JSON.parse(bytes.toString('utf8', position, keyEnd)) as string;
    position = skipWhitespace(bytes, keyEnd);
    position = skipWhitespace(bytes, position + 1); // the colon
    const valueEnd = skipValue(bytes, position);
    if (key === options.key) spans.push([position, valueEnd]);
    position = skipWhitespace(bytes, valueEnd);
    if (bytes[position] === 0x2c /* , */) position = skipWhitespace(bytes, position + 1);
    else break;
  }
  if (spans.length === 0) return undefined;
  const replacement = Buffer.from(JSON.stringify(options.value), 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  for (const [start, end] of spans) {
    parts.push(bytes.subarray(from, start), replacement);
    from = end;
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}

function skipWhitespace(bytes: Buffer, position: number): number {
  while (position < bytes.length) {
    const byte = bytes[position];
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) break;
    position++;
  }
  return position;
}

/** `position` is at the opening quote; returns the index after the closing quote. */
function skipString(bytes: Buffer, position: number): number {
  position++;
  while (position < bytes.length) {
    const byte = bytes[position];
    if (byte === 0x5c /* \ */) position += 2;
    else if (byte === 0x22 /* " */) return position + 1;
    else position++;
  }
  throw new Error('unterminated JSON string');
}

function skipValue(bytes: Buffer, position: number): number {
  const first = bytes[position];
  if (first === 0x22) return skipString(bytes, position);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    while (position < bytes.length) {
      const byte = bytes[position];
      if (byte === 0x22) {
        position = skipString(bytes, position);
        continue;
      }
      if (byte === 0x7b || byte === 0x5b) depth++;
      else if (byte === 0x7d || byte === 0x5d) {
        depth--;
        if (depth === 0) return position + 1;
      }
      position++;
    }
    throw new Error('unterminated JSON container');
  }
  // number, true, false, null: up to the next delimiter
  while (position < bytes.length) {
    const byte = bytes[position];
    if (byte === 0x2c || byte === 0x7d || byte === 0x5d || byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) break;
    position++;
  }
  return position;
}
