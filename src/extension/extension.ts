import * as vscode from 'vscode';

/** Wires the extension; the commands, views and chat arrive in later versions. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Session Log', { log: true });
  context.subscriptions.push(log);
  log.info(`Session Log activated for ${vscode.workspace.workspaceFolders?.length ?? 0} workspace folder(s)`);
}

export function deactivate(): void {
  // Nothing to release: every disposable is in context.subscriptions.
}
