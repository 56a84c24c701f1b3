import * as vscode from 'vscode';

/**
 * Opens a file with a 1-based `line` at the top of the editor (0: the start). For an agent
 * session's turn, `turnNumber` finds the line of its `## Turn N · …` heading.
 */
export async function openAt(uri: vscode.Uri, line: number, turnNumber?: number): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  let at = Math.max(0, line - 1);
  if (turnNumber !== undefined) {
    const heading = `## Turn ${turnNumber} ·`;
    for (let index = 0; index < document.lineCount; index++) {
      if (document.lineAt(index).text.startsWith(heading)) {
        at = index;
        break;
      }
    }
  }
  at = Math.min(at, Math.max(0, document.lineCount - 1));
  const position = new vscode.Position(at, 0);
  const editor = await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position), preview: true });
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
  return editor;
}
