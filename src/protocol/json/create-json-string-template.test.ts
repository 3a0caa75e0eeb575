import { describe, expect, it } from 'vitest';
import { createJsonStringTemplate } from './create-json-string-template.js';
import { locateJsonStringValues } from './locate-json-string-values.js';

describe('createJsonStringTemplate', () => {
  const text = '{"a":"x","b":[1,"y"],"c":"z"}';
  const template = createJsonStringTemplate(text, locateJsonStringValues(text));

  it('gives the literal of any hole of a text that differs only in its strings', () => {
    const other = '{"a":"1","b":[1,"\\u0041\\n"],"c":"\ud83d\ude00"}';
    expect([0, 1, 2].map((hole) => template.match(other, hole))).toEqual(['"1"', '"A\\n"', '"😀"']);
    expect(template.match(other, 3)).toBeUndefined();
    expect(template.match(other, -1)).toBeUndefined();
  });

  it('keeps a surrogate pair as it is and escapes a lone surrogate, as JSON.stringify does', () => {
    const single = createJsonStringTemplate('["x"]', locateJsonStringValues('["x"]'));
    for (const value of ['😀', 'a😀b', '\ud800', '\udc00', '\ud800\ud800', '\udc00😀', '😀\ud83d', 'x\ud800"']) {
      expect(single.match(`[${JSON.stringify(value).replace(/\\u(d[89a-f][0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))}]`, 0), value).toBe(JSON.stringify(value));
    }
  });

  it('refuses a text with other fixed parts or an invalid literal in any hole', () => {
    for (const other of ['{"a":"x","b":[2,"y"],"c":"z"}', '{"a":"x","b":[1,"y"],"c":"z"} ', '{"a":"x","b":[1,"\t"],"c":"z"}', '{"a":"x","b":[1,"y"],"c":"\\x"}', '{"a":"x","b":[1,"y"],"c":"z']) {
      expect(template.match(other, 0), other).toBeUndefined();
    }
  });

  it('wants its holes sorted and apart', () => {
    const [a, b] = locateJsonStringValues(text);
    expect(() => createJsonStringTemplate(text, [b!, a!])).toThrow(RangeError);
  });
});
