import type { AdminContext } from './admin-context.js';
import type { AdminRequest, AdminResponse } from './admin-request.js';

export type AdminMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One operation of the admin API; the table of them is `ADMIN_ROUTES`. */
export interface AdminRoute {
  method: AdminMethod;
  /** Below `/admin/v1`, with `{name}` parameters as the OpenAPI document writes them: `/users/{user}/credit`. */
  path: string;
  /** False only for the OpenAPI document; everything else needs an admin key. */
  authenticated: boolean;
  handle(request: AdminRequest, context: AdminContext): Promise<AdminResponse>;
}
