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

/** simple-git and its dependencies load the first time git is actually asked something. */
class LazyGit implements Git {
  private git: Promise<Git> | undefined;

  private load(): Promise<Git> {
    return (this.git ??= import('../node/nodeGit').then((module) => new module.NodeGit()));
  }

  async root(cwd: string): Promise<string | undefined> {
    return (await this.load()).root(cwd);
  }

  async remoteUrl(cwd: string): Promise<string | undefined> {
    return (await this.load()).remoteUrl(cwd);
  }

  async changedFiles(cwd: string, since?: Date): Promise<string[]> {
    return (await this.load()).changedFiles(cwd, since);
  }
}

class LazyGitSync implements GitSync {
  private sync: Promise<GitSync> | undefined;

  /** `onDidPull`: git changed the working tree (files this extension did not write through its file system). */
  constructor(
    private readonly cliPath: string,
    private readonly onDidPull: (dir: string) => void,
  ) {}

  private load(): Promise<GitSync> {
    // git runs the merge driver later, through a shell: the extension host's own runtime (node, or
    // Electron told to behave as node) runs the bundled CLI.
    const command = `ELECTRON_RUN_AS_NODE=1 "${process.execPath}" "${this.cliPath}"`;
    return (this.sync ??= import('../node/nodeGitSync').then((module) => new module.NodeGitSync(command)));
  }

  async commitAll(dir: string, message: string): Promise<{ committed: boolean; files: number }> {
    return (await this.load()).commitAll(dir, message);
  }

  async remotes(dir: string): Promise<string[]> {
    return (await this.load()).remotes(dir);
  }

  async hasUpstream(dir: string): Promise<boolean> {
    return (await this.load()).hasUpstream(dir);
  }

  async pullRebase(dir: string): Promise<void> {
    try {
      return await (await this.load()).pullRebase(dir);
    } finally {
      this.onDidPull(dir);
    }
  }

  async push(dir: string, remote?: string): Promise<void> {
    return (await this.load()).push(dir, remote);
  }

  async registerMergeDriver(dir: string): Promise<void> {
    return (await this.load()).registerMergeDriver(dir);
  }
}

const sharedGit = new LazyGit();

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
    ...(gitAllowed ? { gitSync: new LazyGitSync(cliPath, onDidWrite) } : {}),
  };
}
