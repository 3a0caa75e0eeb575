import { readdirSync, readFileSync } from 'node:fs';

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

/**
 * Every recorded stream in a fixtures directory, whole and then cut `cuts` random ways by
 * cutAtRandom, one after the other (so a seeded `random` cuts the same way every run).
 */
export function* recordedStreamsCut(directory: URL, random: () => number, cuts = 50): Generator<{ label: string; pieces: Buffer[]; whole: boolean }> {
  for (const name of readdirSync(directory)) {
    const bytes = readFileSync(new URL(name, directory));
    yield { label: name, pieces: [bytes], whole: true };
    for (let attempt = 0; attempt < cuts; attempt++) yield { label: `${name} cut ${attempt}`, pieces: cutAtRandom(bytes, random), whole: false };
  }
}
