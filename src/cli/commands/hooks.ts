import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AGENTS, AGENT_KEYS, agentSpec, type AgentSpec, type Scope } from '../../core/hooks/agents';
import { HOOK_DIR } from '../../core/hooks/hookLog';
import { installState, lineDiff, planInstall, planUninstall, type InstallState } from '../../core/hooks/install';
import { loadWorkspace } from '../../core/context/resolve';
import type { Deps } from '../../core/ports';
import { parse, UsageError } from '../args';
import { printJson, type Io } from '../io';

export const HOOKS_HELP = `Usage: sessionlog hooks install <agent> [--scope local|project|user] [--dry-run] [--json]
       sessionlog hooks uninstall <agent> [--scope local|project|user] [--dry-run] [--json]
       sessionlog hooks status [--json]

Set up a coding agent to log its own sessions: its hooks run 'sessionlog hook <agent>' on
each session start, prompt, tool use, stop and session end. Agents: ${AGENT_KEYS.join(', ')}.

Scopes (the file written, merged with what is there; run twice, it changes nothing):
  local     the personal, uncommitted file where the agent has one (the default)
  project   the committed file in this repository
  user      the file in your home folder, for every project
${AGENTS.map(
  (agent) =>
    `  ${agent.key.padEnd(12)} ${(['local', 'project', 'user'] as const)
      .filter((scope) => agent.files[scope])
      .map((scope) => `${scope}: ${scope === 'user' ? '~/' : ''}${agent.files[scope]}`)
      .join(', ')}`,
).join('\n')}

Options:
      --scope SCOPE   Which file (default: local where the agent has one, else project)
      --dry-run       Print the change as a diff and write nothing
      --json          Machine-readable output
The command written is 'sessionlog' when it is on your PATH, else this CLI's absolute path.
`;

export async function runHooks(deps: Deps, io: Io, argv: string[]): Promise<number | void> {
  const { values, positionals } = parse(argv, { scope: { type: 'string' }, 'dry-run': { type: 'boolean' } }, true);
  const [verb, agentKey] = positionals;
  if (values.help || !verb) {
    io.out(HOOKS_HELP);
    return verb || values.help ? 0 : 2;
  }
  if (verb === 'status') return status(deps, io, !!values.json);
  if (verb !== 'install' && verb !== 'uninstall') throw new UsageError(`unknown subcommand '${verb}': use install, uninstall or status.`);
  const agent = agentOf(agentKey);
  const results = await (verb === 'install' ? installHooks : uninstallHooks)(deps, io, agent, {
    scope: scopeOf(agent, values.scope),
    dryRun: !!values['dry-run'],
  });
  if (values.json) return printJson(io, results);
  io.out(results.message);
}

export interface HookChangeResult {
  agent: string;
  scope: Scope;
  file: string;
  changed: boolean;
  dryRun: boolean;
  diff?: string;
  command?: string;
  /** How the command was chosen: `path` (sessionlog on PATH) or `absolute` (this CLI's path). */
  commandSource?: 'path' | 'absolute';
  message: string;
}

function agentOf(key: string | undefined): AgentSpec {
  const agent = key ? agentSpec(key) : undefined;
  if (!agent) throw new UsageError(`${key ? `unknown agent '${key}'` : 'name the agent'}: use one of ${AGENT_KEYS.join(', ')}.`);
  return agent;
}

export function scopeOf(agent: AgentSpec, given: string | undefined): Scope {
  if (given === undefined) return agent.files.local ? 'local' : 'project';
  if (given !== 'local' && given !== 'project' && given !== 'user') throw new UsageError(`--scope takes local, project or user (got '${given}').`);
  if (!agent.files[given]) {
    const has = (['local', 'project', 'user'] as const).filter((scope) => agent.files[scope]);
    throw new UsageError(`${agent.displayName} has no ${given} hook file: use --scope ${has.join(' or ')}.`);
  }
  return given;
}

/** The file of a scope: under the project folder (the git top, else the working folder) or the home folder. */
function fileOf(io: Io, agent: AgentSpec, scope: Scope): string {
  const relative = agent.files[scope]!;
  return scope === 'user' ? path.join(io.env.HOME ?? os.homedir(), relative) : path.join(projectRoot(io.cwd), relative);
}

/** The folder holding the agent configuration: the nearest one above with a .git, else the working folder. */
function projectRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

/** `sessionlog` when it is on PATH (it survives npm's prefix moving), else node with this CLI's absolute path. */
export function commandBase(io: Io): { base: string; source: 'path' | 'absolute' } {
  const exts = process.platform === 'win32' ? ['.cmd', '.exe', ''] : [''];
  for (const dir of (io.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const ext of exts) {
      try {
        fs.accessSync(path.join(dir, `sessionlog${ext}`), fs.constants.X_OK);
        return { base: 'sessionlog', source: 'path' };
      } catch {
        // not here
      }
    }
  }
  const cli = path.resolve(process.argv[1] ?? __filename);
  return { base: `node ${JSON.stringify(cli)}`, source: 'absolute' };
}

