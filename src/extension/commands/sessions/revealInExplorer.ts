import * as vscode from 'vscode';
import type { Services } from '../../services';
import { openAt } from '../../editor';
import { targetOf } from '../../views/target';
import type { Command } from '../command';

/**
 * Shows the row's file in the Explorer, or in the operating system's file manager when it is
 * outside the workspace. Where there is no file manager to reach (VS Code in a browser, a remote
 * window), the file is opened in the editor instead and the status bar says why.
 */
async function run(_services: Services, node: unknown): Promise<void> {
  const target = targetOf(node);
  if (!target) return;
  if (vscode.workspace.getWorkspaceFolder(target.uri)) {
    await vscode.commands.executeCommand('revealInExplorer', target.uri);
  } else if ((await vscode.commands.getCommands(true)).includes('revealFileInOS')) {
    await vscode.commands.executeCommand('revealFileInOS', target.uri);
  } else {
    await openAt(target.uri, target.line);
    vscode.window.setStatusBarMessage(`$(info) ${target.uri.fsPath} is outside the workspace and there is no file manager here: opened it instead.`, 5000);
  }
}

export const revealInExplorer: Command = { id: 'sessionlog.sessions.revealInExplorer', run };
