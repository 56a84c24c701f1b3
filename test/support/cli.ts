/**
 * The bundled CLI (`node dist/cli.js`, built by npm run build) run as a child process, as a
 * terminal or an agent runs it: for the process-level suites (test/cli, test/integration).
 */
import { spawn, spawnSync } from 'node:child_process';
import { baseEnv } from './git';
import { CLI } from './paths';

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

/** `cliAsync` in `cwd` with `input` on stdin. */
export function runCli(args: string[], cwd: string, input = ''): Promise<CliResult> {
  return cliAsync(args, { cwd, input });
}

/** Exactly one line on stderr (the CLI's promise for errors), returned. */
export function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line !== '');
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got ${lines.length}:\n${stderr}`);
  return lines[0]!;
}

/** The protocol's examples as objects: `{type, payload}` request envelopes, made single-line by JSON.stringify. */
export function request(requestId: string, op: string, params: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'request', payload: { requestId, method: `workflow.sessionlog.${op}`, params } });
}
