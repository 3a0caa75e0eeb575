/** The admin key's owner, once authenticated (an admin). */
export interface AdminCaller {
  keyId: string;
  keyName: string;
  userId: string;
}

/** One admin API call, taken apart by the HTTP layer: handlers never see the socket. */
export interface AdminRequest {
  /** Path parameters, URL-decoded, named as in the route's path (`/users/{user}` → `user`). */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The parsed JSON body; undefined when the request had none. */
  body: unknown;
  /** Undefined only on routes that need no key (the OpenAPI document). */
  caller: AdminCaller | undefined;
}

/** What a handler answers: a status and a JSON body (none for 204). */
export interface AdminResponse {
  status: number;
  body?: unknown;
}
