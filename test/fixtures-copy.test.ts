/**
 * test/fixtures is a verbatim copy of the shared recordings (../shared/fixtures
 * beside the repository), vendored so a clean clone can run its tests alone.
 * Where the shared folder is present, the copy must be identical.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const COPY = resolve(import.meta.dirname, 'fixtures');
const SHARED = resolve(import.meta.dirname, '../../shared/fixtures');

function listFiles(root: string, directory = root): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? listFiles(root, path) : [relative(root, path)];
  });
}

describe.skipIf(!existsSync(SHARED))(`test/fixtures${existsSync(SHARED) ? '' : ' (skipped: ../shared/fixtures not beside this clone)'}`, () => {
  it('is byte-identical to ../shared/fixtures', () => {
    const shared = listFiles(SHARED).sort();
    expect(listFiles(COPY).sort()).toEqual(shared);
    for (const file of shared) expect(readFileSync(join(COPY, file)).equals(readFileSync(join(SHARED, file))), file).toBe(true);
  });
});
