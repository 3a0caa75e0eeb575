import { describe, expect, it } from 'vitest';
import { maskUrlCredentials } from './mask-url-credentials.js';

describe('maskUrlCredentials', () => {
  it('hides user and password embedded in a URL', () => {
    const masked = maskUrlCredentials('https://bob:s3cret-token@proxy.example.com/v1');
    expect(masked).not.toContain('s3cret');
    expect(masked).not.toContain('bob');
    expect(masked).toContain('proxy.example.com/v1');
  });

  it('keeps URLs without credentials unchanged', () => {
    expect(maskUrlCredentials('http://127.0.0.1:8000/v1')).toBe('http://127.0.0.1:8000/v1');
  });
});
