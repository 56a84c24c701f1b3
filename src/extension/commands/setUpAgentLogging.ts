import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AGENTS, agentSpec, type AgentSpec, type Scope } from '../../core/hooks/agents';
import { lineDiff, planInstall } from '../../core/hooks/install';
import type { FileSystem } from '../../core/ports';
import type { Services } from '../services';
import type { Command } from './command';

/** What `sessionlog.setUpAgentLogging` may be given (tests and links skip the pickers): the folder, the agent, the scope, and whether to install without asking. */
interface SetUpAgentLoggingArgs {
  cwd?: string | vscode.Uri;
  agent?: string;
  scope?: Scope;
  confirm?: boolean;
}

export interface SetUpAgentLoggingResult {
  agent: string;
  scope: Scope;
  file: string;
  changed: boolean;
  diff: string;
}

const SCOPE_LABELS: Record<Scope, string> = {
  local: 'Just me, in this project (not committed)',
  project: 'Everyone on this project (committed)',
  user: 'Me, in every project (home folder)',
};

/**
 * Session: Set Up Agent Logging — the agents configured in the folder (their config folders)
 * come first; for the one chosen and a scope, the change to its hook configuration is shown as
 * a diff and written on confirmation, as `sessionlog hooks install` does.
 */
async function run(services: Services, args?: SetUpAgentLoggingArgs): Promise<SetUpAgentLoggingResult | undefined> {
  const folder = await services.folders.choose(args?.cwd, 'Set Up Agent Logging');
  const fs = folder.deps.fs;
  const agent = args?.agent ? agentSpec(args.agent) : await pickAgent(fs, folder.cwd);
  if (!agent) {
    if (args?.agent) {
      void vscode.window.showErrorMessage(`Session Log does not know the agent '${args.agent}'. Choose one of ${AGENTS.map((item) => item.key).join(', ')}.`);
    }
    return undefined;
  }
  const scope = args?.scope ?? (await pickScope(agent));
  if (!scope || !agent.files[scope]) return undefined;
  const file = scope === 'user' ? path.posix.join(os.homedir().replace(/\\/g, '/'), agent.files.user!) : path.posix.join(folder.cwd, agent.files[scope]!);
  const before = await fs.readText(file);
  const { text, changed } = planInstall(agent, before, file, await commandBase(fs, services.context.asAbsolutePath(path.join('dist', 'cli.js'))));
  const diff = changed ? lineDiff(file, before, text) : '';
  if (!changed) {
    void vscode.window.showInformationMessage(`${agent.displayName} already logs to Session Log from ${file}.`);
    return { agent: agent.key, scope, file, changed: false, diff };
  }
  const document = await vscode.workspace.openTextDocument({ content: diff, language: 'diff' });
  await vscode.window.showTextDocument(document, { preview: true });
  const install = 'Install';
  const answer = args?.confirm
    ? install
    : await vscode.window.showInformationMessage(
        `Add Session Log's hooks to ${agent.displayName}'s ${file}? Everything else in it stays as it is.`,
        { modal: true },
        install,
      );
  if (answer !== install) return undefined;
  await fs.mkdirp(path.posix.dirname(file));
  await fs.writeAtomic(file, text!);
  const note = agent.key === 'codex' ? ' Codex runs hooks only with [features] codex_hooks = true in its config.toml.' : '';
  void vscode.window.showInformationMessage(`${agent.displayName} now logs its sessions to Session Log (${file}).${note}`);
  return { agent: agent.key, scope, file, changed: true, diff };
}

async function pickAgent(fs: FileSystem, cwd: string): Promise<AgentSpec | undefined> {
  const items = await Promise.all(
    AGENTS.map(async (agent) => {
      const configured = !!(await fs.stat(path.posix.join(cwd, agent.marker)))?.isDirectory;
      return { label: agent.displayName, description: configured ? `configured here (${agent.marker}/)` : '', agent, configured };
    }),
  );
  items.sort((a, b) => Number(b.configured) - Number(a.configured));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Set Up Agent Logging: which agent?',
    placeHolder: 'Its hooks will log each session to Session Log',
  });
  return picked?.agent;
}

async function pickScope(agent: AgentSpec): Promise<Scope | undefined> {
  const items = (['local', 'project', 'user'] as const)
    .filter((scope) => agent.files[scope])
    .map((scope) => ({ label: SCOPE_LABELS[scope], description: scope === 'user' ? `~/${agent.files[scope]}` : agent.files[scope], scope }));
  const picked = await vscode.window.showQuickPick(items, { title: `Set Up Agent Logging: where to install ${agent.displayName}'s hooks?` });
  return picked?.scope;
}

/** `sessionlog` when it is on PATH (it survives npm's prefix moving), else node with the bundled CLI's path. */
async function commandBase(fs: FileSystem, cli: string): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    if ((await fs.stat(path.join(dir, 'sessionlog').replace(/\\/g, '/')).catch(() => undefined))?.isFile) return 'sessionlog';
  }
  return `node ${JSON.stringify(cli)}`;
}

export const setUpAgentLogging: Command = { id: 'sessionlog.setUpAgentLogging', run };
