/**
 * Helpers for the hook tests: install an agent's hooks with the real CLI, read back the file it
 * wrote, and run the command line it names the way the agent would (through the shell, from
 * another folder, with the agent's environment and a documented payload on stdin).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir, type Cleanup } from './files';
import { baseEnv } from './git';
import { CLI, FIXTURES } from './paths';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` with `sh -c` in `cwd`, `input` on stdin. */
export function sh(command: string, cwd: string, input: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env: { ...baseEnv(), PATH: pathWithoutSessionlog(), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** The machine's PATH without any folder holding a `sessionlog` (so the installed command is this CLI's own path). */
export function pathWithoutSessionlog(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir && !fs.existsSync(path.join(dir, 'sessionlog')))
    .join(path.delimiter);
}

/** `node dist/cli.js ...args` in `cwd`. */
export function cli(args: string[], cwd: string, input = '', env: Record<string, string> = {}): Promise<Run> {
  return sh([process.execPath, CLI, ...args].map(quote).join(' '), cwd, input, env);
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The documented payloads of an agent's events, with the test's folder, transcript and session id put in. */
export function payloads(agent: string, values: { cwd: string; transcript?: string; session: string }): Record<string, Record<string, unknown>> {
  const text = fs
    .readFileSync(path.join(FIXTURES, 'hooks', `${agent}.json`), 'utf8')
    .replaceAll('${CWD}', values.cwd)
    .replaceAll('${TRANSCRIPT}', values.transcript ?? '')
    .replaceAll('${SESSION}', values.session);
  return JSON.parse(text) as Record<string, Record<string, unknown>>;
}

/** Event name -> the command line the installed configuration runs for it. */
export function installedCommands(file: string): Map<string, string> {
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as { hooks: Record<string, { command?: string; bash?: string; hooks?: { command: string }[] }[]> };
  const commands = new Map<string, string>();
  for (const [event, entries] of Object.entries(config.hooks)) {
    for (const entry of entries) {
      const command = entry.hooks?.[0]?.command ?? entry.command ?? entry.bash;
      if (command && /\bhook\b/.test(command)) commands.set(event, command);
    }
  }
  return commands;
}

/** A folder elsewhere, to run the hooks from (agents do not promise the project folder). */
export function elsewhere(t: Cleanup): string {
  return tempDir(t, 'sessionlog-elsewhere-');
}

export function sessionFiles(dir: string): string[] {
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((name) => name.endsWith('.md'))
        .sort()
    : [];
}
