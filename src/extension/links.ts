import * as path from 'node:path';
import * as vscode from 'vscode';
import { isInside, resolveInKb } from '../core/context/paths';
import { linkTarget } from '../core/model/validate';
import type { FolderContext, FolderRegistry } from './folders';
import { pathOfUri } from './workspaceFs';

const WIKI_LINK = /\[\[([^[\]\n]+?)\]\]/g;

/**
 * Makes `[[links]]` in Markdown clickable, resolved against the knowledge-base root of the
 * folder the document belongs to (or whose knowledge base holds it). A link that would lead
 * outside the knowledge base (`..`, an absolute path, a symbolic link out) is not made a link.
 */
export class WikiLinkProvider implements vscode.DocumentLinkProvider {
  constructor(private readonly folders: FolderRegistry) {}

  async provideDocumentLinks(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentLink[]> {
    const text = document.getText();
    if (!text.includes('[[')) return [];
    const folder = await this.folderOf(document.uri);
    const kbRoot = folder && (await folder.resolve()).workspace?.kbRoot;
    if (!folder || !kbRoot) return [];
    const links: vscode.DocumentLink[] = [];
    for (const match of text.matchAll(WIKI_LINK)) {
      if (token.isCancellationRequested) break;
      const inner = match[1]!;
      const target = linkTarget(inner);
      if (!target) continue;
      const file = await this.resolve(folder, kbRoot, target);
      if (!file) continue;
      const start = document.positionAt(match.index! + 2);
      const end = document.positionAt(match.index! + 2 + inner.length);
      const link = new vscode.DocumentLink(new vscode.Range(start, end), folder.uriOf(file));
      link.tooltip = `Open ${path.posix.relative(kbRoot, file)} (knowledge base)`;
      links.push(link);
    }
    return links;
  }

  /** The file a link names: the path itself, or with `.md` added as memex allows; inside the knowledge base only. */
  private async resolve(folder: FolderContext, kbRoot: string, target: string): Promise<string | undefined> {
    let resolved: string;
    try {
      resolved = await resolveInKb(folder.deps.fs, kbRoot, target, 'link');
    } catch {
      return undefined;
    }
    if (!target.endsWith('.md') && !(await folder.deps.fs.stat(resolved))?.isFile) {
      const withExtension = `${resolved}.md`;
      if ((await folder.deps.fs.stat(withExtension))?.isFile) return withExtension;
    }
    return resolved;
  }

  private async folderOf(uri: vscode.Uri): Promise<FolderContext | undefined> {
    const file = pathOfUri(uri);
    for (const folder of this.folders.all()) {
      const { workspace } = await folder.resolve();
      if (workspace && folder.uri.scheme === uri.scheme && isInside(workspace.kbRoot, file)) return folder;
    }
    const owner = vscode.workspace.getWorkspaceFolder(uri);
    return owner ? this.folders.of(owner) : undefined;
  }
}
