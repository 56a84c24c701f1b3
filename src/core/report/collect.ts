import * as path from 'node:path';
import { agentSessionOf } from '../agent/sessions';
import { AGENT_FOLDER } from '../agent/sessions';
import { FILE_ACTION_TYPES } from '../agent/model';
import { kbRelative } from '../context/paths';
import { loadWorkspace, resolveEntry, type WorkspaceOptions } from '../context/resolve';
import { describeError } from '../errors';
import { readFrontmatter } from '../format/frontmatter';
import type { SessionBrief } from '../format/parse';
import type { Decision, FollowUp } from '../model/session';
import type { Deps } from '../ports';
import { decisionStatus } from '../model/decision';
import { DECISIONS_FOLDER } from '../usecases/decisions';
import { EntryCache, listMarkdownFiles, type LoadedEntry } from '../usecases/readEntries';
import { readCommitted } from '../storage/entryFile';

/** Where saved reports go, at the knowledge-base root; never read back as activity. */
export const REPORTS_FOLDER = 'reports';

export interface SessionFact {
  /** The project's folder, relative to the knowledge-base root ('' for the root). */
  project: string;
  /** The entry, relative to the knowledge-base root, and the heading's line. */
  path: string;
  line: number;
  heading: string;
  /** When it was logged, in ms since the epoch. */
  at: number;
  /** The message's first line (read when first asked: counting does not need it). */
  readonly summary: string;
  tags: string[];
  files: string[];
  decisions: Decision[];
  followUps: FollowUp[];
  next?: string;
}

/** How an agent turn ended: a failed turn with the code `superseded` was replaced by a newer one. */
export type TurnOutcome = 'completed' | 'failed' | 'superseded' | 'in_progress';
export const TURN_OUTCOMES: readonly TurnOutcome[] = ['completed', 'failed', 'superseded', 'in_progress'];

export interface TurnFact {
  project: string;
  /** The agent-session file, relative to the knowledge-base root, and the turn's number in it (from 1). */
  path: string;
  turn: number;
  agent: string;
  sessionTitle: string;
  title: string;
  outcome: TurnOutcome;
  at: number;
  errorMessage?: string;
  tags: string[];
  files: string[];
}

export interface RecordFact {
  project: string;
  path: string;
  id: string;
  title: string;
  status: string;
  /** `YYYY-MM-DD`. */
  date: string;
}

/** Everything reports and insights are made of: one flat list per kind, across the projects read. */
export interface Activity {
  kbRoot: string;
  /** Project folder to its name (the entry's `<name> Sessions` title, else the folder's name). */
  projects: Map<string, string>;
  /** In the order of their files (each file oldest first). */
  sessions: SessionFact[];
  turns: TurnFact[];
  records: RecordFact[];
  /** Files that could not be read, with why (they are left out, never rewritten). */
  skipped: string[];
}

export interface CollectInput extends WorkspaceOptions {
  /** Every project of the knowledge base, not only this folder's. */
  all?: boolean;
  entry?: string;
}

const ADR_FILE = /^ADR-\d{3,}(?:-.*)?\.md$/;

/**
 * Reads the activity of this project (its entry, agent sessions and decision records) or of every
 * project of the knowledge base. Unreadable files are skipped and named in `skipped`.
 */
export async function collectActivity(deps: Deps, input: CollectInput = {}, cache = new EntryCache()): Promise<Activity> {
  const workspace = await loadWorkspace(deps, input);
  const kbRoot = workspace.kbRoot;
  let files: string[];
  if (input.all) {
    files = (await listMarkdownFiles(deps, kbRoot)).filter((file) => !kbRelative(kbRoot, file).startsWith(`${REPORTS_FOLDER}/`));
  } else {
    const entry = (await resolveEntry(deps, workspace, input.entry)).entryPath;
    const dir = path.posix.dirname(entry);
    const inFolder = async (folder: string) =>
      (await deps.fs.list(path.posix.join(dir, folder)).catch(() => []))
        .filter((item) => item.isFile && item.name.endsWith('.md'))
        .map((item) => path.posix.join(dir, folder, item.name));
    files = [entry, ...(await inFolder(AGENT_FOLDER)), ...(await inFolder(DECISIONS_FOLDER))];
  }
  const activity: Activity = { kbRoot, projects: new Map(), sessions: [], turns: [], records: [], skipped: [] };
  await Promise.all(
    files.map(async (file) => {
      try {
        await readFile(deps, cache, activity, file);
      } catch (error) {
        activity.skipped.push(`${kbRelative(kbRoot, file)}: ${describeError(error)}`);
      }
    }),
  );
  for (const fact of [...activity.turns, ...activity.records]) {
    if (!activity.projects.has(fact.project)) activity.projects.set(fact.project, path.posix.basename(fact.project) || path.posix.basename(kbRoot));
  }
  // Sessions and turns stay in file order: a report sorts the few of its period, the charts need no order.
  activity.records.sort((a, b) => a.date.localeCompare(b.date) || a.path.localeCompare(b.path));
  activity.skipped.sort();
  return activity;
}

