/**
 * Cuts bytes into consecutive pieces of random sizes, as a socket's reads may
 * come: a few bytes, up to 400, or all that is left.
 */
export function cutAtRandom<T extends Uint8Array>(bytes: T, random: () => number): T[] {
  const pieces: T[] = [];
  for (let position = 0; position < bytes.length; ) {
    const roll = random();
    const size = roll < 0.3 ? 1 + Math.floor(random() * 8) : roll < 0.7 ? 1 + Math.floor(random() * 400) : bytes.length;
    pieces.push(bytes.subarray(position, position + size) as T);
    position += size;
  }
  return pieces;
}
