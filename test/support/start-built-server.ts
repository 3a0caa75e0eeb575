/**
 * The built CLI (`dist/cli.js serve`) as a child process, for tests that must
 * signal or kill a real server: it resolves once the start banner names the
 * URL. Build first (`tsc -p tsconfig.json`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { cleanEnvironment } from './clean-environment.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/cli.js');

export interface BuiltServer {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  /** Everything it printed so far. */
  output(): string;
}

export async function startBuiltServer(options: { config: string; cwd: string; ready?: RegExp }): Promise<BuiltServer> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', options.config], { cwd: options.cwd, env: cleanEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const ready = options.ready ?? /listening on (http:\/\/\S+)/;
  const deadline = Date.now() + 20_000;
  while (!ready.test(output) || !/listening on (http:\/\/\S+)/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`mixroute did not start:\n${output}`);
    await new Promise((done) => setTimeout(done, 25));
  }
  return { child, url: /listening on (http:\/\/\S+)/.exec(output)![1]!, exited, output: () => output };
}
