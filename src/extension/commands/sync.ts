import * as vscode from 'vscode';
import { syncKnowledgeBase, type SyncResult } from '../../core/usecases/sync';
import type { Services } from '../services';

/** Session: Sync Knowledge Base — commit, pull with rebase and push the folder's knowledge base (trusted, local workspaces only). */
export async function sync(services: Services, args?: { cwd?: string | vscode.Uri }): Promise<SyncResult | undefined> {
  const folder = await services.folders.choose(args?.cwd, 'Sync Knowledge Base');
  if (!folder) return undefined;
  const options = await folder.options();
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Syncing the knowledge base' },
    (progress) => syncKnowledgeBase(folder.deps, { ...options, onProgress: (step) => progress.report({ message: step }) }));
  services.model.invalidate(undefined, { now: true });
  void vscode.window.showInformationMessage(`Knowledge base synced${result.committed ? ` (${result.files} file${result.files === 1 ? '' : 's'} committed)` : ''}${result.pulled ? ', pulled' : ''} and pushed.`);
  return result;
}
