import * as vscode from 'vscode';
import type { InsightsFilters } from '../../core/report/insights';
import type { Services } from '../services';
import { InsightsPanel } from '../views/insightsPanel';
import type { Command } from './command';

let open: InsightsPanel | undefined;

/** Session: Show Insights — the charts of the knowledge base's activity; one panel, shown again when asked again. */
async function run(services: Services, args: { cwd?: string | vscode.Uri; filters?: InsightsFilters } = {}): Promise<InsightsPanel | undefined> {
  const folder = await services.folders.choose(args.cwd, 'Show Insights');
  if (open) open.panel.dispose();
  const panel = vscode.window.createWebviewPanel(InsightsPanel.viewType, 'Session Insights', vscode.ViewColumn.Active, {
    enableScripts: true,
    enableFindWidget: true,
    retainContextWhenHidden: true,
  });
  const insights = new InsightsPanel(panel, folder, services.context.extensionUri, services.log);
  if (args.filters) insights.filters = args.filters;
  open = insights;
  panel.onDidDispose(() => {
    insights.dispose();
    if (open === insights) open = undefined;
  });
  services.context.subscriptions.push(insights);
  return insights;
}

export const showInsights: Command = { id: 'sessionlog.showInsights', run };
