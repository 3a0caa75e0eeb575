import { describe, expect, test } from 'vitest';
import { parseDatabaseUrl } from '../../src/storage/parse-database-url.js';

describe('parseDatabaseUrl', () => {
  test.each([
    ['sqlite:./data/mixroute.db', './data/mixroute.db'],
    ['sqlite:data.db', 'data.db'],
    ['sqlite:///var/lib/mixroute.db', '/var/lib/mixroute.db'],
    ['sqlite://relative.db', 'relative.db'],
    ['sqlite::memory:', ':memory:'],
    [':memory:', ':memory:'],
    ['./data/mixroute.db', './data/mixroute.db'],
    ['/abs/mixroute.db', '/abs/mixroute.db'],
    ['C:\\data\\mixroute.db', 'C:\\data\\mixroute.db'],
  ])('%s is SQLite at %s', (url, path) => {
    expect(parseDatabaseUrl(url)).toEqual({ dialect: 'sqlite', path });
  });

  test.each(['postgres://u:p@host:5432/db', 'postgresql://host/db?sslmode=require', 'POSTGRES://host/db'])(
    '%s is PostgreSQL, passed through',
    (url) => {
      expect(parseDatabaseUrl(url)).toEqual({ dialect: 'postgres', connectionString: url });
    },
  );

  test('rejects empty and unsupported URLs without echoing passwords', () => {
    expect(() => parseDatabaseUrl('  ')).toThrow(/empty/);
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/no file path/);
    expect(() => parseDatabaseUrl('mysql://user:hunter2@host/db')).toThrow(/unsupported database url/);
    expect(() => parseDatabaseUrl('mysql://user:hunter2@host/db')).not.toThrow(/hunter2/);
  });
});
