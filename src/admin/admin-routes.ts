import type { AdminRoute } from './admin-route.js';
import { CHANNEL_ROUTES } from './channel-routes.js';
import { GROUP_ROUTES } from './group-routes.js';
import { KEY_ROUTES } from './key-routes.js';
import { LEDGER_ROUTES } from './ledger-routes.js';
import { OPENAPI_DOCUMENT } from './openapi-document.js';
import { PRICE_ROUTES } from './price-routes.js';
import { USAGE_ROUTES } from './usage-routes.js';
import { USER_ROUTES } from './user-routes.js';

export { ADMIN_BASE_PATH } from './admin-base-path.js';

/** Every operation the admin API serves: the router's table, and what the OpenAPI document must describe. */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/openapi.json',
    authenticated: false,
    handle: async () => ({ status: 200, body: OPENAPI_DOCUMENT }),
  },
  ...USER_ROUTES,
  ...KEY_ROUTES,
  ...CHANNEL_ROUTES,
  ...GROUP_ROUTES,
  ...PRICE_ROUTES,
  ...LEDGER_ROUTES,
  ...USAGE_ROUTES,
];
