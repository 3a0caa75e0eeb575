/**
 * A base URL as an answer may show it: credentials embedded in it
 * (`https://user:secret@host/`) are replaced by `…`; anything else is kept.
 */
export function maskUrlCredentials(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username === '' && parsed.password === '') return url;
  parsed.username = '…';
  parsed.password = '';
  return parsed.toString();
}
