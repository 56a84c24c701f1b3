/**
 * The core wired to the real file system and real git, in the test's own process: what the
 * in-process suites (test/unit) call instead of the bundled CLI.
 */
import { spawnSync } from 'node:child_process';
import type { Deps, Logger } from '../../src/core/ports';
import { createNodeDeps } from '../../src/node/nodeDeps';

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
