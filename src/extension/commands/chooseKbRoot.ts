import * as vscode from 'vscode';
import { setKbRoot } from '../config';
import type { Services } from '../services';
import { pathOfUri } from '../workspaceFs';
import type { Command } from './command';

/** Session: Choose Knowledge Base Folder — sets sessionlog.kbRoot (user settings) to a folder picked in a dialog, or to `folder`. */
async function run(_services: Services, folder?: string | vscode.Uri): Promise<string | undefined> {
  let chosen = typeof folder === 'string' ? vscode.Uri.file(folder) : folder;
  if (!(chosen instanceof vscode.Uri)) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      title: 'Choose the knowledge base folder',
      openLabel: 'Use as Knowledge Base',
    });
    chosen = picked?.[0];
  }
  if (!chosen) return undefined;
  const root = pathOfUri(chosen);
  await setKbRoot(root);
  void vscode.window.showInformationMessage(
    `Knowledge base: ${root} (setting sessionlog.kbRoot). Sessions go where each project's .kbcontext says, inside it.`,
  );
  return root;
}

export const chooseKbRoot: Command = { id: 'sessionlog.chooseKbRoot', run };