export async function installHooks(deps: Deps, io: Io, agent: AgentSpec, options: { scope: Scope; dryRun: boolean }): Promise<HookChangeResult> {
  const file = fileOf(io, agent, options.scope);
  const before = await deps.fs.readText(file.replace(/\\/g, '/'));
  const { base, source } = commandBase(io);
  const { text, changed } = planInstall(agent, before, file, base);
  const result: HookChangeResult = {
    agent: agent.key,
    scope: options.scope,
    file,
    changed,
    dryRun: options.dryRun,
    command: `${base} hook ${agent.key}`,
    commandSource: source,
    message: '',
  };
  const how = source === 'path' ? 'sessionlog found on your PATH' : `node with this CLI's absolute path (no sessionlog on your PATH)`;
  if (options.dryRun) {
    result.diff = changed ? lineDiff(file, before, text) : '';
    result.message = changed
      ? `${result.diff}\n(dry run: nothing written; the hooks would run ${how})`
      : `${agent.displayName} hooks are already installed in ${file}; nothing to change.`;
    return result;
  }
  if (changed && text !== undefined) {
    await deps.fs.mkdirp(path.dirname(file).replace(/\\/g, '/'));
    await deps.fs.writeAtomic(file.replace(/\\/g, '/'), text);
  }
  const extra = agent.key === 'codex' ? '\nCodex runs hooks only with `[features] codex_hooks = true` in its config.toml.' : '';
  result.message = changed
    ? `Installed ${agent.displayName} hooks in ${file} (${agent.events.map((event) => event.name).join(', ')}).\nThey run: ${result.command} (${how}).${extra}`
    : `${agent.displayName} hooks are already installed in ${file}; nothing changed.${extra}`;
  return result;
}

export async function uninstallHooks(deps: Deps, io: Io, agent: AgentSpec, options: { scope: Scope; dryRun: boolean }): Promise<HookChangeResult> {
  const file = fileOf(io, agent, options.scope);
  const posix = file.replace(/\\/g, '/');
  const before = await deps.fs.readText(posix);
  const { text, changed } = planUninstall(agent, before, file);
  const result: HookChangeResult = { agent: agent.key, scope: options.scope, file, changed, dryRun: options.dryRun, message: '' };
  if (options.dryRun) {
    result.diff = changed ? lineDiff(file, before, text) : '';
    result.message = changed ? `${result.diff}\n(dry run: nothing written)` : `No ${agent.displayName} hooks of Session Log in ${file}; nothing to remove.`;
    return result;
  }
  if (changed) {
    if (text === undefined) await deps.fs.remove(posix);
    else await deps.fs.writeAtomic(posix, text);
  }
  result.message = changed
    ? `Removed the ${agent.displayName} hooks of Session Log from ${file}${text === undefined ? ' (and the file, which held nothing else)' : ''}.`
    : `No ${agent.displayName} hooks of Session Log in ${file}; nothing to remove.`;
  return result;
}

interface StatusRow {
  agent: string;
  scope: Scope;
  file: string;
  state: InstallState | 'unreadable';
  problem?: string;
}

async function status(deps: Deps, io: Io, json: boolean): Promise<void> {
  const rows: StatusRow[] = [];
  for (const agent of AGENTS) {
    for (const scope of ['local', 'project', 'user'] as const) {
      if (!agent.files[scope]) continue;
      const file = fileOf(io, agent, scope);
      try {
        rows.push({ agent: agent.key, scope, file, state: installState(agent, await deps.fs.readText(file.replace(/\\/g, '/')), file) });
      } catch (error) {
        rows.push({ agent: agent.key, scope, file, state: 'unreadable', problem: (error as Error).message });
      }
    }
  }
  const fired = await lastFired(deps, io);
  if (json) return printJson(io, { hooks: rows, lastFired: fired });
  const lines = rows.map(
    (row) => `${row.agent.padEnd(12)} ${row.scope.padEnd(8)} ${row.state.padEnd(14)} ${row.file}${row.problem ? `\n  ${row.problem}` : ''}`,
  );
  lines.push('', ...AGENTS.map((agent) => `${agent.key.padEnd(12)} last fired: ${fired[agent.key] ?? 'never (in this knowledge base)'}`));
  io.out(lines.join('\n'));
}

/** When each agent's hooks last recorded something: the newest of its hook state files in the knowledge base. */
async function lastFired(deps: Deps, io: Io): Promise<Record<string, string>> {
  const fired: Record<string, string> = {};
  try {
    const { kbRoot } = await loadWorkspace(deps, { cwd: io.cwd });
    const dir = path.posix.join(kbRoot, HOOK_DIR, 'hooks');
    for (const entry of await deps.fs.list(dir)) {
      const agent = AGENTS.find((candidate) => entry.name.startsWith(`${candidate.name}-`));
      const stat = agent && entry.isFile ? await deps.fs.stat(path.posix.join(dir, entry.name)) : undefined;
      if (!agent || !stat) continue;
      const at = new Date(stat.mtimeMs).toISOString();
      if (!fired[agent.key] || fired[agent.key]! < at) fired[agent.key] = at;
    }
  } catch {
    // No knowledge base here: nothing has fired into it.
  }
  return fired;
}
