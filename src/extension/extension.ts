import * as vscode from 'vscode';
import { registerChatAndTools } from './chat/index';
import type { Services } from './services';

/** What activate() returns: for tests and other extensions that integrate (not a stable API yet). */
export interface SessionLogApi {
  /** The services behind the commands and views, made on first use. */
  services(): Promise<Services>;
  /** How long activate() took, in milliseconds. */
  readonly activationMs: number;
}

/**
 * A tree data provider whose real provider (and with it the core) loads when the view first
 * asks for rows, so that registering the view at activation costs nothing.
 */
class LazyTreeDataProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private provider: vscode.TreeDataProvider<T> | undefined;
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | null | void>();
  private subscription: vscode.Disposable | undefined;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly load: () => Promise<vscode.TreeDataProvider<T>>) {}

  private async real(): Promise<vscode.TreeDataProvider<T>> {
    if (!this.provider) {
      const provider = await this.load();
      if (!this.provider) {
        this.provider = provider;
        this.subscription = provider.onDidChangeTreeData?.((element) => this.changed.fire(element));
      }
    }
    return this.provider;
  }

  async getChildren(element?: T): Promise<T[]> {
    return (await (await this.real()).getChildren(element)) ?? [];
  }

  // Elements only come from the real provider, so it is there by the time these are asked.
  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.provider!.getTreeItem(element);
  }

  getParent(element: T): vscode.ProviderResult<T> {
    return this.provider?.getParent?.(element);
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}

/**
 * Wires the extension and nothing more: the log, the commands (every one contributed in
 * package.json), the views and their providers. The core, the parsers and git load on first use.
 */
export function activate(context: vscode.ExtensionContext): SessionLogApi | undefined {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Session Log', { log: true });
  context.subscriptions.push(log);
  try {
    const load = () => import('./services');
    let loading: Promise<Services> | undefined;
    const services = (): Promise<Services> =>
      (loading ??= load()
        .then((module) => {
          const made = new module.Services(context, log);
          context.subscriptions.push(made);
          return made;
        })
        .catch((error: unknown) => {
          loading = undefined;
          fail(log, 'Session Log could not start', error);
          throw error;
        }));
    // Every command package.json contributes, run from the lazily loaded list (commands/index.ts) on first use.
    const contributed = (context.extension.packageJSON as { contributes?: { commands?: { command: string; title: string }[] } }).contributes?.commands ?? [];
    for (const { command: id, title } of contributed) {
      context.subscriptions.push(
        vscode.commands.registerCommand(id, async (...args: unknown[]) => {
          const made = await services();
          try {
            const command = (await load()).commandOf(id);
            if (!command) throw new Error(`package.json contributes ${id}, which no command file defines.`);
            return await command.run(made, ...args);
          } catch (error) {
            made.errors.report(error, title);
            return undefined;
          }
        }),
      );
    }

    registerChatAndTools(context, services, load);

    const sessions = new LazyTreeDataProvider(() => services().then((made) => made.sessionsTree));
    const followUps = new LazyTreeDataProvider(() => services().then((made) => made.followUpsTree));
    const followUpsView = vscode.window.createTreeView('sessionlog.followUps', { treeDataProvider: followUps });
    context.subscriptions.push(
      sessions,
      followUps,
      followUpsView,
      vscode.window.createTreeView('sessionlog.sessions', { treeDataProvider: sessions, showCollapseAll: true }),
      followUpsView.onDidChangeCheckboxState(async (event) => {
        const made = await services();
        const { markDone } = await load();
        for (const [item, state] of event.items) {
          try {
            await markDone.run(made, item, state === vscode.TreeItemCheckboxState.Checked);
          } catch (error) {
            made.errors.report(error, 'Mark follow-up');
            // The box shows what the user clicked, and a write that failed announces nothing: read the entry again so it shows the truth.
            made.model.reload(undefined, { now: true });
          }
        }
      }),
    );
    // The status bar and the watchers want the data soon, but not while VS Code is starting.
    const timer = setTimeout(() => void services().catch(() => undefined), 0);
    context.subscriptions.push({ dispose: () => clearTimeout(timer) });

    const activationMs = performance.now() - started;
    log.info(`Activated in ${activationMs.toFixed(1)} ms for ${vscode.workspace.workspaceFolders?.length ?? 0} workspace folder(s).`);
    return { services, activationMs };
  } catch (error) {
    // VS Code does not tell users when an extension fails to activate: say it, and log it.
    fail(log, 'Session Log failed to activate', error);
    return undefined;
  }
}

/** Logs the whole story and tells the user in one message, with the log a click away. */
function fail(log: vscode.LogOutputChannel, what: string, error: unknown): void {
  log.error(`${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  void vscode.window.showErrorMessage(`${what}: ${error instanceof Error ? error.message : String(error)}`, 'Show Log').then((choice) => choice && log.show());
}

export function deactivate(): void {
  // Nothing to release: every disposable is in context.subscriptions.
}
