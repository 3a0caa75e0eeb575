import { describe, expect, it } from 'vitest';
import { parseOpenAIStreamData } from './parse-openai-stream-data.js';

describe('parseOpenAIStreamData', () => {
  it('recognizes [DONE]', () => {
    expect(parseOpenAIStreamData('[DONE]')).toEqual({ kind: 'done' });
  });

  it('returns chunks, with choices made an array when a server leaves it out', () => {
    const data = '{"id":"a","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}';
    expect(parseOpenAIStreamData(data)).toEqual({ kind: 'chunk', chunk: JSON.parse(data) });
    const usageOnly = parseOpenAIStreamData('{"id":"a","usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}');
    expect(usageOnly.kind === 'chunk' && usageOnly.chunk.choices).toEqual([]);
  });

  it('returns OpenAI mid-stream errors', () => {
    expect(parseOpenAIStreamData('{"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}')).toEqual({
      kind: 'error',
      error: { message: 'The server had an error', type: 'server_error', code: undefined },
    });
    expect(parseOpenAIStreamData('{"error":"overloaded"}')).toEqual({ kind: 'error', error: { message: 'overloaded', type: undefined, code: undefined } });
  });

  it('returns vLLM\'s bare error objects', () => {
    expect(parseOpenAIStreamData('{"object":"error","message":"bad","type":"BadRequestError","code":400}')).toEqual({
      kind: 'error',
      error: { message: 'bad', type: 'BadRequestError', code: 400 },
    });
  });

  it('throws on data that is not a JSON object', () => {
    expect(() => parseOpenAIStreamData('{"truncated":')).toThrow(SyntaxError);
    expect(() => parseOpenAIStreamData('[1,2]')).toThrow(TypeError);
    expect(() => parseOpenAIStreamData('null')).toThrow(TypeError);
  });
});
