/**
 * Whether a driver error is a UNIQUE / PRIMARY KEY violation, on either
 * dialect: better-sqlite3 reports SQLITE_CONSTRAINT_UNIQUE or _PRIMARYKEY,
 * `pg` reports SQLSTATE 23505. Used to turn a lost race into a clear message.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
