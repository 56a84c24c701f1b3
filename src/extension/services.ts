import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../core/errors';
import { readConfig } from './config';
import { loggerOf } from './deps';
import { ErrorReporter } from './errors';
import { FolderRegistry } from './folders';
import { WikiLinkProvider } from './links';
import { KnowledgeBaseWatchers } from './watchers';
import { FollowUpsTreeProvider } from './views/followUpsTree';
import { SessionsModel } from './views/model';
import { SessionsTreeProvider } from './views/sessionsTree';
import { AgentStatusBar } from './views/statusBar';
import { watchSearchedKnowledgeBases } from '../core/search/store';

// What the entry module reaches through this one, so that it all loads on first use.
export { commandOf } from './commands/index';
export { markDone } from './commands/followUps/markDone';
export { SessionLogParticipant } from './chat/participant';
export { SessionLogMcpProvider } from './mcpProvider';
export { AgentSessionsCache } from './tools/sessions';
export { createTool, TOOL_PREFIX } from './tools/tools';

const RECENT_TAGS_KEY = 'sessionlog.recentTags';

/** Tags used lately, newest first, kept across windows (global state). */
class RecentTags {
  constructor(private readonly memento: vscode.Memento) {}

  get(): string[] {
    return this.memento.get<string[]>(RECENT_TAGS_KEY, []);
  }

  async remember(tags: readonly string[]): Promise<void> {
    const limit = readConfig().recentTagsLimit;
    const next = [...new Set([...tags, ...this.get()])].slice(0, limit);
    await this.memento.update(RECENT_TAGS_KEY, next);
  }
}

/**
 * Everything behind the commands and views, made on first use after activation (the core, its
 * YAML and Markdown parsers and the views' model load then, not while VS Code starts).
 */
export class Services implements vscode.Disposable {
  readonly errors: ErrorReporter;
  readonly folders: FolderRegistry;
  readonly model: SessionsModel;
  readonly recentTags: RecentTags;
  readonly sessionsTree: SessionsTreeProvider;
  readonly followUpsTree: FollowUpsTreeProvider;
  readonly statusBar: AgentStatusBar;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    // The editor lives on: searches follow the file system's change reports instead of checking every file.
    watchSearchedKnowledgeBases();
    this.folders = new FolderRegistry(loggerOf(log), path.join(context.extensionPath, 'dist', 'cli.js'));
    this.errors = new ErrorReporter(log, (file) => this.uriOf(file));
    this.model = new SessionsModel(this.folders, (error, folder) => log.warn(`${folder.name}: ${describeError(error)}`));
    this.recentTags = new RecentTags(context.globalState);
    this.sessionsTree = new SessionsTreeProvider(this.model, this.folders);
    this.followUpsTree = new FollowUpsTreeProvider(this.model, this.folders);
    this.statusBar = new AgentStatusBar(this.model, this.folders);
    this.disposables.push(
      this.folders,
      this.model,
      this.statusBar,
      new KnowledgeBaseWatchers(this.folders, this.model),
      vscode.languages.registerDocumentLinkProvider({ language: 'markdown' }, new WikiLinkProvider(this.folders)),
      this.model.onDidChange(() => void this.updateViewState()),
    );
    void this.updateViewState();
  }

  /** The URI of a core path: in the folder whose file system it belongs to, else a local file. */
  uriOf(file: string): vscode.Uri {
    for (const folder of this.folders.all()) {
      if (file === folder.cwd || file.startsWith(`${folder.cwd}/`)) return folder.uriOf(file);
    }
    const first = this.folders.all()[0];
    return first && first.uri.scheme !== 'file' ? first.uriOf(file) : vscode.Uri.file(file);
  }

  /** Sets `sessionlog.state` for the views' welcome content: noFolder, noContext, empty or ready. */
  private async updateViewState(): Promise<void> {
    try {
      await vscode.commands.executeCommand('setContext', 'sessionlog.state', await this.model.viewState());
    } catch (error) {
      this.log.warn(`view state: ${describeError(error)}`);
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
