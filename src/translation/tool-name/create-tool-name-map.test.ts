import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createToolNameMap } from './create-tool-name-map.js';

const VALID = /^[a-zA-Z0-9_-]{1,64}$/;
const hash8 = (name: string) => createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8);

describe('createToolNameMap', () => {
  it('passes valid names through unchanged, both ways', () => {
    const map = createToolNameMap(['get_weather', 'Bash', 'a-b_C9', 'x'.repeat(64)]);
    for (const name of ['get_weather', 'Bash', 'a-b_C9', 'x'.repeat(64)]) {
      expect(map.toUpstream(name)).toBe(name);
      expect(map.toClient(name)).toBe(name);
    }
  });

  it('shortens a long name to 55 characters, an underscore and 8 hex digits of its hash', () => {
    const long = 'mcp__github__' + 'create_or_update_file_in_repository_with_branch_and_commit_message';
    expect(long.length).toBeGreaterThan(64);
    const map = createToolNameMap([long]);
    const upstream = map.toUpstream(long);
    expect(upstream).toBe(long.slice(0, 55) + '_' + hash8(long));
    expect(upstream).toHaveLength(64);
    expect(upstream).toMatch(VALID);
    expect(map.toClient(upstream)).toBe(long);
  });

  it('sanitizes invalid characters and adds the hash so the result cannot collide with a real name', () => {
    const map = createToolNameMap(['a.b', 'a_b', 'ns:tool/run', 'emoji🙂', '']);
    expect(map.toUpstream('a.b')).toBe(`a_b_${hash8('a.b')}`);
    expect(map.toUpstream('a_b')).toBe('a_b');
    expect(map.toUpstream('ns:tool/run')).toBe(`ns_tool_run_${hash8('ns:tool/run')}`);
    // A surrogate pair is two invalid code units, so two underscores.
    expect(map.toUpstream('emoji🙂')).toBe(`emoji___${hash8('emoji🙂')}`);
    expect(map.toUpstream('')).toBe(`_${hash8('')}`);
    for (const name of ['a.b', 'a_b', 'ns:tool/run', 'emoji🙂', '']) {
      expect(map.toUpstream(name)).toMatch(VALID);
      expect(map.toClient(map.toUpstream(name))).toBe(name);
    }
  });

  it('sanitizes and shortens a name that needs both', () => {
    const name = 'server.with.dots/' + 'y'.repeat(80);
    const upstream = createToolNameMap([name]).toUpstream(name);
    expect(upstream).toBe(('server_with_dots_' + 'y'.repeat(80)).slice(0, 55) + '_' + hash8(name));
  });

  it('is deterministic across maps, so every request derives the same names', () => {
    const name = 'z'.repeat(100);
    expect(createToolNameMap([name]).toUpstream(name)).toBe(createToolNameMap([]).toUpstream(name));
  });

  it('keeps names sharing a 55-character prefix apart', () => {
    const prefix = 'p'.repeat(60);
    const map = createToolNameMap([prefix + 'one', prefix + 'two']);
    expect(map.toUpstream(prefix + 'one')).not.toBe(map.toUpstream(prefix + 'two'));
    expect(map.toClient(map.toUpstream(prefix + 'two'))).toBe(prefix + 'two');
  });

  it('maps names it was not built with, and remembers them for the way back', () => {
    const map = createToolNameMap([]);
    const name = 'q'.repeat(70);
    const upstream = map.toUpstream(name);
    expect(map.toClient(upstream)).toBe(name);
  });

  it('returns names the upstream invented unchanged', () => {
    expect(createToolNameMap(['a.b']).toClient('hallucinated_tool')).toBe('hallucinated_tool');
  });

  it('throws when a rewritten name collides with another name', () => {
    const rewritten = `a_b_${hash8('a.b')}`;
    expect(() => createToolNameMap(['a.b', rewritten])).toThrow(/both map to/);
  });
});
