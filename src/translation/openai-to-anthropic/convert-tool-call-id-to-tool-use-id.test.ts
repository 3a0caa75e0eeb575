import { describe, expect, it } from 'vitest';
import { convertToolCallIdToToolUseId } from './convert-tool-call-id-to-tool-use-id.js';

describe('convertToolCallIdToToolUseId', () => {
  it('passes valid ids through', () => {
    for (const id of ['call_abc123', 'toolu_01A-b', 'call_00_9V0vrf86Pc9aelHCJMZqnJBo']) expect(convertToolCallIdToToolUseId(id)).toBe(id);
  });

  it('makes invalid ids valid, deterministically, and keeps near-identical ids apart', () => {
    const kimi = convertToolCallIdToToolUseId('functions.Bash:0');
    expect(kimi).toMatch(/^functions_Bash_0_[0-9a-f]{8}$/);
    expect(convertToolCallIdToToolUseId('functions.Bash:0')).toBe(kimi);
    expect(convertToolCallIdToToolUseId('functions:Bash.0')).not.toBe(kimi);
    expect(convertToolCallIdToToolUseId('')).toMatch(/^_[0-9a-f]{8}$/);
    expect(convertToolCallIdToToolUseId('id with spaces/é')).toMatch(/^[a-zA-Z0-9_-]+$/);
  });
});
