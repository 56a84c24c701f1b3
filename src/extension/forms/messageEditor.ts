import * as vscode from 'vscode';

const CONTEXT_KEY = 'sessionlog.editingMessage';

interface Pending {
  document: vscode.TextDocument;
  finish: () => void;
}

let pending: Pending | undefined;

/**
 * A long message is better written in an editor: an untitled Markdown document opens with what
 * was typed so far. Its text is taken when the user presses Done (the ✓ in the editor's title,
 * or the notification's button) or closes the document; undefined when they empty it.
 */
export async function editMessage(initial: string, what = 'session message'): Promise<string | undefined> {
  pending?.finish();
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: initial });
  await vscode.window.showTextDocument(document, { preview: false });
  let text = document.getText();
  await vscode.commands.executeCommand('setContext', CONTEXT_KEY, true);
  const disposables: vscode.Disposable[] = [];
  const result = await new Promise<string>((resolve) => {
    // Read at the moment of Done: a change event may still be on its way when the button is pressed.
    const finish = () => resolve(document.isClosed ? text : document.getText());
    pending = { document, finish };
    disposables.push(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === document) text = document.getText();
      }),
      vscode.workspace.onDidCloseTextDocument((closed) => {
        if (closed === document) finish();
      }),
    );
    void vscode.window.showInformationMessage(`Write the ${what} in the editor, then press Done.`, 'Done').then((choice) => {
      if (choice === 'Done') finish();
    });
  });
  disposables.forEach((disposable) => disposable.dispose());
  pending = undefined;
  await vscode.commands.executeCommand('setContext', CONTEXT_KEY, false);
  await closeWithoutSaving(document);
  return result.trim() ? result : undefined;
}

/** The Done button: takes the text of the message being written. False when none is. */
export function finishMessage(): boolean {
  if (!pending) return false;
  pending.finish();
  return true;
}

async function closeWithoutSaving(document: vscode.TextDocument): Promise<void> {
  if (document.isClosed) return;
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === document.uri.toString()) {
        // An untitled document with text would ask whether to save it: show it and revert it instead.
        await vscode.window.showTextDocument(document, { viewColumn: group.viewColumn, preserveFocus: false });
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        return;
      }
    }
  }
}
