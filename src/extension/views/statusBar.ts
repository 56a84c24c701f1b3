import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SessionHistoryItem } from '../../core/agent/sessions';
import { readConfig } from '../config';
import type { FolderContext, FolderRegistry } from '../folders';
import type { SessionsModel } from './model';
import { open as openCommand } from '../commands/sessions/open';
import { clip, plural } from '../../core/format/escape';

interface ActiveAgentSession {
  folder: FolderContext;
  session: SessionHistoryItem;
  uri: vscode.Uri;
}

/** The newest agent session still in progress, across the window's folders. */
async function activeAgentSession(model: SessionsModel, folders: FolderRegistry): Promise<ActiveAgentSession | undefined> {
  let best: ActiveAgentSession | undefined;
  for (const folder of folders.all()) {
    const state = await model.state(folder);
    const kbRoot = state.resolution.workspace?.kbRoot;
    const session = state.agents?.sessions.find((candidate) => candidate.status === 'in_progress');
    if (!session || !kbRoot) continue;
    if (!best || session.started > best.session.started) best = { folder, session, uri: folder.uriOf(path.posix.join(kbRoot, session.path)) };
  }
  return best;
}

/** A status-bar item for the active agent session: its agent and title ("full"), an icon ("icon"), or nothing ("hidden"). */
export class AgentStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sessionlog.agentSession', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private updating = Promise.resolve();

  constructor(
    private readonly model: SessionsModel,
    private readonly folders: FolderRegistry,
  ) {
    this.item.name = 'Session Log: Active Agent Session';
    this.disposables.push(
      model.onDidChange(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('sessionlog.statusBar')) this.update();
      }),
    );
    this.update();
  }

  /** What the item shows now (for tests and the command that reveals it). */
  get text(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  private visible = false;

  update(): Promise<void> {
    return (this.updating = this.updating.then(() => this.render()).catch(() => undefined));
  }

  private async render(): Promise<void> {
    const mode = readConfig().statusBar;
    const active = mode === 'hidden' ? undefined : await activeAgentSession(this.model, this.folders);
    if (!active) {
      this.visible = false;
      this.item.hide();
      return;
    }
    const { session } = active;
    const stale = !!session.staleTurn;
    const glyph = stale ? '$(warning)' : '$(robot)';
    const title = clip(session.title, 40);
    this.item.text = mode === 'icon' ? glyph : `${glyph} ${session.agent}: ${title}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`${glyph} **`);
    tooltip.appendText(session.title);
    tooltip.appendMarkdown('**\n\n');
    tooltip.appendText(`${session.agent}${session.model ? ` (${session.model})` : ''} · ${plural(session.turnCount, 'turn')} · since ${session.started}`);
    if (stale) tooltip.appendText(`\n\nTurn ${session.staleTurn} has not changed for a while: the agent may have stopped.`);
    tooltip.appendMarkdown('\n\nClick to open the session.');
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Agent session in progress: ${session.agent}, ${session.title}` };
    this.item.backgroundColor = stale ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.command = { command: openCommand.id, title: 'Open Agent Session', arguments: [{ uri: active.uri, line: 0 }] };
    this.visible = true;
    this.item.show();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
