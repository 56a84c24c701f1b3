/**
 * Shared helpers for the unit tests: real temporary folders, real git repositories, the real
 * bundled CLI run as a child process, and the core wired to the real file system.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Deps, Logger } from '../../src/core/ports';
import { createNodeDeps } from '../../src/node/nodeDeps';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const CLI = path.join(REPO_ROOT, 'dist/cli.js');
export const FIXTURES = path.join(REPO_ROOT, 'test/fixtures');

/** Registers a folder to delete when the test (or suite) ends. */
interface Cleanup {
  after(fn: () => void | Promise<void>): void;
}

/** A fresh folder under the system's temp folder, its real path (no symlinks), removed afterwards. */
export function tempDir(t: Cleanup, prefix = 'sessionlog-test-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function write(file: string, text: string | Uint8Array): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

export function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/** The environment of every child: no knowledge-base settings leak in from the machine, and git asks nothing. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.MEMEX_KB_ROOT;
  delete env.VL_KB_CONTEXT;
  Object.assign(env, {
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: os.devNull,
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  });
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** `git init` with a first branch named main. */
export function gitInit(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  return dir;
}

export function commitAll(dir: string, message: string, date?: string): void {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', message], date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {});
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
