import type { AdminMethod, AdminRoute } from './admin-route.js';

export type AdminRouteResolution =
  | { kind: 'found'; route: AdminRoute; params: Record<string, string> }
  /** The path exists, with other methods (a 405 names them in `allow`). */
  | { kind: 'wrong_method'; allowed: AdminMethod[] }
  | { kind: 'not_found' };

/**
 * The admin API's router: a path below `/admin/v1` (no query) → the route
 * and its URL-decoded parameters. Segments match literally or, for `{name}`,
 * any non-empty segment; a segment that is not valid percent-encoding matches
 * nothing. The table is small and the API is not on the hot path, so a scan
 * is all it takes.
 */
export function resolveAdminRoute(options: { routes: readonly AdminRoute[]; method: string; path: string }): AdminRouteResolution {
  const segments = options.path.split('/').slice(1);
  const allowed: AdminMethod[] = [];
  for (const route of options.routes) {
    const params = matchPath(route.path, segments);
    if (!params) continue;
    if (route.method === options.method) return { kind: 'found', route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: 'wrong_method', allowed } : { kind: 'not_found' };
}

function matchPath(template: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = template.split('/').slice(1);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index]!;
    if (part.startsWith('{') && part.endsWith('}')) {
      if (segment === '') return undefined;
      try {
        params[part.slice(1, -1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}
