import type { Target } from './target.js';

/** Where a request for one model goes, in the order to try. */
export interface Route {
  clientModel: string;
  targets: Target[];
  /** Betas the route needs added to `anthropic-beta` (the `[1m]` rule). */
  addBetas: string[];
}
