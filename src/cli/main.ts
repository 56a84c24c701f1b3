import { isSessionLogError, type SessionLogError } from '../core/errors';
import type { Deps } from '../core/ports';
import { createNodeDeps } from '../node/nodeDeps';
import { UsageError } from './args';
import { processIo, type Io } from './io';

const HELP = `Usage: sessionlog <command> [options]

A durable, searchable log of work sessions as Markdown entries in a knowledge base.

Commands:
  log          Log a session (alias: session-log, as memex's mx session-log)
  get PATH     Print an entry
  search QUERY Find sessions across the knowledge base
  history      This project's sessions, newest first
  resume       Where the project's work left off: next-session hint, follow-ups, decisions, turns in progress
  follow-ups   The project's open follow-ups; 'follow-ups done TEXT' ticks one
  report       What was done, decided and left open this week (or month, or any period)
  init         Write a .kbcontext for this project
  sync         Commit, pull with rebase and push a shared knowledge base
  mcp          Serve agent sessions and turns over MCP (stdio)
  repl         Agent sessions and turns over single-line JSON request envelopes (stdin/stdout)
  hooks        Set up agents to log themselves: hooks install|uninstall|status <agent>
  hook         Handle one agent hook event (run by the agent's hooks)
  import       Import an agent's transcripts: import claude-code|codex <file|folder>

Run 'sessionlog <command> --help' for a command's options.
Environment: MEMEX_KB_ROOT (knowledge-base root), VL_KB_CONTEXT (.kbcontext file to use).
Exit codes: 0 success, 1 failure, 2 usage error.
`;

/** A command resolves to its exit code, or nothing for 0. */
type Command = (deps: Deps, io: Io, argv: string[]) => Promise<void | number>;

/** Each command's module loads when it runs: a `log` does not pay for the agent protocol, git sync or the merge driver. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  log: async () => (await import('./commands/log')).runLog,
  'session-log': async () => (await import('./commands/log')).runLog,
  get: async () => (await import('./commands/read')).runGet,
  search: async () => (await import('./commands/read')).runSearch,
  history: async () => (await import('./commands/read')).runHistory,
  resume: async () => (await import('./commands/read')).runResume,
  'follow-ups': async () => (await import('./commands/followUps')).runFollowUps,
  report: async () => (await import('./commands/report')).runReport,
  init: async () => (await import('./commands/init')).runInit,
  sync: async () => (await import('./commands/sync')).runSync,
  'merge-driver': async () => (await import('./commands/mergeDriver')).runMergeDriver,
  mcp: async () => (await import('./commands/agent')).runMcp,
  repl: async () => (await import('./commands/agent')).runRepl,
  hook: async () => (await import('./commands/hook')).runHookCommand,
  hooks: async () => (await import('./commands/hooks')).runHooks,
  import: async () => (await import('./commands/import')).runImport,
};

/** Runs one command line; returns the exit code. Errors become one line on stderr. */
export async function main(argv: string[], io: Io = processIo, deps?: Deps): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.out(VERSION);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.err(`sessionlog: unknown command '${name}'. Run 'sessionlog --help' for the list.`);
    return 2;
  }
  try {
    const command = await load();
    const code: unknown = await command(deps ?? createNodeDeps({ env: { get: (key) => io.env[key], cwd: () => io.cwd } }), io, rest);
    // Commands end with `return io.out(...)`, whose value (stdout.write's boolean) is no exit code.
    return typeof code === 'number' ? code : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(oneLine(`sessionlog ${name}: ${error.message} See 'sessionlog ${name} --help'.`));
      return 2;
    }
    if (isSessionLogError(error)) {
      io.err(oneLine(`sessionlog ${name}: ${error.withHint}`));
      return isUsage(error) ? 2 : 1;
    }
    io.err(oneLine(`sessionlog ${name}: ${(error as Error).message ?? String(error)}`));
    return 1;
  }
}

/**
 * Wrong words on the command line: bad input, or a path given by a flag (`--entry`) or an
 * argument (`PATH`) that leads outside the knowledge base; one read from a .kbcontext is a failure.
 */
function isUsage(error: SessionLogError): boolean {
  return error.code === 'invalid_input' || (error.code === 'path_outside_kb' && /^(-|[A-Z]+$)/.test(String(error.details.field ?? '')));
}

/** An error is one line on stderr, whatever produced its message (node's argument parser writes several). */
function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'development';

/** Runs the command line this process was started with (dist/cli.js starts it). */
export function run(): void {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
