import * as vscode from 'vscode';
import type { ResolvedEntry } from '../../../core/context/resolve';
import type { Session } from '../../../core/model/session';
import type { FolderContext } from '../../folders';
import { firstLine } from '../../../core/format/escape';
import { Node, type Target } from './node';

/** A logged session of the entry; opens at its section. */
export class SessionNode extends Node {
  constructor(
    parent: Node,
    readonly folder: FolderContext,
    readonly entry: ResolvedEntry,
    readonly session: Session,
  ) {
    // The n-th section stays the n-th: entries only grow at the end.
    super(parent, `session:${folder.key}:${entry.entryPath}#${session.index}`);
  }

  override get target(): Target {
    return { uri: this.folder.uriOf(this.entry.entryPath), line: this.session.startLine };
  }

  item(): vscode.TreeItem {
    const { session } = this;
    const item = this.treeItem(firstLine(session.message, 80) || session.heading, vscode.TreeItemCollapsibleState.None);
    const open = session.followUps.filter((followUp) => !followUp.done).length;
    item.iconPath = new vscode.ThemeIcon(open > 0 ? 'checklist' : 'note');
    item.description = [session.heading, ...session.tags.map((tag) => `#${tag}`)].join('  ');
    item.contextValue = 'session';
    item.tooltip = sessionTooltip(session);
    item.accessibilityInformation = { label: `${session.heading}: ${firstLine(session.message, 200)}` };
    return item;
  }
}

function sessionTooltip(session: Session): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown('$(note) **');
  tooltip.appendText(session.heading);
  tooltip.appendMarkdown('**');
  if (session.tags.length > 0) tooltip.appendMarkdown(` · ${session.tags.map((tag) => `\`#${tag.replace(/`/g, '')}\``).join(' ')}`);
  tooltip.appendMarkdown('\n\n');
  tooltip.appendText(session.message.length > 1200 ? `${session.message.slice(0, 1200)}…` : session.message);
  const list = (title: string, items: string[]) => {
    if (items.length === 0) return;
    tooltip.appendMarkdown(`\n\n**${title}**\n`);
    for (const text of items.slice(0, 12)) {
      tooltip.appendMarkdown('\n- ');
      tooltip.appendText(text);
    }
    if (items.length > 12) tooltip.appendMarkdown(`\n- … ${items.length - 12} more`);
  };
  list('Files modified', session.files);
  list(
    'Decisions',
    session.decisions.map(({ decision, rationale }) => (rationale ? `${decision} — ${rationale}` : decision)),
  );
  list(
    'Follow-ups',
    session.followUps.map(({ text, done }) => `${done ? '☑' : '☐'} ${text}`),
  );
  if (session.next) {
    tooltip.appendMarkdown('\n\n**Next session**\n\n');
    tooltip.appendText(session.next);
  }
  if (session.links.length > 0) {
    tooltip.appendMarkdown('\n\n**Related** ');
    tooltip.appendText(session.links.join(', '));
  }
  return tooltip;
}
