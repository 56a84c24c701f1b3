import * as vscode from 'vscode';
import { turnLines } from '../../../core/agent/format';
import { AgentSessionNode } from '../../views/nodes/agentSession';
import { SessionNode } from '../../views/nodes/session';
import { TurnNode } from '../../views/nodes/turn';
import type { Services } from '../../services';
import type { Command } from '../command';

/** The lines `from`..`to` (1-based, inclusive) of a text. */
function lines(text: string, from: number, to: number): string {
  return text
    .split(/\r?\n/)
    .slice(from - 1, to)
    .join('\n');
}

/** Copies a row's Markdown: a session's section as written, an agent session's file, a turn's section. */
async function run(_services: Services, node: unknown): Promise<string | undefined> {
  let text: string | undefined;
  if (node instanceof SessionNode) {
    const entry = await node.folder.deps.fs.readText(node.entry.entryPath);
    text = entry === undefined ? undefined : lines(entry, node.session.startLine, node.session.endLine);
  } else if (node instanceof AgentSessionNode || node instanceof TurnNode) {
    const document = await vscode.workspace.openTextDocument(node.target.uri);
    const all = document.getText();
    if (node instanceof TurnNode) {
      const turn = turnLines(all, node.number);
      text = turn && lines(all, turn.start, turn.end);
    } else {
      text = all;
    }
  }
  if (text === undefined) return undefined;
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage('$(copy) Session copied as Markdown', 3000);
  return text;
}

export const copyMarkdown: Command = { id: 'sessionlog.sessions.copyMarkdown', run };
