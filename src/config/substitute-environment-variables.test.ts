import { describe, expect, it } from 'vitest';
import { substituteEnvironmentVariables } from './substitute-environment-variables.js';

function substitute(text: string, environment: Record<string, string | undefined> = {}) {
  return substituteEnvironmentVariables({ text, environment });
}

describe('substituteEnvironmentVariables', () => {
  it('replaces ${NAME} with the variable, several per line, and leaves the rest of the text alone', () => {
    expect(substitute('api_key: ${KEY} # and ${OTHER}x\nport: 1', { KEY: 'sk-1', OTHER: 'o' })).toBe(
      'api_key: sk-1 # and ox\nport: 1',
    );
  });

  it('uses the default of ${NAME:-default} only when the variable is unset or empty', () => {
    expect(substitute('${A:-fallback}', { A: 'set' })).toBe('set');
    expect(substitute('${A:-fallback}', {})).toBe('fallback');
    expect(substitute('${A:-fallback}', { A: '' })).toBe('fallback');
    expect(substitute('${A:-}', {})).toBe('');
    // The default may hold anything but a closing brace.
    expect(substitute('${URL:-http://localhost:8080/a?b=c}', {})).toBe('http://localhost:8080/a?b=c');
  });

  it('turns $${ into a literal ${ without looking the name up', () => {
    expect(substitute('literal: $${HOME} and $${X:-y}', { HOME: '/root' })).toBe('literal: ${HOME} and ${X:-y}');
  });

  it('does not re-substitute a value that itself looks like a reference', () => {
    expect(substitute('${A}', { A: '${B}', B: 'no' })).toBe('${B}');
  });

  it('leaves text that is not a reference alone: bare $NAME, ${} and names starting with a digit', () => {
    const text = 'cost: $5, $NAME, ${}, ${1X}, ${A B}';
    expect(substitute(text, { NAME: 'n', A: 'a' })).toBe(text);
  });

  it('is case-sensitive about names', () => {
    expect(substitute('${key:-lower}', { KEY: 'upper' })).toBe('lower');
  });

  describe('bad input', () => {
    it('names the missing variable and suggests a default', () => {
      expect(() => substitute('api_key: ${ANTHROPIC_API_KEY}', {})).toThrow(
        'configuration refers to unset environment variable ${ANTHROPIC_API_KEY} (set it, or write ${NAME:-default})',
      );
    });

    it('treats a variable set to the empty string as missing', () => {
      expect(() => substitute('${EMPTY}', { EMPTY: '' })).toThrow('unset environment variable ${EMPTY}');
    });

    it('names every missing variable once, in order of first use', () => {
      expect(() => substitute('${B} ${A} ${B} ${SET}', { SET: 'x' })).toThrow(
        'configuration refers to unset environment variables ${B}, ${A} (set it',
      );
    });
  });
});
