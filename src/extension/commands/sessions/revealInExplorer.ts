import * as vscode from 'vscode';
import type { Services } from '../../services';
import { targetOf } from './target';

/** Shows the row's file in the Explorer, or in the operating system's file manager when it is outside the workspace. */
export async function revealInExplorer(_services: Services, node: unknown): Promise<void> {
  const target = targetOf(node);
  if (!target) return;
  if (vscode.workspace.getWorkspaceFolder(target.uri)) await vscode.commands.executeCommand('revealInExplorer', target.uri);
  else await vscode.commands.executeCommand('revealFileInOS', target.uri);
}
