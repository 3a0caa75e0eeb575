import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../../test/support/create-seeded-random.js';
import { locateJsonStringValues } from './locate-json-string-values.js';

function valueAt(root: unknown, path: Array<string | number>): unknown {
  let value = root;
  for (const step of path) value = (value as Record<string | number, unknown>)[step];
  return value;
}

function countStrings(value: unknown): number {
  if (typeof value === 'string') return 1;
  if (typeof value !== 'object' || value === null) return 0;
  return Object.values(value).reduce((sum: number, child) => sum + countStrings(child), 0);
}

const STRINGS = ['', 'a', 'say "hi"', 'back\\slash', 'line\nbreak', '{[,:]}', 'é😀', '\u2028', '\ud800', '\\u0041'];
const KEYS = ['a', 'content', 'with "quote"', 'b\\c', 'é', '{', '0'];

function randomValue(random: () => number, depth: number): unknown {
  const roll = random();
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  if (depth > 4 || roll < 0.35) return pick<unknown>([...STRINGS, 0, -1.5e-7, 12345, true, false, null]);
  if (roll < 0.65) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
  const object: Record<string, unknown> = {};
  for (let index = Math.floor(random() * 4); index > 0; index--) object[pick(KEYS)] = randomValue(random, depth + 1);
  return object;
}

describe('locateJsonStringValues', () => {
  it('finds every string value of random JSON texts, at its path and with its literal, whatever the spacing and escaping', () => {
    const random = createSeededRandom(11);
    for (let attempt = 0; attempt < 2000; attempt++) {
      const value = randomValue(random, 0);
      let text = JSON.stringify(value, null, random() < 0.3 ? 2 : undefined);
      if (random() < 0.3) text = text.replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
      if (random() < 0.2) text = ` \n${text}\t `;
      const locations = locateJsonStringValues(text);
      expect(locations).toHaveLength(countStrings(value));
      for (const location of locations) {
        expect(JSON.parse(text.slice(location.start, location.end)), text).toBe(valueAt(value, location.path));
      }
    }
  });

  it('reads a key with escapes as its value, and reports each occurrence of a duplicate key', () => {
    const locations = locateJsonStringValues('{"con\\u0074ent":"x","a":[1,{"b":"y"},"z"],"a":"w"}');
    expect(locations.map(({ path }) => path)).toEqual([['content'], ['a', 1, 'b'], ['a', 2], ['a']]);
    expect(locateJsonStringValues('"top"')).toEqual([{ path: [], start: 0, end: 5 }]);
  });
});
