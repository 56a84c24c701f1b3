import { AgentSessions, type SessionHistoryItem } from '../agent/sessions';
import type { WorkspaceOptions } from '../context/resolve';
import type { Decision, Session } from '../model/session';
import type { Deps } from '../ports';
import { listDecisions, type DecisionRecord } from './decisions';
import { listFollowUps, type FollowUpItem } from './followUps';
import { EntryCache, loadProjectEntry } from './readEntries';

export interface ResumeContext {
  /** The entry, relative to the knowledge-base root. */
  path: string;
  absolutePath: string;
  lastSessions: Session[];
  /** The newest context-for-the-next-session, with the heading of the session that left it. */
  next?: { text: string; heading: string };
  openFollowUps: FollowUpItem[];
  recentDecisions: (Decision & { heading: string })[];
  records: DecisionRecord[];
  /** The project's newest agent sessions, and those with a turn still in progress (left behind, or at work now). */
  agentSessions: SessionHistoryItem[];
  turnsInProgress: { sessionId: string; title: string; turnRequestId: string; stale: boolean; lastUpdated: string }[];
}

export interface ResumeOptions extends WorkspaceOptions {
  entry?: string;
  /** How many of the last logged sessions (default 3). */
  sessions?: number;
  staleAfterMinutes?: number;
}

/**
 * What the next session needs, the one "continue where we left off" of every front end: the
 * last sessions, the next-session hint, open follow-ups, recent decisions, the newest agent
 * sessions and any turn left in progress.
 */
export async function resumeContext(deps: Deps, options: ResumeOptions = {}, cache = new EntryCache()): Promise<ResumeContext> {
  const { resolved, loaded } = await loadProjectEntry(deps, options, cache);
  const newestFirst = [...(loaded?.entry.sessions ?? [])].reverse();
  const withNext = newestFirst.find((session) => session.next);
  const agents = await agentContext(deps, options);
  return {
    path: resolved.relativePath,
    absolutePath: resolved.entryPath,
    lastSessions: newestFirst.slice(0, options.sessions ?? 3),
    ...(withNext?.next ? { next: { text: withNext.next, heading: withNext.heading } } : {}),
    openFollowUps: await listFollowUps(deps, options, cache),
    recentDecisions: newestFirst.flatMap((session) => session.decisions.map((decision) => ({ ...decision, heading: session.heading }))).slice(0, 5),
    records: (await listDecisions(deps, options)).slice(0, 5),
    ...agents,
  };
}

async function agentContext(deps: Deps, options: ResumeOptions): Promise<Pick<ResumeContext, 'agentSessions' | 'turnsInProgress'>> {
  const sessions = new AgentSessions(deps, options);
  const recent = await sessions.queryHistory({ limit: 3 });
  const open = await sessions.queryHistory({ status: 'in_progress', limit: 10 });
  const turnsInProgress = [];
  for (const item of open.sessions) {
    const page = await sessions.getSessionPage({ sessionId: item.sessionId, limit: 1, maxTokens: 1000 });
    const turn = page.turns[0];
    if (turn?.status === 'in_progress') {
      turnsInProgress.push({
        sessionId: item.sessionId,
        title: item.title,
        turnRequestId: turn.requestId,
        stale: item.staleTurn === turn.requestId,
        lastUpdated: item.lastUpdated,
      });
    }
  }
  return { agentSessions: recent.sessions, turnsInProgress };
}

/**
 * The resume context as Markdown, most useful first, within about `maxTokens` (a token taken
 * as 4 characters): the last sessions' text is clipped first, then the end is cut with a note.
 */
export function renderResume(context: ResumeContext, maxTokens?: number): { text: string; truncated: boolean } {
  const budget = maxTokens === undefined ? Infinity : maxTokens * 4;
  for (const clip of [Infinity, 600, 120]) {
    const text = resumeMarkdown(context, clip);
    if (text.length <= budget) return { text, truncated: clip !== Infinity };
  }
  const note = '\n\n_[Cut to fit the budget: ask for a larger maxTokens, or read the entry itself.]_\n';
  return { text: resumeMarkdown(context, 120).slice(0, Math.max(0, budget - note.length)) + note, truncated: true };
}

function resumeMarkdown(context: ResumeContext, clip: number): string {
  const cut = (text: string): string => (text.length <= clip ? text : `${text.slice(0, clip)}…`);
  const lines = [`# Resume: ${context.path}`, ''];
  if (context.next) lines.push('## Next session', '', `_Left by the session of ${context.next.heading}:_`, '', context.next.text, '');
  if (context.turnsInProgress.length) {
    lines.push(
      '## Turns left in progress',
      '',
      ...context.turnsInProgress.map(
        (turn) => `- ${turn.title} (\`${turn.sessionId}\`): turn \`${turn.turnRequestId}\`${turn.stale ? ', stale' : ''}, last change ${turn.lastUpdated}`,
      ),
      '',
    );
  }
  lines.push(`## Open follow-ups (${context.openFollowUps.length})`, '');
  lines.push(...(context.openFollowUps.length ? context.openFollowUps.map((item) => `- [ ] ${item.text} — _${item.heading}_`) : ['None.']), '');
  if (context.recentDecisions.length) {
    lines.push(
      '## Recent decisions',
      '',
      ...context.recentDecisions.map((item) => `- ${item.decision}${item.rationale ? ` — ${item.rationale}` : ''} _(${item.heading})_`),
      '',
    );
  }
  if (context.records.length) {
    lines.push(
      '## Decision records',
      '',
      ...context.records.map((record) => `- [${record.id}: ${record.title}](${encodeURI(record.path)}) — ${record.status}, ${record.date}`),
      '',
    );
  }
  if (context.agentSessions.length) {
    lines.push(
      '## Recent agent sessions',
      '',
      ...context.agentSessions.map(
        (item) =>
          `- ${item.title} (\`${item.sessionId}\`): ${item.status}, ${item.turnCount} turn${item.turnCount === 1 ? '' : 's'}, last change ${item.lastUpdated}`,
      ),
      '',
    );
  }
  lines.push('## Last sessions', '');
  for (const session of context.lastSessions) lines.push(`### ${session.heading}`, '', cut(session.message), '');
  return lines.join('\n');
}
