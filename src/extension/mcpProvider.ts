import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FolderContext } from './folders';
import type { Services } from './services';

/**
 * Offers the bundled `sessionlog mcp` server to every agent in VS Code, one per workspace folder
 * whose knowledge base resolves, with no configuration: the extension host's own runtime (node,
 * or Electron told to behave as node) runs dist/cli.js over stdio.
 */
export class SessionLogMcpProvider implements vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChangeMcpServerDefinitions = this.changed.event;

  constructor(
    private readonly extensionPath: string,
    private readonly version: string,
    private readonly services: () => Promise<Services>,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.kbcontext');
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.changed.fire()),
      watcher.onDidChange(() => this.changed.fire()),
      watcher.onDidDelete(() => this.changed.fire()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.changed.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (['kbRoot', 'staleTurnMinutes', 'redactSecrets'].some((setting) => event.affectsConfiguration(`sessionlog.${setting}`))) this.changed.fire();
      }),
    );
  }

  async provideMcpServerDefinitions(): Promise<vscode.McpStdioServerDefinition[]> {
    // A server is a process: none in Restricted Mode, and none for a folder that is not on this machine's disk.
    if (!vscode.workspace.isTrusted) return [];
    const services = await this.services();
    const folders = services.folders.all().filter((folder) => folder.uri.scheme === 'file');
    const definitions: vscode.McpStdioServerDefinition[] = [];
    for (const folder of folders) {
      // The views' model may hold a resolution from before a .kbcontext change: resolve afresh.
      folder.invalidate();
      const { workspace } = await folder.resolve();
      if (workspace) definitions.push(this.definition(folder, workspace.kbRoot, folders.length > 1));
    }
    return definitions;
  }

  /** The server of one folder; the command line is what an agent outside VS Code would run too (see README). */
  definition(folder: FolderContext, kbRoot: string, named: boolean): vscode.McpStdioServerDefinition {
    const cli = path.join(this.extensionPath, 'dist', 'cli.js');
    const config = folder.config();
    const args = [cli, 'mcp', '--kb-root', kbRoot, '--stale-minutes', String(config.staleTurnMinutes), ...(config.redactSecrets ? [] : ['--no-redact'])];
    const definition = new vscode.McpStdioServerDefinition(
      named ? `Session Log (${folder.name})` : 'Session Log',
      process.execPath,
      args,
      { ELECTRON_RUN_AS_NODE: '1' },
      this.version,
    );
    definition.cwd = folder.uri;
    return definition;
  }

  resolveMcpServerDefinition(server: vscode.McpStdioServerDefinition): vscode.McpStdioServerDefinition {
    return server;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
