import * as os from 'node:os';
import type { Deps, Logger } from '../core/ports';
import { NodeFileSystem } from './nodeFileSystem';
import { NodeGit } from './nodeGit';
import { NodeGitSync } from './nodeGitSync';

const nodeHost = {
  pid: process.pid,
  hostname: os.hostname(),
  isProcessAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** Warnings to stderr; the CLI's stdout stays for results. */
const stderrLogger: Logger = {
  info: () => undefined,
  warn: (message) => process.stderr.write(`sessionlog: warning: ${message}\n`),
};

export function createNodeDeps(overrides: Partial<Deps> = {}): Deps {
  return {
    fs: new NodeFileSystem(),
    host: nodeHost,
    clock: { now: () => new Date() },
    git: new NodeGit(),
    env: { get: (name) => process.env[name], cwd: () => process.cwd() },
    logger: stderrLogger,
    gitSync: new NodeGitSync(),
    ...overrides,
  };
}
