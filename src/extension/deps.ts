import * as vscode from 'vscode';
import type { Deps, Git, GitSync, Logger } from '../core/ports';
import { nodeHost } from '../node/host';
import { createFileSystem } from './workspaceFs';

/** Where git may run: a trusted workspace on a real file system. */
export interface Capabilities {
  trusted: boolean;
  /** A virtual workspace (a scheme other than `file:` and `vscode-remote:`). */
  virtual: boolean;
}

/** A Git port that answers nothing: used where no git process may run (Restricted Mode, virtual workspaces). */
export const noGit: Git = {
  root: async () => undefined,
  remoteUrl: async () => undefined,
  changedFiles: async () => [],
};

/**
 * A port whose implementation loads on its first call (simple-git and its dependencies are read
 * only once git is actually asked something). `methods` names every method, so a method added to
 * the port is a compile error here until it is listed.
 */
function lazyPort<T extends object>(load: () => Promise<T>, methods: Record<keyof T, true>): T {
  let port: Promise<T> | undefined;
  const call =
    (name: keyof T) =>
    async (...args: unknown[]): Promise<unknown> => {
      const real = await (port ??= load());
      return (real[name] as (...args: unknown[]) => unknown).apply(real, args);
    };
  return Object.fromEntries(Object.keys(methods).map((name) => [name, call(name as keyof T)])) as T;
}

const sharedGit = lazyPort<Git>(() => import('../node/nodeGit').then((module) => new module.NodeGit()), { root: true, remoteUrl: true, changedFiles: true });

/** `onDidPull`: git changed the working tree (files this extension did not write through its file system). */
function lazyGitSync(cliPath: string, onDidPull: (dir: string) => void): GitSync {
  // git runs the merge driver later, through a shell: the extension host's own runtime (node, or
  // Electron told to behave as node) runs the bundled CLI.
  const command = `ELECTRON_RUN_AS_NODE=1 "${process.execPath}" "${cliPath}"`;
  const sync = lazyPort<GitSync>(() => import('../node/nodeGitSync').then((module) => new module.NodeGitSync(command)), {
    commitAll: true,
    remotes: true,
    hasUpstream: true,
    pullRebase: true,
    push: true,
    registerMergeDriver: true,
  });
  return {
    ...sync,
    pullRebase: async (dir) => {
      try {
        return await sync.pullRebase(dir);
      } finally {
        onDidPull(dir);
      }
    },
  };
}

export function loggerOf(log: vscode.LogOutputChannel): Logger {
  return { info: (message) => log.info(message), warn: (message) => log.warn(message) };
}

/**
 * The core's ports for one folder: its file system (node for `file:`, workspace.fs otherwise),
 * git only where it may run, and an environment whose working directory is the folder.
 * `onDidWrite` hears of every file the ports change (a write, or a pull that changed the tree).
 */
export function createDeps(
  base: vscode.Uri,
  cwd: string,
  capabilities: Capabilities,
  logger: Logger,
  cliPath: string,
  onDidWrite: (file: string) => void = () => undefined,
): Deps {
  const gitAllowed = capabilities.trusted && !capabilities.virtual;
  return {
    fs: createFileSystem(base, onDidWrite),
    host: nodeHost,
    clock: { now: () => new Date() },
    git: gitAllowed ? sharedGit : noGit,
    env: { get: (name) => process.env[name], cwd: () => cwd },
    logger,
    ...(gitAllowed ? { gitSync: lazyGitSync(cliPath, onDidWrite) } : {}),
  };
}
