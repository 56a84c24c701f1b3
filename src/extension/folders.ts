import * as path from 'node:path';
import * as vscode from 'vscode';
import { AgentSessions } from '../core/agent/sessions';
import { isInside } from '../core/context/paths';
import { loadWorkspace, resolveEntry, type ResolvedEntry, type Workspace } from '../core/context/resolve';
import { SessionLogError } from '../core/errors';
import type { Deps, FileSystem, Logger } from '../core/ports';
import { readConfig, type SessionLogConfig } from './config';
import { createDeps, type Capabilities } from './deps';
import { pathOfUri, uriOfPath } from './workspaceFs';

/** What a folder resolves to: its knowledge base and session entry, or why not. */
export interface Resolution {
  workspace?: Workspace;
  entry?: ResolvedEntry;
  /** Why there is no knowledge base or no entry (a SessionLogError, usually). */
  error?: unknown;
}

/** The options every use case is called with for this folder: its working directory and checked knowledge-base root. */
interface FolderOptions {
  cwd: string;
  kbRoot: string;
}

/**
 * In Restricted Mode nothing a workspace's files say may lead outside it: the knowledge base
 * (from its .kbcontext, a setting or the environment) must lie inside the folder, symbolic
 * links resolved. The entry itself is already confined to the knowledge base by the core.
 */
export async function confineToFolder(fs: FileSystem, folder: string, kbRoot: string): Promise<void> {
  const [realFolder, realRoot] = await Promise.all([fs.realpath(folder), fs.realpath(kbRoot)]);
  if (!isInside(realFolder, realRoot)) {
    throw new SessionLogError(
      'path_outside_kb',
      `Restricted Mode: the knowledge base ${kbRoot} is outside the workspace folder ${folder}, so Session Log does not use it until the workspace is trusted.`,
      { kbRoot, folder, restricted: true },
      'Trust the workspace, or keep the knowledge base inside the folder.',
    );
  }
}

/** Thrown when the user picks no folder: the command or chat request ends there, and nothing reports it as an error. */
export const NO_FOLDER_CHOSEN = Symbol('no folder chosen');

/** One workspace folder (or a folder a command was pointed at): its ports, settings and resolved entry. */
export class FolderContext {
  readonly deps: Deps;
  /** The folder as the core sees it: an absolute `/` path. */
  readonly cwd: string;
  private resolution: Promise<Resolution> | undefined;

  constructor(
    readonly uri: vscode.Uri,
    readonly name: string,
    readonly workspaceFolder: vscode.WorkspaceFolder | undefined,
    readonly capabilities: Capabilities,
    logger: Logger,
    cliPath: string,
    onDidWrite: (file: string) => void = () => undefined,
  ) {
    this.cwd = pathOfUri(uri);
    this.deps = createDeps(uri, this.cwd, capabilities, logger, cliPath, onDidWrite);
  }

  get key(): string {
    return this.uri.toString();
  }

  config(): SessionLogConfig {
    return readConfig(this.workspaceFolder ?? this.uri);
  }

  /** Whether git may run here: a trusted workspace on this machine's disk. */
  get canRunGit(): boolean {
    return this.capabilities.trusted && !this.capabilities.virtual;
  }

  /** The URI of a core path of this folder's file system. */
  uriOf(file: string): vscode.Uri {
    return uriOfPath(this.uri, file);
  }

  /** Forgets the resolution (a .kbcontext or a setting changed). */
  invalidate(): void {
    this.resolution = undefined;
  }

  resolve(): Promise<Resolution> {
    return (this.resolution ??= this.doResolve());
  }

  private async doResolve(): Promise<Resolution> {
    let workspace: Workspace;
    try {
      const configured = this.config().kbRoot;
      workspace = await loadWorkspace(this.deps, {
        cwd: this.cwd,
        ...(configured ? { kbRoot: path.posix.resolve(this.cwd, configured.replace(/\\/g, '/')) } : {}),
      });
      if (!this.capabilities.trusted) await confineToFolder(this.deps.fs, this.cwd, workspace.kbRoot);
    } catch (error) {
      return { error };
    }
    try {
      return { workspace, entry: await resolveEntry(this.deps, workspace) };
    } catch (error) {
      return { workspace, error };
    }
  }

  /** The working directory and knowledge-base root to call use cases with; throws why there is none. */
  async options(): Promise<FolderOptions> {
    const { workspace, error } = await this.resolve();
    if (!workspace) throw error;
    return { cwd: this.cwd, kbRoot: workspace.kbRoot };
  }

  /** The session entry; throws why there is none (no .kbcontext, neither session_entry nor primary...). */
  async entry(): Promise<ResolvedEntry> {
    const { entry, error } = await this.resolve();
    if (!entry) throw error;
    return entry;
  }

  async agentSessions(): Promise<AgentSessions> {
    return new AgentSessions(this.deps, { ...(await this.options()), staleAfterMinutes: this.config().staleTurnMinutes });
  }
}

