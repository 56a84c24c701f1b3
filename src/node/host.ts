import * as os from 'node:os';
import type { Host } from '../core/ports';

/** This process and its machine, for telling a live lock from a crashed writer's (a module of its own: it loads nothing else). */
export const nodeHost: Host = {
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
