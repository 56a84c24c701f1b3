import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';

/** The environment of every child process: no knowledge-base settings leak in from the machine, and git asks nothing. */
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

/** Runs git in `cwd` and gives its output, trimmed; throws on a non-zero exit. */
export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** `git init` with a first branch named main. */
export function gitInit(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  return dir;
}

/** Commits everything in the working tree, at `date` when given. */
export function commitAll(dir: string, message: string, date?: string): void {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', message], date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {});
}
