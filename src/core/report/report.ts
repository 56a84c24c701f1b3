import { SessionLogError } from '../errors';
import type { Decision } from '../model/session';
import type { Deps } from '../ports';
import { EntryCache } from '../usecases/readEntries';
import { collectActivity, TURN_OUTCOMES, type Activity, type CollectInput, type TurnOutcome } from './collect';
import { resolvePeriod, type Period, type PeriodInput } from './period';
import { Zone } from './zone';

export type OutcomeCounts = Record<TurnOutcome, number>;

/** A place in the knowledge base: the entry (relative to the root) and the line to open it at. */
export interface Locator {
  path: string;
  line: number;
}

export interface ProjectReport {
  name: string;
  /** The project's folder, relative to the knowledge-base root. */
  folder: string;
  /** Its session entry, when it has one. */
  entry?: string;
  sessions: (Locator & { date: string; time: string; summary: string; tags: string[] })[];
  turns: OutcomeCounts & {
    byAgent: (OutcomeCounts & { agent: string })[];
    /** Failed and superseded turns, with why. */
    notCompleted: { agent: string; title: string; outcome: TurnOutcome; date: string; error?: string; path: string; turn: number }[];
  };
  decisions: (Decision & Locator & { date: string })[];
  records: { id: string; title: string; status: string; date: string; path: string }[];
  followUps: { opened: number; done: number; items: (Locator & { text: string; done: boolean; date: string })[] };
  filesTouched: { file: string; count: number }[];
  days: { date: string; sessions: number; turns: number; first: string; last: string }[];
  /** The newest context-for-the-next-session written up to the period's end. */
  next?: Locator & { text: string; date: string };
}

export interface Report {
  period: Omit<Period, 'start' | 'end'>;
  scope: 'project' | 'all';
  totals: OutcomeCounts & { projects: number; sessions: number; turns: number; decisions: number; followUpsOpened: number; followUpsDone: number };
  projects: ProjectReport[];
  skipped: string[];
}

export interface ReportInput extends CollectInput, PeriodInput {
  /** IANA time zone the days are counted in; the front end passes the user's. */
  timeZone: string;
  /** One project of the knowledge base, by name or folder (read from all of them). */
  project?: string;
}

const TOP_FILES = 10;

export function emptyOutcomes(): OutcomeCounts {
  return { completed: 0, failed: 0, superseded: 0, in_progress: 0 };
}

/** The report of a period: per project, what was done, decided, left open, and how the agents did. */
export async function buildReport(deps: Deps, input: ReportInput, cache = new EntryCache()): Promise<Report> {
  const zone = new Zone(input.timeZone);
  const period = resolvePeriod(input, deps.clock.now(), zone);
  const activity = await collectActivity(deps, { ...input, all: input.all || input.project !== undefined }, cache);
  return reportOf(input.project === undefined ? activity : onlyProject(activity, input.project), period, zone, input.all ? 'all' : 'project');
}

/** The activity of the project named (by its name or folder, any case); an error lists the projects there are. */
export function onlyProject(activity: Activity, wanted: string): Activity {
  const key = wanted.trim().toLowerCase();
  const folders = [...activity.projects].filter(([folder, name]) => name.toLowerCase() === key || folder.toLowerCase() === key).map(([folder]) => folder);
  if (folders.length === 0) {
    const known = [...new Set(activity.projects.values())].sort();
    throw new SessionLogError(
      'invalid_input',
      `project '${wanted}' is not a project of the knowledge base ${activity.kbRoot}.`,
      { field: 'project', value: wanted },
      known.length ? `Give one of: ${known.join(', ')}.` : 'The knowledge base has no session entries yet.',
    );
  }
  const keep = <T extends { project: string }>(items: T[]) => items.filter((item) => folders.includes(item.project));
  return {
    ...activity,
    projects: new Map(folders.map((folder) => [folder, activity.projects.get(folder)!])),
    sessions: keep(activity.sessions),
    turns: keep(activity.turns),
    records: keep(activity.records),
  };
}