async function readFile(deps: Deps, cache: EntryCache, activity: Activity, file: string): Promise<void> {
  const relative = kbRelative(activity.kbRoot, file);
  const dir = path.posix.dirname(relative);
  const parent = path.posix.basename(dir);
  if (parent === DECISIONS_FOLDER && ADR_FILE.test(path.posix.basename(file))) {
    const text = await deps.fs.readText(file);
    if (text === undefined) return;
    const data = readFrontmatter(text, file)?.data ?? {};
    const field = (key: string) => (typeof data[key] === 'string' ? data[key] : undefined);
    activity.records.push({
      project: parentFolder(dir),
      path: relative,
      id: field('id') ?? path.posix.basename(file).split('-').slice(0, 2).join('-'),
      title: field('title') ?? path.posix.basename(file, '.md'),
      status: decisionStatus(data) ?? 'unknown',
      date: (field('date') ?? '').slice(0, 10),
    });
    return;
  }
  if (parent === AGENT_FOLDER) {
    const text = await readCommitted(deps, file);
    const session = text === undefined ? undefined : agentSessionOf(text, file);
    if (!session) return;
    session.turns.forEach((turn, index) => {
      const outcome: TurnOutcome = turn.status === 'failed' && turn.errorCode === 'superseded' ? 'superseded' : turn.status;
      activity.turns.push({
        project: parentFolder(dir),
        path: relative,
        turn: index + 1,
        agent: session.agent,
        sessionTitle: session.title,
        title: turn.queryTitle,
        outcome,
        at: Date.parse(turn.started),
        ...(turn.errorMessage ? { errorMessage: turn.errorMessage } : {}),
        tags: turn.tags,
        files: turn.actions.filter((action) => action.filePath && FILE_ACTION_TYPES.includes(action.type)).map((action) => action.filePath),
      });
    });
    return;
  }
  const loaded = await cache.load(deps, activity.kbRoot, file);
  if (!loaded || loaded.index.count === 0 || loaded.index.frontmatter.type === 'agent-session') return;
  const title = loaded.index.frontmatter.title;
  const named = typeof title === 'string' ? /^(.+?) Sessions$/.exec(title.trim())?.[1] : undefined;
  const project = dir === '.' ? '' : dir;
  if (named || !activity.projects.has(project)) activity.projects.set(project, named ?? (path.posix.basename(project) || path.posix.basename(activity.kbRoot)));
  let facts = FACTS.get(loaded);
  if (!facts || facts[0]?.project !== project) FACTS.set(loaded, (facts = sessionFacts(loaded, project, relative)));
  for (const fact of facts) activity.sessions.push(fact);
}

/** The facts of an entry, kept while the cache keeps it (the entry unchanged): a redraw counts again without reading again. */
const FACTS = new WeakMap<LoadedEntry, SessionFact[]>();
const NONE: never[] = [];

/**
 * Only the sessions with a structured record are read whole; the others give their heading and
 * tags from a scan, and their message when a report shows it: 100,000 sessions count in well under a second.
 */
function sessionFacts(loaded: LoadedEntry, project: string, relative: string): SessionFact[] {
  const facts: SessionFact[] = [];
  const { index } = loaded;
  for (let i = 0; i < index.count; i++) {
    const brief = index.brief(i);
    if (brief.timestamp) facts.push(new EntrySession(index, i, project, relative, brief, Date.parse(brief.timestamp)));
  }
  return facts;
}

/** A session of an entry as counted: a class, so 100,000 of them share one shape and one `summary` getter. */
class EntrySession implements SessionFact {
  readonly line: number;
  readonly heading: string;
  readonly tags: string[];
  readonly files: string[] = NONE;
  readonly decisions: Decision[] = NONE;
  readonly followUps: FollowUp[] = NONE;
  readonly next?: string;

  constructor(
    private readonly index: LoadedEntry['index'],
    private readonly i: number,
    readonly project: string,
    readonly path: string,
    brief: SessionBrief,
    readonly at: number,
  ) {
    this.line = brief.startLine;
    this.heading = brief.heading;
    this.tags = brief.tags;
    if (brief.structured) {
      const full = index.session(i);
      this.files = full.files;
      this.decisions = full.decisions;
      this.followUps = full.followUps;
      if (full.next) this.next = full.next;
    }
  }

  get summary(): string {
    return this.index.session(this.i).message.split('\n')[0] ?? '';
  }
}

/** The project folder of a file in `agent-sessions/` or `decisions/`: the folder above. */
function parentFolder(dir: string): string {
  const above = path.posix.dirname(dir);
  return above === '.' ? '' : above;
}
