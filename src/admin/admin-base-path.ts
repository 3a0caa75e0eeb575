/** Where the admin API lives; every route's path is below it. (Its own file: the gateway checks it on every request without loading the admin API.) */
export const ADMIN_BASE_PATH = '/admin/v1';
