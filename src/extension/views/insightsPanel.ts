import * as path from 'node:path';
import * as vscode from 'vscode';
import { collectActivity, type Activity } from '../../core/report/collect';
import { insightsOf, insightsTargets, type Insights, type InsightsFilters, type InsightsMark, type InsightsTarget } from '../../core/report/insights';
import { localTimeZone, Zone } from '../../core/report/zone';
import { EntryCache } from '../../core/usecases/readEntries';
import { openAt } from '../editor';
import { describeError as describe } from '../../core/errors';
import type { FolderContext } from '../folders';
import type { Drawn, FromWebview, ToWebview } from './insightsMessages';

/**
 * The Insights webview of one folder's knowledge base. The host reads and counts (the core's use
 * cases); the page only draws. The page runs one bundled script under a policy that allows nothing
 * else: no remote content, scripts and style elements only with this page's nonce.
 */
export class InsightsPanel implements vscode.Disposable {
  static readonly viewType = 'sessionlog.insights';
  private readonly cache = new EntryCache();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly drawnEmitter = new vscode.EventEmitter<Drawn>();
  /** Fires each time the page has drawn data, with what it drew. */
  readonly onDidDraw = this.drawnEmitter.event;
  private activity: Activity | undefined;
  filters: InsightsFilters = {};
  /** The data last sent to the page, and what the page last reported drawing. */
  insights: Insights | undefined;
  drawn: Drawn | undefined;
  /** Why the page last failed to draw, if it did. */
  failure: string | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly folder: FolderContext,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.webview.html = page(panel.webview, vscode.Uri.joinPath(dist, 'insights.js'), vscode.Uri.joinPath(dist, 'insights.css'));
    this.disposables.push(
      this.drawnEmitter,
      panel.webview.onDidReceiveMessage((message: FromWebview) => this.receive(message)),
    );
  }

  private async receive(message: FromWebview): Promise<void> {
    try {
      switch (message.type) {
        case 'ready':
          return await this.refresh();
        case 'filter':
          return await this.setFilters(message.filters);
        case 'open':
          await this.open(message.mark);
          return;
        case 'drawn':
          this.drawn = message.drawn;
          this.drawnEmitter.fire(message.drawn);
          return;
        case 'failed':
          this.failure = message.message;
          this.log.error(`Insights: the page could not draw: ${message.message}`);
          return;
      }
    } catch (error) {
      this.log.error(`Insights: ${describe(error)}`);
      await this.post({ type: 'error', message: describe(error) });
    }
  }

  /** Reads the knowledge base again (unchanged entries come from the cache) and redraws. */
  async refresh(): Promise<void> {
    this.activity = await collectActivity(this.folder.deps, { ...(await this.folder.options()), all: true }, this.cache);
    await this.send();
  }

  /** Narrows the charts (the page's filters send these). */
  async setFilters(filters: InsightsFilters): Promise<void> {
    this.filters = filters;
    await this.send();
  }

  private zone(): Zone {
    return new Zone(localTimeZone());
  }

  private async send(): Promise<void> {
    if (!this.activity) return this.refresh();
    this.insights = insightsOf(this.activity, this.filters, this.folder.deps.clock.now(), this.zone());
    await this.post({ type: 'data', insights: this.insights });
  }

  private async post(message: ToWebview): Promise<void> {
    await this.panel.webview.postMessage(message);
  }

  /** The sessions behind a mark: one opens at once, several are offered in a list. */
  async open(mark: InsightsMark): Promise<InsightsTarget[]> {
    if (!this.activity) return [];
    const targets = insightsTargets(this.activity, this.filters, this.folder.deps.clock.now(), this.zone(), mark);
    // Beside the charts, which stay in view.
    const go = async (target: InsightsTarget) =>
      openAt(this.folder.uriOf(path.posix.join(this.activity!.kbRoot, target.path)), target.line ?? 1, target.turn, vscode.ViewColumn.Beside);
    if (targets.length === 1) await go(targets[0]!);
    else if (targets.length > 1) {
      const chosen = await vscode.window.showQuickPick(
        targets.map((target) => ({ label: target.label, description: target.description, target })),
        { title: `Insights: ${targets.length} behind this mark`, matchOnDescription: true },
      );
      if (chosen) await go(chosen.target);
    }
    return targets;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function page(webview: vscode.Webview, script: vscode.Uri, style: vscode.Uri): string {
  const nonce = [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; font-src ${webview.cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${webview.asWebviewUri(style).toString()}" nonce="${nonce}">
<title>Session Insights</title>
</head>
<body>
<main id="root" aria-live="polite"><p>Counting sessions…</p></main>
<script nonce="${nonce}" src="${webview.asWebviewUri(script).toString()}"></script>
</body>
</html>`;
}
