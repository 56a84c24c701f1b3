import * as vscode from 'vscode';
import { renderMarkdown } from '../../core/report/render';
import type { Report } from '../../core/report/report';
import { previewMarkdown } from '../editor';
import { folderReport, type ReportPeriod } from '../report';
import type { Services } from '../services';
import type { Command } from './command';

/** What a caller (a test, a keybinding's args, the chat) may fix instead of being asked. */
interface WeeklyReportArgs {
  cwd?: string | vscode.Uri;
  period?: ReportPeriod;
  all?: boolean;
  /** Leave the preview closed (tests read the returned report). */
  preview?: boolean;
}

const PERIODS: { label: string; period: ReportPeriod }[] = [
  { label: 'This week', period: 'this' },
  { label: 'Last week', period: 'last' },
  { label: 'This month', period: 'this month' },
  { label: 'Last month', period: 'last month' },
];

/** Session: Weekly Report — this project's week (or last week, or a month) as a Markdown preview. */
async function run(services: Services, args: WeeklyReportArgs = {}): Promise<Report | undefined> {
  const folder = await services.folders.choose(args.cwd, 'Weekly Report');
  let period = args.period;
  if (!period) {
    const chosen = await vscode.window.showQuickPick(PERIODS, { title: 'Weekly Report', placeHolder: 'Which period?' });
    if (!chosen) return undefined;
    period = chosen.period;
  }
  const report = await folderReport(folder, period, args.all);
  if (args.preview !== false) await previewMarkdown(renderMarkdown(report));
  return report;
}

export const weeklyReport: Command = { id: 'sessionlog.weeklyReport', run };
