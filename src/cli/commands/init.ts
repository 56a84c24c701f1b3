import * as readline from 'node:readline/promises';
import type { Deps } from '../../core/ports';
import { initContext, initDefaults } from '../../core/usecases/initContext';
import { AGENT_KEYS, agentSpec } from '../../core/hooks/agents';
import { list, parse, UsageError } from '../args';
import { installHooks, scopeOf } from './hooks';
import { printJson, type Io } from '../io';

const INIT_HELP = `Usage: sessionlog init [--project NAME] [--primary DIR | --session-entry PATH]
                      [--default-tags a,b] [--agents a,b] [--kb-root DIR] [--force] [--json]

Write a .kbcontext in the current folder. With no flags at a terminal it asks for each
field (Enter keeps the default shown); with any flag, or without a terminal, it asks nothing.
Paths are relative to the knowledge-base root (MEMEX_KB_ROOT, else this folder).
--agents also installs those agents' hooks (as 'sessionlog hooks install <agent>' does),
e.g. --agents claude-code,codex.
`;

export async function runInit(deps: Deps, io: Io, argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    project: { type: 'string' },
    primary: { type: 'string' },
    'session-entry': { type: 'string' },
    'default-tags': { type: 'string', multiple: true },
    force: { type: 'boolean' },
    agents: { type: 'string', multiple: true },
  });
  if (values.help) return io.out(INIT_HELP);
  const agents = list(values.agents).map((key) => {
    const agent = agentSpec(key);
    if (!agent) throw new UsageError(`--agents: unknown agent '${key}': use ${AGENT_KEYS.join(', ')}.`);
    return agent;
  });
  const flagged = ['project', 'primary', 'session-entry', 'default-tags', 'agents'].some((key) => (values as Record<string, unknown>)[key] !== undefined);
  const answers = !flagged && io.stdinIsTty ? await ask(deps, io) : {};
  const result = await initContext(deps, {
    cwd: io.cwd,
    force: !!values.force,
    defaultTags: list(values['default-tags']),
    ...(values.project !== undefined ? { project: values.project } : {}),
    ...(values.primary !== undefined ? { primary: values.primary } : {}),
    ...(values['session-entry'] !== undefined ? { sessionEntry: values['session-entry'] } : {}),
    ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}),
    ...answers,
  });
  const hooks = [];
  for (const agent of agents) hooks.push(await installHooks(deps, io, agent, { scope: scopeOf(agent, undefined), dryRun: false }));
  if (values.json) return printJson(io, agents.length ? { ...result, hooks } : result);
  const where = result.session_entry ?? `${result.primary}/sessions.md`;
  io.out(
    [`Wrote ${result.file}\nSessions of ${result.project} will be logged to ${where} in ${result.kbRoot}.`, ...hooks.map((hook) => hook.message)].join('\n'),
  );
}

async function ask(deps: Deps, io: Io): Promise<{ project?: string; primary?: string }> {
  const defaults = await initDefaults(deps, io.cwd);
  const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const project = (await prompt.question(`Project name [${defaults.project}]: `)).trim() || defaults.project;
    const primary = (await prompt.question(`Folder for its sessions, relative to the knowledge base [${defaults.primary}]: `)).trim() || defaults.primary;
    return { project, primary };
  } finally {
    prompt.close();
  }
}
