import type { Deps, Logger } from '../core/ports';
import { nodeHost } from './host';
import { NodeFileSystem } from './nodeFileSystem';
import { NodeGit } from './nodeGit';
import { NodeGitSync } from './nodeGitSync';

/** Warnings to stderr; the CLI's stdout stays for results. */
const stderrLogger: Logger = {
  info: () => undefined,
  warn: (message) => process.stderr.write(`sessionlog: warning: ${message}\n`),
};

export function createNodeDeps(overrides: Partial<Deps> = {}): Deps {
  return {
    // A CLI process does one thing at a time: its reads need not go through the thread pool.
    fs: new NodeFileSystem(true),
    host: nodeHost,
    clock: { now: () => new Date() },
    git: new NodeGit(),
    env: { get: (name) => process.env[name], cwd: () => process.cwd() },
    logger: stderrLogger,
    gitSync: new NodeGitSync(),
    ...overrides,
  };
}
