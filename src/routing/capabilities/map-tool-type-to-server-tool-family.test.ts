import { describe, expect, it } from 'vitest';
import { mapToolTypeToServerToolFamily } from './map-tool-type-to-server-tool-family.js';

describe('mapToolTypeToServerToolFamily', () => {
  it.each([
    ['web_search_20250305', 'web_search'],
    ['web_search_20260318', 'web_search'],
    ['web_fetch_20250910', 'web_fetch'],
    ['code_execution_20250825', 'code_execution'],
    ['bash_20250124', 'bash'],
    ['text_editor_20250728', 'text_editor'],
    ['computer_20251124', 'computer'],
    ['memory_20250818', 'memory'],
    ['tool_search_tool_bm25_20251119', 'tool_search'],
    ['tool_search_tool_regex_20251119', 'tool_search'],
    ['mcp_toolset', 'mcp'],
    ['browser_toolset_20260801', 'browser_toolset'],
  ])('maps the tool type %s to %s', (type, family) => {
    expect(mapToolTypeToServerToolFamily({ type })).toBe(family);
  });

  it.each([
    ['web_search', 'web_search'],
    ['bash_code_execution', 'code_execution'],
    ['text_editor_code_execution', 'code_execution'],
    ['tool_search_tool_regex', 'tool_search'],
  ])('maps the server_tool_use name %s to %s', (type, family) => {
    expect(mapToolTypeToServerToolFamily({ type })).toBe(family);
  });

  it('keeps an unknown undated type as it is', () => {
    expect(mapToolTypeToServerToolFamily({ type: 'advisor' })).toBe('advisor');
  });
});
