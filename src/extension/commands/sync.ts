import * as vscode from 'vscode';
import { syncKnowledgeBase, type SyncResult } from '../../core/usecases/sync';
import type { Services } from '../services';
import type { Command } from './command';
import { plural } from '../../core/format/escape';

/**
 * Session: Sync Knowledge Base — commit, pull with rebase and push the folder's knowledge base
 * (trusted, local workspaces only). In the background (after a log, with `syncAfterLog`) progress
 * shows in the status bar and only a failure speaks up.
 */
async function run(services: Services, args?: { cwd?: string | vscode.Uri; background?: boolean }): Promise<SyncResult | undefined> {
  const folder = await services.folders.choose(args?.cwd, 'Sync Knowledge Base');
  const options = await folder.options();
  const location = args?.background ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
  const result = await vscode.window.withProgress({ location, title: 'Syncing the knowledge base' }, (progress) =>
    syncKnowledgeBase(folder.deps, { ...options, onProgress: (step) => progress.report({ message: step }) }),
  );
  const summary = `Knowledge base synced${result.committed ? ` (${plural(result.files, 'file')} committed)` : ''}${result.pulled ? ', pulled' : ''} and pushed.`;
  services.log.info(summary);
  if (!args?.background) void vscode.window.showInformationMessage(summary);
  return result;
}

export const sync: Command = { id: 'sessionlog.sync', run };
