/** A non-negative decimal number, exactly: `coefficient × 10^-scale`. */
export interface Decimal {
  coefficient: bigint;
  /** Significant decimal places (trailing zeros removed): "22.50" has scale 1. */
  scale: number;
}

// Plain digits with an optional fraction. No sign, exponent, separators or
// surrounding spaces: a price that needs any of those is a typo, and a typo in
// a price table must stop the gateway from starting, not bill at a guess.
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string such as "3", "0.30" or "22.50" without ever going
 * through floating point. `label` names the value in the error message (for
 * example `claude-opus-4-5* inputPerMTok`).
 */
export function parseDecimal(options: { text: string; label: string }): Decimal {
  const { text, label } = options;
  const match = typeof text === 'string' ? DECIMAL.exec(text) : null;
  if (!match) {
    throw new Error(
      `${label}: ${JSON.stringify(text)} is not a decimal number (digits with an optional "." and more digits, e.g. "3" or "0.30")`,
    );
  }
  const whole = match[1] ?? '';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return { coefficient: BigInt(whole + fraction), scale: fraction.length };
}
