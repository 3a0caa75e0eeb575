import type { ModelPrice } from './model-price.js';

/**
 * The price entry for a model, or undefined when none matches (the caller
 * decides what an unpriced model means: refused for billing users unless the
 * operator allows it).
 *
 * Order rules:
 * 1. An exact pattern (no `*`) equal to the model wins over every wildcard,
 *    wherever it stands in the table: pricing one dated snapshot differently
 *    from its family must not depend on where the line was added.
 * 2. Otherwise the first wildcard pattern in table order that matches wins.
 *    Put the operator's entries before the defaults
 *    (`[...operatorPrices, ...DEFAULT_PRICES]`) to override them, and a
 *    narrower pattern before a broader one.
 *
 * `*` matches any run of characters, including none; all other characters
 * are literal and case-sensitive, as Anthropic's model ids are.
 */
export function resolveModelPrice(options: { model: string; table: readonly ModelPrice[] }): ModelPrice | undefined {
  const { model, table } = options;
  let firstWildcard: ModelPrice | undefined;
  for (const entry of table) {
    if (!entry.pattern.includes('*')) {
      if (entry.pattern === model) return entry;
    } else if (firstWildcard === undefined && matchesWildcard(entry.pattern, model)) {
      firstWildcard = entry;
    }
  }
  return firstWildcard;
}

// Glob matching with `*` only, no regular expression (a pattern is operator
// text): the first piece must be a prefix, the last a suffix, and the pieces
// between must appear in order in what is left. Taking each middle piece at
// its leftmost position is always right, because a `*` on both sides of it
// absorbs whatever comes before and after.
function matchesWildcard(pattern: string, model: string): boolean {
  const pieces = pattern.split('*');
  const first = pieces[0] ?? '';
  const last = pieces[pieces.length - 1] ?? '';
  if (model.length < first.length + last.length) return false;
  if (!model.startsWith(first) || !model.endsWith(last)) return false;
  let position = first.length;
  const end = model.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = model.indexOf(piece, position);
    if (found === -1 || found + piece.length > end) return false;
    position = found + piece.length;
  }
  return true;
}
