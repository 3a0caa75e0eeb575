/**
 * The OpenAPI document at /admin/v1/openapi.json: valid OpenAPI 3.1 (checked
 * with the official JSON schema), describing exactly the routes the admin
 * router serves (read from its table, so neither can drift), and describing
 * the fields real answers carry.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_BASE_PATH, ADMIN_ROUTES } from '../../src/admin/admin-routes.js';
import { startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';
import { ALICE_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { createAdminClient, type AdminCall } from './admin-client.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

let upstream: FakeUpstream;
let mixroute: TestGateway;
let admin: AdminCall;
let document: any;

beforeAll(async () => {
  upstream = await startFakeAnthropicUpstream();
  mixroute = await startTestGateway({ upstreamUrl: upstream.url });
  admin = createAdminClient(mixroute.url, ALICE_KEY);
  const response = await fetch(`${mixroute.url}${ADMIN_BASE_PATH}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json');
  document = await response.json();
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});

function operations(): Array<{ method: string; path: string; item: any; operation: any }> {
  return Object.entries(document.paths as Record<string, any>).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => METHODS.includes(key))
      .map((method) => ({ method: method.toUpperCase(), path, item, operation: item[method] })),
  );
}

function resolve(reference: string): any {
  expect(reference.startsWith('#/'), reference).toBe(true);
  return reference
    .slice(2)
    .split('/')
    .reduce((node: any, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], document);
}

/** Every property name a schema allows (through $ref and allOf) and the ones it requires. */
function fieldsOf(schema: any): { allowed: Set<string>; required: Set<string> } {
  if (schema.$ref) return fieldsOf(resolve(schema.$ref));
  const allowed = new Set<string>(Object.keys(schema.properties ?? {}));
  const required = new Set<string>(schema.required ?? []);
  for (const part of schema.allOf ?? []) {
    const inner = fieldsOf(part);
    inner.allowed.forEach((name) => allowed.add(name));
    inner.required.forEach((name) => required.add(name));
  }
  return { allowed, required };
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(() => validator.resolveRefs()).not.toThrow();
    // And the validator is not vacuous: a broken operation fails it.
    const broken = structuredClone(document);
    broken.paths['/admin/v1/users'].get.responses = { '200': { content: 'json' } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('has no dangling $ref', () => {
    const references: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (typeof node === 'object' && node !== null) {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') references.push(value);
          else walk(value);
        }
      }
    };
    walk(document);
    expect(references.length).toBeGreaterThan(20);
    for (const reference of references) expect(resolve(reference), reference).toBeDefined();
  });

  it('documents exactly the routes the admin router serves', () => {
    const served = ADMIN_ROUTES.map((route) => `${route.method} ${ADMIN_BASE_PATH}${route.path}`).sort();
    const documented = operations()
      .map(({ method, path }) => `${method} ${path}`)
      .sort();
    expect(documented).toEqual(served);
    expect(new Set(served).size).toBe(served.length);
  });

  it('declares every path parameter, and the key only where the router asks for one', () => {
    for (const { method, path, item, operation } of operations()) {
      const declared = [...(item.parameters ?? []), ...(operation.parameters ?? [])].filter((parameter: any) => parameter.in === 'path').map((parameter: any) => parameter.name);
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      expect(declared.sort(), `${method} ${path}`).toEqual(inPath.sort());

      const route = ADMIN_ROUTES.find((candidate) => `${ADMIN_BASE_PATH}${candidate.path}` === path && candidate.method === method)!;
      if (route.authenticated) {
        expect(operation.security, `${method} ${path}`).toBeUndefined();
        expect(operation.responses['401'], `${method} ${path}`).toBeDefined();
      } else {
        expect(operation.security, `${method} ${path}`).toEqual([]);
      }
      const needsBody = ['POST', 'PUT', 'PATCH'].includes(method) && !path.endsWith('/revoke');
      expect(operation.requestBody !== undefined, `${method} ${path} request body`).toBe(needsBody);
    }
    expect(document.security).toEqual([{ bearerKey: [] }, { headerKey: [] }]);
  });

  it("describes every field of the real answers, and they carry every required one", async () => {
    await admin('POST', '/users/bob/credit', { amount_usd: '1' });
    await admin('PATCH', '/users/bob', { spend_limit: { amount_usd: '1', period: 'day' } });
    await admin('PUT', '/groups/partners', { price_multiplier: '0.9' });
    await admin('PUT', '/prices/my-model', { input: '1', output: '2', long_context: { threshold_input_tokens: 1000, input: '2', output: '4' } });
    const created = await admin('POST', '/keys', { name: 'documented', user: 'bob', allowed_models: ['claude-*'], quota_usd: '1' });
    await fetch(`${mixroute.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': ALICE_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] }),
    }).then((response) => response.arrayBuffer());
    await mixroute.gateway.flushLedger();

    const samples: Array<[string, unknown]> = [
      ['User', (await admin('GET', '/users')).body.data],
      ['ApiKey', (await admin('GET', '/keys')).body.data],
      ['ApiKeyCreated', [created.body]],
      ['Channel', (await admin('GET', '/channels')).body.data],
      ['Group', (await admin('GET', '/groups')).body.data],
      ['Price', (await admin('GET', '/prices')).body.data],
      ['LedgerPage', [(await admin('GET', '/ledger')).body]],
      ['LedgerEntry', (await admin('GET', '/ledger')).body.data],
      ['Usage', [(await admin('GET', '/usage?group_by=key')).body]],
    ];
    for (const groupBy of ['key', 'user', 'model', 'day']) samples.push(['UsageRow', (await admin('GET', `/usage?group_by=${groupBy}`)).body.data]);
    for (const [name, answers] of samples) {
      const { allowed, required } = fieldsOf({ $ref: `#/components/schemas/${name}` });
      for (const answer of answers as Array<Record<string, unknown>>) {
        expect(Object.keys(answer).filter((field) => !allowed.has(field)), `${name}: undocumented fields`).toEqual([]);
        expect([...required].filter((field) => !(field in answer)), `${name}: required fields missing`).toEqual([]);
      }
    }
    const error = (await admin('GET', '/users/nobody')).body;
    const { allowed } = fieldsOf({ $ref: '#/components/schemas/Error' });
    expect(Object.keys(error).every((field) => allowed.has(field))).toBe(true);
  });
});
