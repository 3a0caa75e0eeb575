/**
 * Where a Chat Completions request goes on an OpenAI-compatible channel. Its
 * base URL is given as to the OpenAI SDK, version segment included
 * (`https://api.openai.com/v1`, `https://openrouter.ai/api/v1`,
 * `http://localhost:11434/v1`, `https://api.deepseek.com`), and
 * `/chat/completions` is appended, with the client's query if any.
 */
export function resolveOpenAIUpstreamPath(options: { baseUrl: string; query?: string }): { origin: string; path: string } {
  const base = new URL(options.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return { origin: base.origin, path: `${prefix}/chat/completions${options.query ?? ''}` };
}
