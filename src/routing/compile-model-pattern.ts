/**
 * Compiles a channel's model pattern once, at load time, so routing a request
 * costs a string compare or one regex test. `*` matches any run of characters
 * (`claude-*`, `*-haiku-*`); everything else is literal and case-sensitive, as
 * Anthropic's model ids are.
 */
export function compileModelPattern(pattern: string): (model: string) => boolean {
  if (!pattern.includes('*')) return (model) => model === pattern;
  if (pattern === '*') return () => true;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 's');
  return (model) => regex.test(model);
}
