import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { extractApiKey } from './extract-api-key.js';

describe('extractApiKey', () => {
  it('reads x-api-key, trimmed', () => {
    expect(extractApiKey({ 'x-api-key': 'sk-mr-abc' })).toBe('sk-mr-abc');
    expect(extractApiKey({ 'x-api-key': '  sk-mr-abc\t' })).toBe('sk-mr-abc');
  });

  it('reads Authorization: Bearer in any case and with any run of spaces', () => {
    expect(extractApiKey({ authorization: 'Bearer sk-mr-abc' })).toBe('sk-mr-abc');
    expect(extractApiKey({ authorization: 'bearer sk-mr-abc' })).toBe('sk-mr-abc');
    expect(extractApiKey({ authorization: '  BEARER    sk-mr-abc  ' })).toBe('sk-mr-abc');
  });

  it('prefers x-api-key when both are sent', () => {
    expect(extractApiKey({ 'x-api-key': 'from-x-api-key', authorization: 'Bearer from-bearer' })).toBe('from-x-api-key');
  });

  it('falls back to the Bearer token when x-api-key is blank', () => {
    expect(extractApiKey({ 'x-api-key': '   ', authorization: 'Bearer sk-mr-abc' })).toBe('sk-mr-abc');
  });

  describe('bad input', () => {
    it('returns undefined when there is no usable key', () => {
      const cases: IncomingHttpHeaders[] = [
        {},
        { 'x-api-key': '' },
        { authorization: 'Bearer' },
        { authorization: 'Bearer    ' },
        { authorization: 'Basic dXNlcjpwYXNz' },
        { authorization: 'sk-mr-abc' }, // no scheme
        { authorization: 'Bearersk-mr-abc' }, // no space after the scheme
        { 'api-key': 'sk-mr-abc' }, // Azure's spelling is not ours
      ];
      for (const headers of cases) expect(extractApiKey(headers), JSON.stringify(headers)).toBeUndefined();
    });

    it('ignores a non-string x-api-key value rather than guessing which one to use', () => {
      const headers = { 'x-api-key': ['a', 'b'] } as unknown as IncomingHttpHeaders;
      expect(extractApiKey(headers)).toBeUndefined();
      expect(extractApiKey({ ...headers, authorization: 'Bearer c' })).toBe('c');
    });
  });
});
