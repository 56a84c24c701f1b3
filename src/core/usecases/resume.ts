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
}

/** What the next session needs: the last sessions, the next-session hint, open follow-ups, recent decisions. */
export async function resumeContext(deps: Deps, options: WorkspaceOptions & { entry?: string; sessions?: number } = {}, cache = new EntryCache()): Promise<ResumeContext> {
  const { resolved, loaded } = await loadProjectEntry(deps, options, cache);
  const newestFirst = [...(loaded?.entry.sessions ?? [])].reverse();
  const withNext = newestFirst.find((session) => session.next);
  return {
    path: resolved.relativePath,
    absolutePath: resolved.entryPath,
    lastSessions: newestFirst.slice(0, options.sessions ?? 3),
    ...(withNext?.next ? { next: { text: withNext.next, heading: withNext.heading } } : {}),
    openFollowUps: await listFollowUps(deps, options, cache),
    recentDecisions: newestFirst.flatMap((session) => session.decisions.map((decision) => ({ ...decision, heading: session.heading }))).slice(0, 5),
    records: (await listDecisions(deps, options)).slice(0, 5),
  };
}
