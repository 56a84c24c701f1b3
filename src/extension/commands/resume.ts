import * as path from 'node:path';
import * as vscode from 'vscode';
import { renderResume, resumeContext, type ResumeContext } from '../../core/usecases/resume';
import { openAt, previewMarkdown } from '../editor';
import type { Services } from '../services';
import type { Command } from './command';

interface ResumeItem extends vscode.QuickPickItem {
  open?: { uri: vscode.Uri; line: number };
}

const markdownButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('markdown'), tooltip: 'Open as Markdown preview' };

/** Session: Resume — where the last session left off: its next-session context, open follow-ups, recent decisions. */
async function run(services: Services, args?: { cwd?: string | vscode.Uri }): Promise<ResumeContext | undefined> {
  const folder = await services.folders.choose(args?.cwd, 'Resume');
  const options = await folder.options();
  const context = await resumeContext(folder.deps, options);
  const entryUri = folder.uriOf(context.absolutePath);
  const items: ResumeItem[] = [];
  const section = (label: string) => items.push({ label, kind: vscode.QuickPickItemKind.Separator });
  // Where the session headed `heading` starts in the entry (the top when it is no longer among the last ones).
  const at = (heading: string) => ({ uri: entryUri, line: context.lastSessions.find((session) => session.heading === heading)?.startLine ?? 0 });
  section('Next session');
  if (context.next) {
    items.push({
      label: `$(arrow-right) ${context.next.text.split('\n')[0]}`,
      detail: context.next.text.includes('\n') ? context.next.text.replace(/\s*\n\s*/g, ' ') : undefined,
      description: context.next.heading,
      open: at(context.next.heading),
    });
  } else {
    items.push({ label: 'No context was left for the next session.', description: 'add one when you log' });
  }
  section(`Open follow-ups (${context.openFollowUps.length})`);
  for (const followUp of context.openFollowUps) {
    items.push({ label: `$(circle-large-outline) ${followUp.text}`, description: followUp.heading, open: { uri: entryUri, line: followUp.sessionLine } });
  }
  if (context.recentDecisions.length > 0) {
    section('Recent decisions');
    for (const decision of context.recentDecisions) {
      items.push({
        label: `$(law) ${decision.decision}`,
        description: decision.heading,
        ...(decision.rationale ? { detail: decision.rationale } : {}),
        open: at(decision.heading),
      });
    }
  }
  if (context.records.length > 0) {
    section('Decision records');
    for (const record of context.records) {
      items.push({
        label: `$(book) ${record.id}: ${record.title}`,
        description: `${record.status} · ${record.date}`,
        open: { uri: folder.uriOf(path.posix.join(options.kbRoot, record.path)), line: 0 },
      });
    }
  }
  section('Last sessions');
  for (const session of context.lastSessions) {
    items.push({ label: `$(note) ${session.message.split('\n')[0]}`, description: session.heading, open: { uri: entryUri, line: session.startLine } });
  }
  const pick = vscode.window.createQuickPick<ResumeItem>();
  pick.title = `Resume → ${context.path}`;
  pick.placeholder = 'Pick one to open it in the entry';
  pick.items = items;
  pick.buttons = [markdownButton];
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const chosen = await new Promise<ResumeItem | 'markdown' | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.activeItems[0]));
    pick.onDidTriggerButton(() => resolve('markdown'));
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  pick.dispose();
  if (chosen === 'markdown') await previewMarkdown(renderResume(context).text);
  else if (chosen?.open) await openAt(chosen.open.uri, chosen.open.line);
  return context;
}

export const resume: Command = { id: 'sessionlog.resume', run };
