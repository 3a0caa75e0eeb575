import { createJsonStringTemplate, type JsonStringTemplate } from './create-json-string-template.js';

/**
 * The latest of a stream's JSON string templates (see createJsonStringTemplate),
 * with what it was learnt with: each text learnt replaces the one before.
 */
export interface LearntJsonStringTemplate<Meta> {
  /** Whether `learn` still takes templates (see createLearntJsonStringTemplate). */
  readonly learning: boolean;
  /** What the current template was learnt with; undefined before the first. */
  readonly meta: Meta | undefined;
  /**
   * Makes `text`, cut at `holes` (sorted, apart), the template, whose hole
   * `hole` is the one `match` reads. Returns false, and keeps the template it
   * has, once learning has stopped.
   */
  learn(text: string, holes: ReadonlyArray<{ start: number; end: number }>, hole: number, meta: Meta): boolean;
  /** The current template's match of `text` (see JsonStringTemplate.match); undefined with no template. */
  match(text: string): string | undefined;
}

/**
 * Templates replaced without ever matching after which learning stops: a
 * stream whose texts keep changing in their fixed parts would otherwise pay
 * for a template per text.
 */
const MAX_UNUSED_TEMPLATES = 8;

export function createLearntJsonStringTemplate<Meta>(): LearntJsonStringTemplate<Meta> {
  let template: JsonStringTemplate | undefined;
  let hole = 0;
  let hits = 0;
  let unused = 0;
  const learnt = {
    learning: true,
    meta: undefined as Meta | undefined,
    learn(text: string, holes: ReadonlyArray<{ start: number; end: number }>, holeToRead: number, meta: Meta): boolean {
      if (!learnt.learning) return false;
      if (template !== undefined && hits === 0 && ++unused >= MAX_UNUSED_TEMPLATES) learnt.learning = false;
      template = createJsonStringTemplate(text, holes);
      hole = holeToRead;
      hits = 0;
      learnt.meta = meta;
      return true;
    },
    match(text: string): string | undefined {
      const literal = template?.match(text, hole);
      if (literal !== undefined) hits++;
      return literal;
    },
  };
  return learnt;
}
