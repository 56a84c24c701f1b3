import * as vscode from 'vscode';
import { turnLines } from '../core/agent/format';

/**
 * Opens a file with a 1-based `line` at the top of the editor (0: the start). For an agent
 * session's turn, `turnNumber` opens it at its section's heading.
 */
export async function openAt(uri: vscode.Uri, line: number, turnNumber?: number, viewColumn?: vscode.ViewColumn): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  const turn = turnNumber === undefined ? undefined : turnLines(document.getText(), turnNumber);
  const at = Math.min(Math.max(0, (turn?.start ?? line) - 1), Math.max(0, document.lineCount - 1));
  const position = new vscode.Position(at, 0);
  const editor = await vscode.window.showTextDocument(document, {
    selection: new vscode.Range(position, position),
    preview: true,
    ...(viewColumn ? { viewColumn } : {}),
  });
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
  return editor;
}

/** Shows Markdown text in the Markdown preview (in an editor where there is no preview). */
export async function previewMarkdown(content: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.commands.executeCommand('markdown.showPreview', document.uri).then(undefined, () => vscode.window.showTextDocument(document));
}
