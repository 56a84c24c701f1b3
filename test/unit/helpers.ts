/**
 * Shared helpers for the unit tests: real temporary folders, real git repositories, the real
 * bundled CLI run as a child process, and the core wired to the real file system.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { Deps, Logger } from '../../src/core/ports';
import { createNodeDeps } from '../../src/node/nodeDeps';
import { makeTempDir, removeDir } from '../support/files';
import { baseEnv } from '../support/git';
import { CLI } from '../support/paths';

export { CLI, FIXTURES, REPO_ROOT } from '../support/paths';
export { read, write } from '../support/files';
export { baseEnv, commitAll, git, gitInit } from '../support/git';

/** Registers a folder to delete when the test (or suite) ends. */
interface Cleanup {
  after(fn: () => void | Promise<void>): void;
}

/** A fresh folder under the system's temp folder, its real path (no symlinks), removed afterwards. */
export function tempDir(t: Cleanup, prefix = 'sessionlog-test-'): string {
  const dir = makeTempDir(prefix);
  t.after(() => removeDir(dir));
  return dir;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  input?: string;
}

/** Runs `node dist/cli.js ...args` to completion. */
export function cli(args: string[], options: CliOptions): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: baseEnv(options.env),
    encoding: 'utf8',
    input: options.input ?? '',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI without blocking the test process, for several at once. */
export function cliAsync(args: string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: baseEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Exactly one line on stderr (the CLI's promise for errors), returned. */
export function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line !== '');
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got ${lines.length}:\n${stderr}`);
  return lines[0]!;
}

export interface TestDeps extends Deps {
  warnings: string[];
}

/**
 * The core's dependencies on the real file system and real git, with a fixed clock (when
 * given), a working directory and environment of the test's choosing, and warnings kept.
 */
export function coreDeps(options: { cwd: string; env?: Record<string, string>; now?: string | (() => Date) }): TestDeps {
  const warnings: string[] = [];
  const logger: Logger = { info: () => undefined, warn: (message) => warnings.push(message) };
  const env = options.env ?? {};
  const now = options.now;
  const clock = now === undefined ? { now: () => new Date() } : typeof now === 'string' ? { now: () => new Date(now) } : { now };
  const deps = createNodeDeps({ env: { get: (name) => env[name], cwd: () => options.cwd }, logger, clock });
  return Object.assign(deps, { warnings });
}

/** A process id that is certainly not running: one of a child that has exited. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
