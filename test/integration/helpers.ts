/// <reference types="mocha" />
/**
 * Helpers for the tests that run inside the real VS Code extension host: the extension's own
 * services (through what activate() returns), real temporary folders and git repositories, and
 * the bundled CLI run as a separate process, as a user's terminal would.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SessionLogApi } from '../../src/extension/extension';
import type { Services } from '../../src/extension/services';
import type { Node } from '../../src/extension/views/nodes/node';
import { makeTempDir, removeDir, write } from '../support/files';
import { commitAll, gitInit, git as runGit } from '../support/git';
import { CLI } from '../support/paths';

export { CLI, REPO_ROOT } from '../support/paths';
export { read, write } from '../support/files';
export const EXTENSION_ID = 'sessionlog.sessionlog';

export async function api(): Promise<SessionLogApi> {
  const extension = vscode.extensions.getExtension<SessionLogApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  return extension.isActive ? extension.exports : extension.activate();
}

export async function services(): Promise<Services> {
  return (await api()).services();
}

/** The fixture workspace's folder (test/fixtures/workspace: a .kbcontext with primary projects/demo). */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder;
}

const temps: string[] = [];

/** A fresh folder under the system's temp folder (its real path), removed when the run ends. */
export function tempDir(prefix = 'sessionlog-it-'): string {
  const dir = makeTempDir(prefix);
  temps.push(dir);
  return dir;
}

export function removeTemps(): void {
  for (const dir of temps.splice(0)) removeDir(dir);
}

export function git(cwd: string, ...args: string[]): string {
  return runGit(cwd, args);
}

/** A git repository with one commit (made at `date`, when given), so that later changes show as changed files. */
export function gitRepo(dir: string, files: Record<string, string> = { 'README.md': '# test\n' }, date?: string): string {
  gitInit(dir);
  for (const [name, text] of Object.entries(files)) write(path.join(dir, name), text);
  commitAll(dir, 'initial', date);
  return dir;
}

/** Runs the bundled CLI with the extension host's own node, as a separate process; rejects on a non-zero exit. */
export function cli(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const key of ['MEMEX_KB_ROOT', 'VL_KB_CONTEXT']) if (!(options.env && key in options.env)) delete env[key];
  // The extension host may run as Electron: make it behave as node.
  env.ELECTRON_RUN_AS_NODE = '1';
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { cwd: options.cwd, env, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`sessionlog ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Polls `check` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 50): Promise<NonNullable<T>> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Points the extension at a knowledge base (the user setting sessionlog.kbRoot) and waits until the views have read it. */
export async function useKnowledgeBase(kbRoot: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('sessionlog').update('kbRoot', kbRoot, vscode.ConfigurationTarget.Global);
  const made = await services();
  await waitFor('the knowledge base to be resolved', async () => {
    const { workspace } = await made.folders.all()[0]!.resolve();
    return kbRoot === undefined ? true : workspace?.kbRoot === kbRoot;
  });
  await made.model.settled();
}

/** A fresh knowledge base for a suite: made and set as sessionlog.kbRoot before its tests, unset and removed after them. */
export function useSuiteKnowledgeBase(prefix: string, made: (root: string) => void): void {
  before(async () => {
    const root = tempDir(prefix);
    made(root);
    await useKnowledgeBase(root);
  });
  after(async () => {
    await useKnowledgeBase(undefined);
    removeTemps();
  });
}

/** The Sessions view's rows, depth first, expanded as far as `depth`, each with its tree item. */
export async function sessionRows(depth = 3): Promise<{ node: Node; item: vscode.TreeItem; depth: number }[]> {
  const made = await services();
  await made.model.settled();
  const rows: { node: Node; item: vscode.TreeItem; depth: number }[] = [];
  const walk = async (parent: Node | undefined, level: number): Promise<void> => {
    if (level >= depth) return;
    for (const node of await made.sessionsTree.getChildren(parent)) {
      const item = made.sessionsTree.getTreeItem(node);
      rows.push({ node, item, depth: level });
      // All projects is collapsed until asked for: its rows are another test's (allProjectsRows).
      if (!item.id?.startsWith('allProjects:')) await walk(node, level + 1);
    }
  };
  await walk(undefined, 0);
  return rows;
}

/** Whether a row is of a kind, by its id's prefix (the view's classes live in the extension's own bundle). */
export function is(
  row: { item: vscode.TreeItem },
  kind: 'folder' | 'entry' | 'session' | 'more' | 'agents' | 'agent' | 'turn' | 'message' | 'allProjects' | 'hit',
): boolean {
  return row.item.id?.startsWith(`${kind}:`) ?? false;
}

export function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** The fixture's session entry in a knowledge base: its .kbcontext says primary projects/demo. */
export function entryIn(kbRoot: string): string {
  return path.join(kbRoot, 'projects', 'demo', 'sessions.md');
}
