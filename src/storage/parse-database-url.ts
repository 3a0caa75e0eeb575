/** Where a database URL points, after normalising the accepted spellings. */
export type DatabaseLocation =
  | { dialect: 'sqlite'; /** A filesystem path, or `:memory:`. */ path: string }
  | { dialect: 'postgres'; connectionString: string };

/**
 * Accepted forms:
 * - `postgres://…` / `postgresql://…` — passed to `pg` untouched;
 * - `sqlite:<path>`, `sqlite://<path>` (so `sqlite:///abs/file.db` is absolute);
 * - `sqlite::memory:` or `:memory:`;
 * - a bare file path (the zero-config default is just a path under the data dir).
 *
 * Anything else that looks like a URL (`mysql://…`) is rejected rather than
 * being mistaken for a relative file name.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  const trimmed = url.trim();
  if (trimmed === '') {
    throw new Error('database url is empty');
  }
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    return { dialect: 'postgres', connectionString: trimmed };
  }
  if (/^sqlite:/i.test(trimmed)) {
    let path = trimmed.slice('sqlite:'.length);
    if (path.startsWith('//')) {
      path = path.slice(2);
    }
    if (path === '') {
      throw new Error(`database url "${url}" has no file path (use sqlite:<path> or sqlite::memory:)`);
    }
    return { dialect: 'sqlite', path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new Error(
      `unsupported database url "${redactPassword(trimmed)}": expected sqlite:<path>, a file path, or postgres://…`,
    );
  }
  return { dialect: 'sqlite', path: trimmed };
}

/** Error messages end up in logs; never echo a password from a URL. */
function redactPassword(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
