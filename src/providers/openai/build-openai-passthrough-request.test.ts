import { describe, expect, it } from 'vitest';
import { compileModelPattern } from '../../routing/compile-model-pattern.js';
import type { RoutableChannel } from '../../routing/routable-channel.js';
import type { Target } from '../../routing/target.js';
import { buildOpenAIPassthroughRequest } from './build-openai-passthrough-request.js';

function target(extraHeaders: Record<string, string> = {}): Target {
  const channel: RoutableChannel = {
    id: 'ch_1',
    name: 'openai',
    type: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    apiKeys: ['sk-channel'],
    authHeader: 'bearer',
    priority: 0,
    weight: 1,
    enabled: true,
    models: ['gpt-*'],
    modelMap: {},
    matchers: [compileModelPattern('gpt-*')],
    timeouts: { connectMs: 1000, firstByteMs: 1000, idleMs: 1000 },
    reasoning: 'reasoning_effort',
    maxTokensField: 'max_tokens',
    capabilities: { thinking: true, tools: true, images: true, documents: true, serverTools: '*', betas: '*' },
    extraHeaders,
    createdAt: 0,
  };
  return { channel, credential: 'sk-channel', credentialIndex: 0, upstreamModel: 'gpt-4.1-nano' };
}

const CLIENT_HEADERS = [
  'Content-Type', 'application/json',
  'Authorization', 'Bearer sk-mr-client-secret',
  'OpenAI-Organization', 'org-client',
  'OpenAI-Project', 'proj_client',
  'X-Stainless-Lang', 'js',
];

function build(extraHeaders?: Record<string, string>) {
  return buildOpenAIPassthroughRequest({
    target: target(extraHeaders),
    query: '',
    rawHeaders: CLIENT_HEADERS,
    body: Buffer.from('{"model":"gpt-4.1-nano","messages":[]}'),
    clientModel: 'gpt-4.1-nano',
    stream: false,
    includeUsage: false,
  }).request;
}

function pairs(headers: string[]): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (let index = 0; index < headers.length; index += 2) result.push([headers[index]!, headers[index + 1]!]);
  return result;
}

describe('buildOpenAIPassthroughRequest headers', () => {
  it("drops the client's organization and project: they would select among the operator's", () => {
    expect(pairs(build().headers)).toEqual([
      ['Content-Type', 'application/json'],
      ['X-Stainless-Lang', 'js'],
      ['authorization', 'Bearer sk-channel'],
    ]);
  });

  it("sends the channel's own organization and project, configured as extra headers, in place of the client's", () => {
    expect(pairs(build({ 'OpenAI-Organization': 'org-operator', 'OpenAI-Project': 'proj_operator' }).headers)).toEqual([
      ['Content-Type', 'application/json'],
      ['OpenAI-Organization', 'org-operator'],
      ['OpenAI-Project', 'proj_operator'],
      ['X-Stainless-Lang', 'js'],
      ['authorization', 'Bearer sk-channel'],
    ]);
  });
});
