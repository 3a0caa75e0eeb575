/**
 * The environment for a mixroute child process started by a test: this process's environment
 * without what would configure the child behind the test's back (ANTHROPIC_* would create a
 * channel, MIXROUTE_*, PORT, HOST and REDIS_URL are read as configuration, VITEST* belong to
 * the runner), plus `extra`.
 */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(ANTHROPIC_|MIXROUTE_|PORT$|HOST$|REDIS_URL$|VITEST)/.test(name)) environment[name] = value;
  }
  return { ...environment, ...extra };
}
