/** The API a client called, decided by the path: `/v1/messages*` is Anthropic, `/v1/chat/completions` OpenAI. */
export type ClientDialect = 'anthropic' | 'openai';
