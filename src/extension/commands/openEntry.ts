import * as vscode from 'vscode';
import { openAt } from '../editor';
import { logWithForm } from '../forms/logWithForm';
import type { Services } from '../services';
import type { Command } from './command';

/** Session: Open Entry — the project's session entry, at its newest session. */
async function run(services: Services, args?: { cwd?: string | vscode.Uri } | vscode.Uri): Promise<vscode.Uri | undefined> {
  const folder = await services.folders.choose(args, 'Open Session Entry');
  const entry = await folder.entry();
  const uri = folder.uriOf(entry.entryPath);
  if (!(await folder.deps.fs.stat(entry.entryPath))) {
    const choice = await vscode.window.showInformationMessage(`No sessions yet: ${entry.relativePath} is created by the first one you log.`, 'Log Session');
    if (choice) await logWithForm(services, { cwd: folder.uri });
    return undefined;
  }
  const state = await services.model.state(folder);
  await openAt(uri, state.history?.sessions[0]?.startLine ?? 0);
  return uri;
}

export const openEntry: Command = { id: 'sessionlog.openEntry', run };
