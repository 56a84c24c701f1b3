import type { Services } from '../services';

/**
 * One command: its id (contributed in package.json, with its title, icon and menus) and what it
 * runs, in one file per command. Arguments come from VS Code (tree nodes, URIs) or from other
 * callers, so each command checks its own. The registry (./index) is the list of them.
 */
export interface Command {
  readonly id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run(services: Services, ...args: any[]): unknown;
}
