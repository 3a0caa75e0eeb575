import { describe, expect, it } from 'vitest';
import { compileModelPattern } from '../../routing/compile-model-pattern.js';
import type { RoutableChannel } from '../../routing/routable-channel.js';
import type { Target } from '../../routing/target.js';
import { buildAnthropicUpstreamRequest } from './build-anthropic-upstream-request.js';

function target(options: { baseUrl?: string; authHeader?: 'x-api-key' | 'bearer'; upstreamModel?: string } = {}): Target {
  const channel: RoutableChannel = {
    id: 'ch_1',
    name: 'main',
    type: 'anthropic',
    baseUrl: options.baseUrl ?? 'https://api.anthropic.com',
    apiKeys: ['sk-channel'],
    authHeader: options.authHeader ?? 'x-api-key',
    priority: 0,
    weight: 1,
    enabled: true,
    models: ['claude-*'],
    modelMap: {},
    matchers: [compileModelPattern('claude-*')],
    timeouts: { connectMs: 1000, firstByteMs: 1000, idleMs: 1000 },
    reasoning: 'reasoning_effort',
    maxTokensField: 'max_tokens',
    capabilities: { thinking: true, tools: true, images: true, documents: true, serverTools: '*', betas: '*' },
    extraHeaders: {},
    createdAt: 0,
  };
  return { channel, credential: 'sk-channel', credentialIndex: 0, upstreamModel: options.upstreamModel ?? 'claude-opus-4-8' };
}

const BODY = Buffer.from('{"model":"claude-opus-4-8","max_tokens":1.0e3,"messages":[{"role":"user","content":"hi \\u00e9"}]}');

function build(options: {
  target?: Target;
  pathAndQuery?: string;
  rawHeaders?: string[];
  body?: Buffer;
  clientModel?: string;
  addBetas?: string[];
}) {
  return buildAnthropicUpstreamRequest({
    target: options.target ?? target(),
    pathAndQuery: options.pathAndQuery ?? '/v1/messages?beta=true',
    rawHeaders: options.rawHeaders ?? [],
    body: options.body ?? BODY,
    clientModel: options.clientModel ?? 'claude-opus-4-8',
    addBetas: options.addBetas ?? [],
  });
}

/** Header names and values as [name, value] pairs, for readable assertions. */
function pairs(headers: string[]): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (let index = 0; index < headers.length; index += 2) result.push([headers[index]!, headers[index + 1]!]);
  return result;
}

