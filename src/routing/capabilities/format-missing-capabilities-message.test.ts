import { describe, expect, it } from 'vitest';
import { formatMissingCapabilitiesMessage } from './format-missing-capabilities-message.js';

describe('formatMissingCapabilitiesMessage', () => {
  it('names what each channel lacks', () => {
    expect(
      formatMissingCapabilitiesMessage({
        model: 'claude-sonnet-4-5-20250929',
        missingByChannel: [
          { channel: 'openai-mirror', missing: ['server tool web_search'] },
          { channel: 'text-only', missing: ['images'] },
        ],
      }),
    ).toBe(
      'No channel serving claude-sonnet-4-5-20250929 can handle this request: channel openai-mirror lacks server tool web_search; channel text-only lacks images.',
    );
  });

  it('joins several missing features into one list', () => {
    expect(
      formatMissingCapabilitiesMessage({
        model: 'claude-opus-4-8',
        missingByChannel: [
          { channel: 'a', missing: ['thinking', 'tools'] },
          { channel: 'b', missing: ['thinking', 'images', 'beta context-1m-2025-08-07'] },
        ],
      }),
    ).toBe(
      'No channel serving claude-opus-4-8 can handle this request: channel a lacks thinking and tools; channel b lacks thinking, images and beta context-1m-2025-08-07.',
    );
  });

  it('leaves out channels that lack nothing, and still reads as a sentence with none left', () => {
    expect(
      formatMissingCapabilitiesMessage({ model: 'm', missingByChannel: [{ channel: 'a', missing: [] }, { channel: 'b', missing: ['documents'] }] }),
    ).toBe('No channel serving m can handle this request: channel b lacks documents.');
    expect(formatMissingCapabilitiesMessage({ model: 'm', missingByChannel: [] })).toBe('No channel serving m can handle this request.');
  });
});
