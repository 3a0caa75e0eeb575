/**
 * Replaces `${NAME}` and `${NAME:-default}` in configuration text with values
 * from the environment, so secrets stay out of the file. `$${` escapes a
 * literal `${`. An unset variable without a default is an error: a channel
 * silently configured with an empty API key would fail much later and less clearly.
 */
export function substituteEnvironmentVariables(options: {
  text: string;
  environment: Record<string, string | undefined>;
}): string {
  const missing: string[] = [];
  const result = options.text.replace(
    /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (whole, escaped: string, name: string, fallback: string | undefined) => {
      if (escaped) return whole.slice(1);
      const value = options.environment[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      missing.push(name);
      return '';
    },
  );
  if (missing.length > 0) {
    throw new Error(
      `configuration refers to unset environment variable${missing.length > 1 ? 's' : ''} ${[...new Set(missing)]
        .map((name) => '${' + name + '}')
        .join(', ')} (set it, or write \${NAME:-default})`,
    );
  }
  return result;
}