/** The report of collected activity (pure: what the tests and the bench call directly). */
export function reportOf(activity: Activity, period: Period, zone: Zone, scope: Report['scope']): Report {
  const within = (at: number) => at >= period.start && at < period.end;
  const byProject = new Map<string, ProjectReport>();
  const project = (folder: string): ProjectReport => {
    let report = byProject.get(folder);
    if (!report) {
      report = {
        name: activity.projects.get(folder) ?? folder,
        folder,
        sessions: [],
        turns: { ...emptyOutcomes(), byAgent: [], notCompleted: [] },
        decisions: [],
        records: [],
        followUps: { opened: 0, done: 0, items: [] },
        filesTouched: [],
        days: [],
      };
      byProject.set(folder, report);
    }
    return report;
  };
  const files = new Map<string, Map<string, number>>();
  const days = new Map<string, Map<string, ProjectReport['days'][number]>>();
  const touch = (folder: string, list: string[]) => {
    const counts = files.get(folder) ?? files.set(folder, new Map()).get(folder)!;
    for (const file of new Set(list)) counts.set(file, (counts.get(file) ?? 0) + 1);
  };
  const worked = (folder: string, date: string, time: string, kind: 'sessions' | 'turns') => {
    const perDay = days.get(folder) ?? days.set(folder, new Map()).get(folder)!;
    const day = perDay.get(date) ?? perDay.set(date, { date, sessions: 0, turns: 0, first: time, last: time }).get(date)!;
    day[kind]++;
    if (time < day.first) day.first = time;
    if (time > day.last) day.last = time;
  };

  // The newest hint written before the period's end, per project.
  const hints = new Map<string, { at: number; next: NonNullable<ProjectReport['next']> }>();
  for (const session of activity.sessions) {
    if (!session.next || session.at >= period.end || (hints.get(session.project)?.at ?? -Infinity) > session.at) continue;
    hints.set(session.project, { at: session.at, next: { path: session.path, line: session.line, text: session.next, date: zone.local(session.at).date } });
  }
  const byTime = <T extends { at: number; path: string }>(items: T[]) =>
    items.filter((item) => within(item.at)).sort((a, b) => a.at - b.at || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const session of byTime(activity.sessions).sort((a, b) => a.at - b.at || (a.path === b.path ? a.line - b.line : 0))) {
    const { date, time } = zone.local(session.at);
    const locator = { path: session.path, line: session.line };
    const report = project(session.project);
    report.entry ??= session.path;
    report.sessions.push({ ...locator, date, time, summary: session.summary, tags: session.tags });
    for (const decision of session.decisions) report.decisions.push({ ...decision, ...locator, date });
    for (const followUp of session.followUps) {
      report.followUps.items.push({ ...locator, text: followUp.text, done: followUp.done, date });
      report.followUps.opened++;
      if (followUp.done) report.followUps.done++;
    }
    touch(session.project, session.files);
    worked(session.project, date, time, 'sessions');
  }
  for (const turn of byTime(activity.turns).sort((a, b) => a.at - b.at || (a.path === b.path ? a.turn - b.turn : 0))) {
    const report = project(turn.project);
    const { date, time } = zone.local(turn.at);
    report.turns[turn.outcome]++;
    let agent = report.turns.byAgent.find((item) => item.agent === turn.agent);
    if (!agent) report.turns.byAgent.push((agent = { agent: turn.agent, ...emptyOutcomes() }));
    agent[turn.outcome]++;
    if (turn.outcome === 'failed' || turn.outcome === 'superseded') {
      report.turns.notCompleted.push({
        agent: turn.agent,
        title: turn.title,
        outcome: turn.outcome,
        date,
        ...(turn.errorMessage ? { error: turn.errorMessage } : {}),
        path: turn.path,
        turn: turn.turn,
      });
    }
    touch(turn.project, turn.files);
    worked(turn.project, date, time, 'turns');
  }
  for (const record of activity.records) {
    if (record.date >= period.since && record.date <= period.until) {
      project(record.project).records.push({ id: record.id, title: record.title, status: record.status, date: record.date, path: record.path });
    }
  }
  const projects = [...byProject.values()].sort((a, b) => a.name.localeCompare(b.name) || a.folder.localeCompare(b.folder));
  for (const report of projects) {
    report.turns.byAgent.sort((a, b) => a.agent.localeCompare(b.agent));
    report.filesTouched = [...(files.get(report.folder) ?? new Map<string, number>())]
      .map(([file, count]) => ({ file, count }))
      .sort((a, b) => b.count - a.count || a.file.localeCompare(b.file))
      .slice(0, TOP_FILES);
    report.days = [...(days.get(report.folder)?.values() ?? [])].sort((a, b) => a.date.localeCompare(b.date));
    const hint = hints.get(report.folder);
    if (hint) report.next = hint.next;
  }
  const sum = (pick: (report: ProjectReport) => number) => projects.reduce((total, report) => total + pick(report), 0);
  const outcomes = Object.fromEntries(TURN_OUTCOMES.map((outcome) => [outcome, sum((report) => report.turns[outcome])])) as OutcomeCounts;
  return {
    period: { kind: period.kind, label: period.label, since: period.since, until: period.until, timeZone: period.timeZone },
    scope,
    totals: {
      projects: projects.length,
      sessions: sum((r) => r.sessions.length),
      turns: TURN_OUTCOMES.reduce((total, outcome) => total + outcomes[outcome], 0),
      ...outcomes,
      decisions: sum((r) => r.decisions.length + r.records.length),
      followUpsOpened: sum((r) => r.followUps.opened),
      followUpsDone: sum((r) => r.followUps.done),
    },
    projects,
    skipped: activity.skipped,
  };
}
