import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors/gateway-error.js';
import { parseAnthropicRequestEnvelope } from './parse-anthropic-request-envelope.js';

function parse(text: string) {
  return parseAnthropicRequestEnvelope(Buffer.from(text));
}

function expect400(text: string, message: string | RegExp) {
  let caught: unknown;
  try {
    parse(text);
  } catch (error) {
    caught = error;
  }
  expect(caught, text).toBeInstanceOf(GatewayError);
  expect(caught).toMatchObject({ status: 400, type: 'invalid_request_error' });
  if (typeof message === 'string') expect((caught as Error).message).toBe(message);
  else expect((caught as Error).message).toMatch(message);
}

describe('parseAnthropicRequestEnvelope', () => {
  it('reads model, stream, max_tokens and metadata.user_id, checks nothing else, and keeps the parsed body', () => {
    const userId = '{"device_id":"d","session_id":"s"}';
    const body = { model: 'claude-opus-4-8', max_tokens: 1024, stream: true, metadata: { user_id: userId }, messages: [], tools: 'unchecked' };
    expect(parse(JSON.stringify(body))).toEqual({ model: 'claude-opus-4-8', stream: true, maxTokens: 1024, metadataUserId: userId, fields: body });
  });

  it('defaults stream to false (also for an explicit null) and leaves the rest undefined', () => {
    expect(parse('{"model":"m"}')).toEqual({ model: 'm', stream: false, maxTokens: undefined, metadataUserId: undefined, fields: { model: 'm' } });
    expect(parse('{"model":"m","stream":null}').stream).toBe(false);
    expect(parse('{"model":"m","stream":false}').stream).toBe(false);
  });

  it('leaves max_tokens and metadata checks to the upstream', () => {
    expect(parse('{"model":"m","max_tokens":"1024"}').maxTokens).toBeUndefined();
    expect(parse('{"model":"m","max_tokens":-1.5}').maxTokens).toBe(-1.5);
    expect(parse('{"model":"m","metadata":null}').metadataUserId).toBeUndefined();
    expect(parse('{"model":"m","metadata":"x"}').metadataUserId).toBeUndefined();
    expect(parse('{"model":"m","metadata":{"user_id":42}}').metadataUserId).toBe(42);
  });

  it('accepts surrounding whitespace and takes the last of duplicate keys, as JSON.parse does', () => {
    expect(parse(' \n{"model":"a","model":"b"}\n ').model).toBe('b');
  });

  describe('bad input', () => {
    it('refuses an empty body', () => {
      expect400('', 'Request body is empty; expected a JSON object.');
    });

    it('refuses malformed JSON and says why', () => {
      expect400('{"model":"m",', /^Request body is not valid JSON: /);
      expect400('{model: "m"}', /^Request body is not valid JSON: /);
      expect400('{"model":"m"} trailing', /^Request body is not valid JSON: /);
    });

    it('refuses JSON that is not an object, naming what it got', () => {
      expect400('[{"model":"m"}]', 'Request body must be a JSON object, got an array.');
      expect400('null', 'Request body must be a JSON object, got null.');
      expect400('"model"', 'Request body must be a JSON object, got string.');
      expect400('42', 'Request body must be a JSON object, got number.');
      expect400('true', 'Request body must be a JSON object, got boolean.');
    });

    it('requires model as a non-empty string', () => {
      expect400('{}', 'model: Field required');
      expect400('{"max_tokens":1}', 'model: Field required');
      expect400('{"model":""}', 'model: Input should be a valid string');
      expect400('{"model":null}', 'model: Input should be a valid string');
      expect400('{"model":42}', 'model: Input should be a valid string');
      expect400('{"model":["claude"]}', 'model: Input should be a valid string');
    });

    it('requires stream, when given, to be a boolean', () => {
      expect400('{"model":"m","stream":"true"}', 'stream: Input should be a valid boolean');
      expect400('{"model":"m","stream":1}', 'stream: Input should be a valid boolean');
    });

    it('refuses bytes that are not UTF-8 JSON', () => {
      expect(() => parseAnthropicRequestEnvelope(Buffer.from([0xff, 0xfe, 0x7b, 0x7d]))).toThrow(GatewayError);
    });
  });
});
