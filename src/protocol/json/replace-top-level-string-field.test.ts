import { describe, expect, it } from 'vitest';
import { replaceTopLevelStringField } from './replace-top-level-string-field.js';

function replace(json: string, key: string, value: string) {
  return replaceTopLevelStringField({ json: Buffer.from(json), key, value })?.toString();
}

describe('replaceTopLevelStringField', () => {
  it('changes only the value bytes and keeps every other byte', () => {
    const body = '{ "max_tokens" : 1.0e3,\n  "model":"claude-x" , "messages":[{"role":"user","content":"caf\\u00e9 \\"model\\""}]}';
    expect(replace(body, 'model', 'claude-y')).toBe(body.replace('"claude-x"', '"claude-y"'));
  });

  it('ignores the same key nested deeper', () => {
    const body = '{"metadata":{"model":"nested"},"tools":[{"model":"x"}],"model":"top"}';
    expect(replace(body, 'model', 'new')).toBe('{"metadata":{"model":"nested"},"tools":[{"model":"x"}],"model":"new"}');
  });

  it('replaces every duplicate so JSON.parse agrees with what was replaced', () => {
    expect(replace('{"model":"a","model":"b"}', 'model', 'c')).toBe('{"model":"c","model":"c"}');
  });

  it('handles escaped quotes and brackets inside strings, and keys with escapes', () => {
    const body = '{"system":"a } ] \\" { [","mo\\u0064el":"x","n":[1,{"a":"}"}],"z":null}';
    expect(JSON.parse(replace(body, 'model', 'y')!)).toEqual({ system: 'a } ] " { [', model: 'y', n: [1, { a: '}' }], z: null });
  });

  it('escapes the new value', () => {
    expect(JSON.parse(replace('{"model":"a"}', 'model', 'we"ird\n')!).model).toBe('we"ird\n');
  });

  it('returns undefined when the key is absent or the top level is not an object', () => {
    expect(replace('{"a":1}', 'model', 'x')).toBeUndefined();
    expect(replace('{}', 'model', 'x')).toBeUndefined();
    expect(replace('["model"]', 'model', 'x')).toBeUndefined();
  });

  it('keeps non-ASCII bytes around the value intact', () => {
    const body = '{"text":"日本語 🎌","model":"m","after":"ü"}';
    expect(replace(body, 'model', 'n')).toBe('{"text":"日本語 🎌","model":"n","after":"ü"}');
  });
});
