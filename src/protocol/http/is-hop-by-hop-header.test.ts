import { describe, expect, it } from 'vitest';
import { isHopByHopHeader, parseConnectionHeader } from './is-hop-by-hop-header.js';

describe('isHopByHopHeader', () => {
  it('knows the RFC 9110 hop-by-hop headers and the proxy ones', () => {
    for (const name of ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']) {
      expect(isHopByHopHeader(name), name).toBe(true);
    }
  });

  it('passes end-to-end headers', () => {
    for (const name of ['content-type', 'anthropic-beta', 'anthropic-version', 'x-api-key', 'authorization', 'trailers', 'x-claude-code-session-id']) {
      expect(isHopByHopHeader(name), name).toBe(false);
    }
  });

  it('expects a lower-case name, as its callers pass', () => {
    expect(isHopByHopHeader('Connection')).toBe(false);
  });
});

describe('parseConnectionHeader', () => {
  it('lists the named headers, lower-cased and trimmed, without the close and keep-alive options', () => {
    expect([...parseConnectionHeader(' Keep-Alive, X-Hop ,close,  Upgrade,CLOSE ')]).toEqual(['x-hop', 'upgrade']);
  });

  it('skips empty list elements', () => {
    expect([...parseConnectionHeader(',, x-a ,,')]).toEqual(['x-a']);
  });

  it('gives an empty set for no header or an empty one', () => {
    expect(parseConnectionHeader(undefined).size).toBe(0);
    expect(parseConnectionHeader('').size).toBe(0);
  });
});