/** A file written through a folder's ports. */
interface FolderWrite {
  folder: FolderContext;
  file: string;
}

/** The folders of the window, each with its own context; rebuilt when folders change or trust is granted. */
export class FolderRegistry implements vscode.Disposable {
  private readonly contexts = new Map<string, FolderContext>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly written = new vscode.EventEmitter<FolderWrite>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.written];
  readonly onDidChange = this.changed.event;
  /** A file changed through a folder's ports (this extension's own writes). */
  readonly onDidWrite = this.written.event;

  constructor(
    private readonly logger: Logger,
    private readonly cliPath: string,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reset()),
      // Trust brings git and knowledge bases outside the folder: every port is made again.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()),
    );
  }

  private reset(): void {
    this.contexts.clear();
    this.changed.fire();
  }

  private capabilities(uri: vscode.Uri): Capabilities {
    return { trusted: vscode.workspace.isTrusted, virtual: uri.scheme !== 'file' };
  }

  /** The context kept under `key`, made on first ask. */
  private context(key: string, uri: vscode.Uri, name: string, workspaceFolder: vscode.WorkspaceFolder | undefined): FolderContext {
    let context = this.contexts.get(key);
    if (!context) {
      const made: FolderContext = new FolderContext(uri, name, workspaceFolder, this.capabilities(uri), this.logger, this.cliPath, (file) =>
        this.written.fire({ folder: made, file }),
      );
      this.contexts.set(key, (context = made));
    }
    return context;
  }

  /** Every workspace folder's context, in the window's order. */
  all(): FolderContext[] {
    return (vscode.workspace.workspaceFolders ?? []).map((folder) => this.of(folder));
  }

  of(folder: vscode.WorkspaceFolder): FolderContext {
    return this.context(folder.uri.toString(), folder.uri, folder.name, folder);
  }

  /** The context of the workspace folder holding `uri`, else one of `uri` itself as a working directory. */
  forUri(uri: vscode.Uri): FolderContext {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (folder) return this.of(folder);
    if (!vscode.workspace.isTrusted) {
      throw new SessionLogError(
        'path_outside_kb',
        `Restricted Mode: ${pathOfUri(uri)} is not in a workspace folder.`,
        { path: pathOfUri(uri), restricted: true },
        'Trust the workspace to log for folders outside it.',
      );
    }
    const context = this.context(`cwd:${uri.toString()}`, uri, path.posix.basename(uri.path), undefined);
    // No watcher follows a folder outside the workspace: its .kbcontext and the settings are read afresh each time it is asked for.
    context.invalidate();
    return context;
  }

  /** Every workspace folder's context; there is none to act on when no folder is open. */
  required(): FolderContext[] {
    const folders = this.all();
    if (folders.length > 0) return folders;
    throw new SessionLogError(
      'no_context',
      'No folder is open, so there is no project to log for.',
      { noFolder: true },
      "Open the project's folder, then try again.",
    );
  }

  /** The context of the active editor's workspace folder, if it is in one. */
  active(): FolderContext | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = active && vscode.workspace.getWorkspaceFolder(active);
    return folder ? this.of(folder) : undefined;
  }

  /**
   * The folder a command acts on: the one it was given (a path, a URI, `{ cwd }` or `{ folder }`),
   * else the only folder, else the active editor's, else the user's pick. Throws NO_FOLDER_CHOSEN when they cancel.
   */
  async choose(given: unknown, purpose: string): Promise<FolderContext> {
    const explicit = asUri(given);
    if (explicit) return this.forUri(explicit);
    const folders = this.required();
    if (folders.length === 1) return folders[0]!;
    const active = this.active();
    if (active) return active;
    const items = await Promise.all(
      folders.map(async (folder) => {
        const { entry, error } = await folder.resolve();
        return { label: folder.name, description: entry ? entry.relativePath : error instanceof SessionLogError ? error.code.replace(/_/g, ' ') : '', folder };
      }),
    );
    const picked = await vscode.window.showQuickPick(items, { title: purpose, placeHolder: "Which folder's project?" });
    if (!picked) throw NO_FOLDER_CHOSEN;
    return picked.folder;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** A folder named by a command's argument: a URI, a path, `{ cwd }`, `{ folder }` or `{ uri }`. */
function asUri(given: unknown): vscode.Uri | undefined {
  if (given instanceof vscode.Uri) return given;
  if (typeof given === 'string' && given.trim()) return /^[a-z][a-z0-9+.-]+:\/\//i.test(given) ? vscode.Uri.parse(given) : vscode.Uri.file(given);
  if (given && typeof given === 'object') {
    const record = given as { cwd?: unknown; folder?: unknown; uri?: unknown };
    for (const value of [record.cwd, record.folder]) {
      const uri = asUri(value);
      if (uri) return uri;
    }
    if (record.uri instanceof vscode.Uri) return record.uri;
    const folder = given as Partial<vscode.WorkspaceFolder>;
    if (folder.uri instanceof vscode.Uri) return folder.uri;
  }
  return undefined;
}
