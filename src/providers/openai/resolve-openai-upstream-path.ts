import { parseBaseUrl } from '../parse-base-url.js';

/**
 * Where a Chat Completions request goes on an OpenAI-compatible channel. Its
 * base URL is given as to the OpenAI SDK, version segment included
 * (`https://api.openai.com/v1`, `https://openrouter.ai/api/v1`,
 * `http://localhost:11434/v1`, `https://api.deepseek.com`), and
 * `/chat/completions` is appended, with the client's query if any.
 */
export function resolveOpenAIUpstreamPath(options: { baseUrl: string; query?: string }): { origin: string; path: string } {
  const base = parseBaseUrl(options.baseUrl);
  return { origin: base.origin, path: `${base.path}/chat/completions${options.query ?? ''}` };
}
