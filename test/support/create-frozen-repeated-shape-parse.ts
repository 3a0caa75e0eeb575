import { createRepeatedShapeJsonParser } from '../../src/protocol/json/create-repeated-shape-json-parser.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * A stream's JSON parse as the gateway does it, with the repeated-shape parser,
 * whose results share parts; here they are also deep-frozen, so a consumer
 * that changed a parsed value (and so every later result sharing it) throws.
 */
export function createFrozenRepeatedShapeParse(): (text: string) => unknown {
  const parser = createRepeatedShapeJsonParser();
  return (text) => deepFreeze(parser.parse(text));
}
