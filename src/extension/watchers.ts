import * as path from 'node:path';
import * as vscode from 'vscode';
import { affectsConfig } from './config';
import type { FolderContext, FolderRegistry } from './folders';
import type { SessionsModel } from './views/model';

/** Files that only exist while a write is under way, or as backups, and git's own: no reason to read again. */
const NOISE = /(\.lock|\.lock\.break|\.tmp|\.bak)$|\/\.git(\/|$)/;
/**
 * A file created in a folder that was itself just created may not be reported, and a new watcher
 * reports nothing until the file watcher has started it: in both cases read again a little later.
 */
const SETTLE_MS = 1000;

/**
 * Keeps the views current whoever writes (the CLI, an agent, another window): each folder's
 * knowledge base is watched for Markdown changes (with a RelativePattern on its root, so a
 * knowledge base outside the workspace is watched too), and its .kbcontext for changes that move
 * the entry. The model reads again once a burst of events is over.
 */
export class KnowledgeBaseWatchers implements vscode.Disposable {
  /** Each watcher with its listeners, by folder, base and glob. */
  private readonly watches = new Map<string, vscode.Disposable>();
  private readonly disposables: vscode.Disposable[] = [];
  private syncing = Promise.resolve();

  constructor(
    private readonly folders: FolderRegistry,
    private readonly model: SessionsModel,
  ) {
    this.disposables.push(
      model.onDidChange(() => this.sync()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsConfig(event)) model.reload(undefined, { resolution: true });
      }),
    );
    this.sync();
  }

  /** Makes the set of watchers match what the folders resolve to now. */
  sync(): Promise<void> {
    return (this.syncing = this.syncing.then(() => this.doSync()).catch(() => undefined));
  }

  private async doSync(): Promise<void> {
    const wanted = new Map<string, { folder: FolderContext; base: vscode.Uri; glob: string; resolution: boolean }>();
    for (const folder of this.folders.all()) {
      const { workspace } = await folder.resolve();
      const add = (base: vscode.Uri, glob: string, resolution: boolean) =>
        wanted.set(`${folder.key}\n${base.toString()}\n${glob}`, { folder, base, glob, resolution });
      add(folder.uri, '.kbcontext', true);
      if (workspace?.context && path.posix.dirname(workspace.context.file) !== folder.cwd) {
        add(folder.uriOf(path.posix.dirname(workspace.context.file)), '.kbcontext', true);
      }
      // Every file, not just `**/*.md`: a new folder must be seen (its first file may not be).
      if (workspace) add(folder.uriOf(workspace.kbRoot), '**', false);
    }
    for (const [key, watch] of this.watches) {
      if (!wanted.has(key)) {
        watch.dispose();
        this.watches.delete(key);
      }
    }
    const started = new Set<FolderContext>();
    for (const [key, { folder, base, glob, resolution }] of wanted) {
      if (this.watches.has(key)) continue;
      started.add(folder);
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, glob));
      const changed = (uri: vscode.Uri) => {
        if (NOISE.test(uri.path)) return;
        this.model.reload(folder, { resolution });
        if (!path.posix.extname(uri.path)) setTimeout(() => this.model.reload(folder), SETTLE_MS);
      };
      this.watches.set(key, vscode.Disposable.from(watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed), watcher));
    }
    // Twice: a busy machine may take longer than SETTLE_MS to start a watcher.
    for (const folder of started) for (const delay of [SETTLE_MS, 4 * SETTLE_MS]) setTimeout(() => this.model.reload(folder), delay);
  }

  dispose(): void {
    for (const watch of this.watches.values()) watch.dispose();
    this.watches.clear();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
