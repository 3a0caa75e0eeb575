import { describe, expect, it } from 'vitest';
import type { AdminRoute } from './admin-route.js';
import { resolveAdminRoute } from './resolve-admin-route.js';

const handle = async () => ({ status: 200 });
const routes: AdminRoute[] = [
  { method: 'GET', path: '/users', authenticated: true, handle },
  { method: 'POST', path: '/users', authenticated: true, handle },
  { method: 'GET', path: '/users/{user}', authenticated: true, handle },
  { method: 'POST', path: '/users/{user}/credit', authenticated: true, handle },
];

describe('resolveAdminRoute', () => {
  it('matches literal segments and decodes parameters', () => {
    expect(resolveAdminRoute({ routes, method: 'GET', path: '/users' })).toMatchObject({ kind: 'found', route: routes[0], params: {} });
    expect(resolveAdminRoute({ routes, method: 'GET', path: '/users/J%C3%BCrgen%2Fx' })).toMatchObject({ kind: 'found', route: routes[2], params: { user: 'Jürgen/x' } });
    expect(resolveAdminRoute({ routes, method: 'POST', path: '/users/bob/credit' })).toMatchObject({ kind: 'found', route: routes[3], params: { user: 'bob' } });
  });

  it('tells a wrong method (with the allowed ones) from a path that does not exist', () => {
    expect(resolveAdminRoute({ routes, method: 'DELETE', path: '/users' })).toEqual({ kind: 'wrong_method', allowed: ['GET', 'POST'] });
    for (const path of ['/user', '/users/', '/users/bob/debit', '/users/%E0%A4%A', '', '/users/bob/credit/x']) {
      expect(resolveAdminRoute({ routes, method: 'GET', path }), path).toEqual({ kind: 'not_found' });
    }
  });
});