describe('buildAnthropicUpstreamRequest', () => {
  describe('URL', () => {
    it('sends to the origin of a bare base URL, path and query as the client sent them', () => {
      const request = build({ pathAndQuery: '/v1/messages/count_tokens?beta=true&x=%20y' });
      expect(request.origin).toBe('https://api.anthropic.com');
      expect(request.path).toBe('/v1/messages/count_tokens?beta=true&x=%20y');
    });

    it('puts the base URL path prefix in front of the client path', () => {
      const request = build({ target: target({ baseUrl: 'https://gw.example.com:8443/team/anthropic' }) });
      expect(request.origin).toBe('https://gw.example.com:8443');
      expect(request.path).toBe('/team/anthropic/v1/messages?beta=true');
    });

    it('does not double /v1 when the base URL already ends with it, with or without a slash', () => {
      for (const baseUrl of ['https://gw.example.com/anthropic/v1', 'https://gw.example.com/anthropic/v1/', 'https://gw.example.com/anthropic/']) {
        expect(build({ target: target({ baseUrl }) }).path, baseUrl).toBe('/anthropic/v1/messages?beta=true');
      }
      expect(build({ target: target({ baseUrl: 'http://127.0.0.1:9000/v1' }) })).toMatchObject({
        origin: 'http://127.0.0.1:9000',
        path: '/v1/messages?beta=true',
      });
    });

    it('removes only a final /v1 segment', () => {
      expect(build({ target: target({ baseUrl: 'https://gw.example.com/v1/proxy' }) }).path).toBe('/v1/proxy/v1/messages?beta=true');
    });
  });

  describe('headers', () => {
    const CLIENT_HEADERS = [
      'Host', 'localhost:8080',
      'Content-Type', 'application/json',
      'Content-Length', '97',
      'X-Api-Key', 'sk-mr-client-secret',
      'Authorization', 'Bearer sk-mr-client-secret',
      'anthropic-version', '2023-06-01',
      'Connection', 'keep-alive, X-Hop-Only',
      'X-Hop-Only', 'dropped',
      'Keep-Alive', 'timeout=5',
      'Transfer-Encoding', 'chunked',
      'TE', 'trailers',
      'Trailer', 'x-checksum',
      'Upgrade', 'h2c',
      'Proxy-Authorization', 'Basic eA==',
      'Proxy-Connection', 'keep-alive',
      'Accept-Encoding', 'gzip, br',
      'Expect', '100-continue',
      'Anthropic-Beta', 'interleaved-thinking-2025-05-14',
      'X-Claude-Code-Session-Id', 'session-1',
      'User-Agent', 'claude-cli/2.1.197 (external, cli)',
      'x-stainless-retry-count', '0',
      'X-Custom', 'one',
      'x-custom', 'two',
    ];

    it('forwards every end-to-end header in order and spelling, drops hop-by-hop, framing and client credentials, and adds the channel key last', () => {
      expect(pairs(build({ rawHeaders: CLIENT_HEADERS }).headers)).toEqual([
        ['Content-Type', 'application/json'],
        ['anthropic-version', '2023-06-01'],
        ['Anthropic-Beta', 'interleaved-thinking-2025-05-14'],
        ['X-Claude-Code-Session-Id', 'session-1'],
        ['User-Agent', 'claude-cli/2.1.197 (external, cli)'],
        ['x-stainless-retry-count', '0'],
        ['X-Custom', 'one'],
        ['x-custom', 'two'],
        ['x-api-key', 'sk-channel'],
      ]);
    });

    it('sends the channel key as a Bearer token when the channel asks for it', () => {
      const headers = build({ target: target({ authHeader: 'bearer' }), rawHeaders: CLIENT_HEADERS }).headers;
      expect(pairs(headers).at(-1)).toEqual(['authorization', 'Bearer sk-channel']);
      expect(headers.filter((value) => value.toLowerCase() === 'x-api-key')).toEqual([]);
      expect(headers.filter((value) => value.toLowerCase() === 'authorization')).toEqual(['authorization']);
    });

    it('never lets the client secret through', () => {
      for (const authHeader of ['x-api-key', 'bearer'] as const) {
        const headers = build({ target: target({ authHeader }), rawHeaders: CLIENT_HEADERS }).headers;
        expect(headers.some((value) => value.includes('sk-mr-client-secret'))).toBe(false);
      }
    });

    it('treats "Connection: close" as an option, not as a header name', () => {
      const headers = build({ rawHeaders: ['Connection', 'close', 'close', 'weird but end-to-end'] }).headers;
      expect(pairs(headers)).toEqual([
        ['close', 'weird but end-to-end'],
        ['x-api-key', 'sk-channel'],
      ]);
    });

    describe('anthropic-beta', () => {
      it('passes several anthropic-beta lines untouched and in place when no beta must be added', () => {
        const headers = build({ rawHeaders: ['anthropic-beta', 'a-1', 'X-Other', 'o', 'Anthropic-Beta', 'b-1, context-1m-2025-08-07'] }).headers;
        expect(pairs(headers)).toEqual([
          ['anthropic-beta', 'a-1'],
          ['X-Other', 'o'],
          ['Anthropic-Beta', 'b-1, context-1m-2025-08-07'],
          ['x-api-key', 'sk-channel'],
        ]);
      });

      it('adds a missing beta to the client header, where the client put it and as the client spelled it', () => {
        const headers = build({
          rawHeaders: ['Anthropic-Beta', 'oauth-2025-04-20, interleaved-thinking-2025-05-14', 'X-Other', 'o'],
          addBetas: ['context-1m-2025-08-07'],
        }).headers;
        expect(pairs(headers)).toEqual([
          ['Anthropic-Beta', 'oauth-2025-04-20, interleaved-thinking-2025-05-14,context-1m-2025-08-07'],
          ['X-Other', 'o'],
          ['x-api-key', 'sk-channel'],
        ]);
      });

      it('sends the beta in a header of its own when the client sent none', () => {
        const headers = build({ rawHeaders: ['X-Other', 'o'], addBetas: ['context-1m-2025-08-07'] }).headers;
        expect(pairs(headers)[0]).toEqual(['X-Other', 'o']);
        expect(pairs(headers).slice(1).sort()).toEqual([
          ['anthropic-beta', 'context-1m-2025-08-07'],
          ['x-api-key', 'sk-channel'],
        ]);
      });

      it('leaves several anthropic-beta lines as sent when the client already sent the beta to add', () => {
        const headers = build({
          rawHeaders: ['anthropic-beta', 'x-1', 'X-Other', 'o', 'anthropic-beta', ' context-1m-2025-08-07'],
          addBetas: ['context-1m-2025-08-07'],
        }).headers;
        expect(pairs(headers)).toEqual([
          ['anthropic-beta', 'x-1'],
          ['X-Other', 'o'],
          ['anthropic-beta', ' context-1m-2025-08-07'],
          ['x-api-key', 'sk-channel'],
        ]);
      });

      it('merges several lines into the first when a beta must be added', () => {
        const headers = build({ rawHeaders: ['anthropic-beta', 'x-1', 'X-Other', 'o', 'anthropic-beta', 'x-2'], addBetas: ['context-1m-2025-08-07'] }).headers;
        expect(pairs(headers)).toEqual([
          ['anthropic-beta', 'x-1,x-2,context-1m-2025-08-07'],
          ['X-Other', 'o'],
          ['x-api-key', 'sk-channel'],
        ]);
      });

      it('removes the betas a channel policy rejects, and the header when none is left', () => {
        const withPolicy = (betas: { allow?: string[]; deny?: string[] }, raw: string[]) => {
          const policyTarget = target();
          policyTarget.channel.capabilities = { ...policyTarget.channel.capabilities, betas };
          return pairs(buildAnthropicUpstreamRequest({ target: policyTarget, pathAndQuery: '/v1/messages', rawHeaders: raw, body: BODY, clientModel: 'claude-opus-4-8', addBetas: [] }).headers);
        };
        expect(withPolicy({ deny: ['interleaved-thinking-*'] }, ['anthropic-beta', 'claude-code-20250219,interleaved-thinking-2025-05-14'])).toEqual([
          ['anthropic-beta', 'claude-code-20250219'],
          ['x-api-key', 'sk-channel'],
        ]);
        expect(withPolicy({ allow: ['prompt-caching-*'] }, ['anthropic-beta', 'claude-code-20250219'])).toEqual([['x-api-key', 'sk-channel']]);
        expect(withPolicy({ allow: ['claude-code-*'] }, ['anthropic-beta', 'claude-code-20250219'])).toEqual([
          ['anthropic-beta', 'claude-code-20250219'],
          ['x-api-key', 'sk-channel'],
        ]);
      });
    });
  });

  describe('body', () => {
    it('passes the very same buffer when the model is not renamed', () => {
      expect(build({ body: BODY }).body).toBe(BODY);
    });

    it('changes only the model value when the upstream name differs', () => {
      const body = Buffer.from('{"model":"claude-opus-4-8[1m]","max_tokens":1.0e3,"metadata":{"model":"keep"}}');
      const request = build({ body, clientModel: 'claude-opus-4-8[1m]', target: target({ upstreamModel: 'claude-opus-4-8' }) });
      expect(request.body.toString()).toBe('{"model":"claude-opus-4-8","max_tokens":1.0e3,"metadata":{"model":"keep"}}');
      expect(body.toString()).toContain('[1m]'); // the client's buffer is not modified in place
    });

    it('keeps the body when a renamed model has no top-level model field to rewrite', () => {
      const body = Buffer.from('{"metadata":{"model":"x"}}');
      expect(build({ body, clientModel: 'fast', target: target({ upstreamModel: 'claude-haiku-4-5-20251001' }) }).body).toBe(body);
    });
  });

  describe('bad input', () => {
    // BUG: when a request carries two `Connection` lines (Node keeps them separate in
    // rawHeaders), only the last one's names are honoured: the headers the first one
    // lists are forwarded although RFC 9110 §7.6.1 makes them hop-by-hop. Proposed fix
    // (in forward-client-headers.ts, where the loop now lives): union the names of every
    // Connection line, e.g. `for (const name of parseConnectionHeader(value)) listed.add(name)`.
    it('drops the headers named by every Connection line, not just the last one', () => {
      const headers = build({
        rawHeaders: ['Connection', 'X-First-Hop', 'Connection', 'X-Second-Hop', 'X-First-Hop', '1', 'X-Second-Hop', '2'],
      }).headers;
      expect(pairs(headers)).toEqual([['x-api-key', 'sk-channel']]);
    });

    // BUG: forwardClientHeaders (which this module now delegates to) tests
    // `lower in replace`, and `in` also sees Object.prototype members. Two of them are
    // valid lower-case header names: a client header `Constructor` or `__proto__` is then
    // "replaced" by Object or Object.prototype, a non-string header value that makes
    // undici refuse the whole upstream request. Proposed fix: `Object.hasOwn(replace, lower)`
    // (or build `replace` as a Map).
    it('forwards a client header whose name is also an Object.prototype member', () => {
      const headers = build({ rawHeaders: ['Constructor', 'x', 'X-Other', 'o'] }).headers;
      expect(pairs(headers)).toEqual([
        ['Constructor', 'x'],
        ['X-Other', 'o'],
        ['x-api-key', 'sk-channel'],
      ]);
    });

    // BUG (minor): an empty `anthropic-beta` line merged with an added beta yields
    // ",context-1m-2025-08-07", a header with an empty beta name. Clients do send empty
    // lines: the Anthropic SDK's beta.messages.create({ betas: [] }) sets the header to
    // [].toString(), i.e. "". Proposed fix: when merging, split every line on commas,
    // trim, drop empty tokens, then join.
    it('does not produce an empty beta token when merging into an empty anthropic-beta line', () => {
      const headers = build({ rawHeaders: ['anthropic-beta', ''], addBetas: ['context-1m-2025-08-07'] }).headers;
      expect(pairs(headers)).toEqual([
        ['anthropic-beta', 'context-1m-2025-08-07'],
        ['x-api-key', 'sk-channel'],
      ]);
    });
  });
});
