import { TURN_OUTCOMES, type Activity, type SessionFact, type TurnFact, type TurnOutcome } from './collect';
import { addDays, weekday, type Zone } from './zone';

/** What the Insights view is narrowed to. Empty fields mean "all". */
export interface InsightsFilters {
  /** How far back from today: `365d` (the default), `90d`, `30d` or `7d`. */
  period?: string;
  /** A project folder. */
  project?: string;
  /** An agent's turns only (people's sessions stay). */
  agent?: string;
  /** Sessions and turns with this tag. */
  tag?: string;
}

export const INSIGHTS_PERIODS = ['365d', '90d', '30d', '7d'] as const;
const TOP_TAGS = 8;

/** The charts' data: what the webview draws, already counted (it only draws). */
export interface Insights {
  since: string;
  until: string;
  timeZone: string;
  filters: Required<Pick<InsightsFilters, 'period'>> & InsightsFilters;
  /** What the filters can be set to. */
  choices: { projects: { folder: string; name: string }[]; agents: string[]; tags: string[] };
  totals: { sessions: number; turns: number; decisions: number; followUpsOpen: number; followUpsDone: number };
  /** Activity per local day (only days with any). */
  calendar: { date: string; sessions: number; turns: number }[];
  /** Sessions per week (its Monday) and project, and per week and tag (the most used tags). */
  projectWeeks: { week: string; project: string; sessions: number }[];
  tagWeeks: { week: string; tag: string; sessions: number }[];
  agentOutcomes: { agent: string; outcome: TurnOutcome; turns: number }[];
  /** Follow-ups written up to the end of each week: still open, and done since. */
  followUpWeeks: { week: string; open: number; done: number }[];
  decisions: { date: string; project: string; text: string; path: string; line: number; kind: 'session' | 'record' }[];
}

/** A mark the user chose in a chart: the key of what it counts. */
export type InsightsMark =
  | { chart: 'calendar'; date: string }
  | { chart: 'projects'; week: string; project: string }
  | { chart: 'tags'; week: string; tag: string }
  | { chart: 'agents'; agent: string; outcome: TurnOutcome }
  | { chart: 'followUps'; week: string }
  | { chart: 'decisions'; path: string; line: number };

/** One session or turn behind a mark: where to open it and how to name it. */
export interface InsightsTarget {
  path: string;
  /** The heading's line for a session; the turn's number for a turn. */
  line?: number;
  turn?: number;
  label: string;
  description: string;
}

interface Scope {
  since: string;
  until: string;
  start: number;
  end: number;
  sessions: SessionFact[];
  turns: TurnFact[];
}

function scope(activity: Activity, filters: InsightsFilters, now: Date, zone: Zone): Scope {
  const days = Number(/^(\d+)d$/.exec(filters.period ?? '365d')?.[1] ?? 365);
  const until = zone.local(now.getTime()).date;
  const since = addDays(until, 1 - days);
  const start = zone.startOf(since);
  const end = zone.startOf(addDays(until, 1));
  const tagged = (tags: string[]) => !filters.tag || tags.some((tag) => tag.toLowerCase() === filters.tag!.toLowerCase());
  const inProject = (project: string) => !filters.project || project === filters.project;
  return {
    since,
    until,
    start,
    end,
    sessions: activity.sessions.filter((s) => s.at >= start && s.at < end && inProject(s.project) && tagged(s.tags)),
    turns: activity.turns.filter((t) => t.at >= start && t.at < end && inProject(t.project) && tagged(t.tags) && (!filters.agent || t.agent === filters.agent)),
  };
}

const mondays = new Map<string, string>();
const mondayOf = (date: string) => mondays.get(date) ?? mondays.set(date, addDays(date, 1 - weekday(date))).get(date)!;

/** Counts the collected activity for the Insights view's charts. */
export function insightsOf(activity: Activity, filters: InsightsFilters, now: Date, zone: Zone): Insights {
  const { since, until, sessions, turns } = scope(activity, filters, now, zone);
  const name = (folder: string) => activity.projects.get(folder) ?? folder;
  const local = (at: number) => zone.date(at);

  const calendar = new Map<string, { date: string; sessions: number; turns: number }>();
  const day = (date: string) => calendar.get(date) ?? calendar.set(date, { date, sessions: 0, turns: 0 }).get(date)!;
  // Counted in maps of maps: no key string is made per session (100,000 of them must count in milliseconds).
  const count = (map: Map<string, Map<string, number>>, outer: string, inner: string) => {
    const counts = map.get(outer) ?? map.set(outer, new Map()).get(outer)!;
    counts.set(inner, (counts.get(inner) ?? 0) + 1);
  };
  const flat = (map: Map<string, Map<string, number>>) => [...map].flatMap(([outer, counts]) => [...counts].map(([inner, n]) => [outer, inner, n] as const));
  const projectWeeks = new Map<string, Map<string, number>>();
  const tagWeeks = new Map<string, Map<string, number>>();
  const tagTotals = new Map<string, number>();
  const followUpsByWeek = new Map<string, { opened: number; done: number }>();
  const decisions: Insights['decisions'] = [];
  let followUpsOpen = 0;
  let followUpsDone = 0;
  for (const session of sessions) {
    const date = local(session.at);
    const week = mondayOf(date);
    day(date).sessions++;
    const project = name(session.project);
    count(projectWeeks, week, project);
    session.tags.forEach((tag, i) => {
      if (session.tags.indexOf(tag) !== i) return;
      count(tagWeeks, week, tag);
      tagTotals.set(tag, (tagTotals.get(tag) ?? 0) + 1);
    });
    if (session.followUps.length) {
      const weekCounts = followUpsByWeek.get(week) ?? followUpsByWeek.set(week, { opened: 0, done: 0 }).get(week)!;
      for (const followUp of session.followUps) {
        weekCounts.opened++;
        if (followUp.done) {
          weekCounts.done++;
          followUpsDone++;
        } else followUpsOpen++;
      }
    }
    for (const decision of session.decisions) {
      decisions.push({ date, project, text: decision.decision, path: session.path, line: session.line, kind: 'session' });
    }
  }
  const outcomes = new Map<string, Map<string, number>>();
  for (const turn of turns) {
    day(local(turn.at)).turns++;
    count(outcomes, turn.agent, turn.outcome);
  }
  if (!filters.agent && !filters.tag) {
    for (const record of activity.records) {
      if (record.date >= since && record.date <= until && (!filters.project || record.project === filters.project)) {
        decisions.push({ date: record.date, project: name(record.project), text: `${record.id}: ${record.title}`, path: record.path, line: 1, kind: 'record' });
      }
    }
  }
  const topTags = new Set(
    [...tagTotals]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, TOP_TAGS)
      .map(([tag]) => tag),
  );
  // Follow-ups as they stood at the end of each week: written so far, of which ticked (a tick has no date of its own).
  let opened = 0;
  let done = 0;
  const followUpWeeks = [...followUpsByWeek]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([week, counts]) => {
      opened += counts.opened;
      done += counts.done;
      return { week, open: opened - done, done };
    });
  const projects = [...activity.projects].map(([folder, projectName]) => ({ folder, name: projectName })).sort((a, b) => a.name.localeCompare(b.name));
  return {
    since,
    until,
    timeZone: zone.name,
    filters: { ...filters, period: filters.period ?? '365d' },
    choices: {
      projects,
      agents: [...new Set(activity.turns.map((turn) => turn.agent))].sort(),
      tags: [...new Set(activity.sessions.flatMap((session) => session.tags))].sort(),
    },
    totals: { sessions: sessions.length, turns: turns.length, decisions: decisions.length, followUpsOpen, followUpsDone },
    calendar: [...calendar.values()].sort((a, b) => a.date.localeCompare(b.date)),
    projectWeeks: flat(projectWeeks)
      .map(([week, project, sessions]) => ({ week, project, sessions }))
      .sort((a, b) => a.week.localeCompare(b.week) || a.project.localeCompare(b.project)),
    tagWeeks: flat(tagWeeks)
      .filter(([, tag]) => topTags.has(tag))
      .map(([week, tag, sessions]) => ({ week, tag, sessions }))
      .sort((a, b) => a.week.localeCompare(b.week) || a.tag.localeCompare(b.tag)),
    agentOutcomes: flat(outcomes)
      .map(([agent, outcome, turns]) => ({ agent, outcome: outcome as TurnOutcome, turns }))
      .sort((a, b) => a.agent.localeCompare(b.agent) || TURN_OUTCOMES.indexOf(a.outcome) - TURN_OUTCOMES.indexOf(b.outcome)),
    followUpWeeks,
    decisions: decisions.sort((a, b) => a.date.localeCompare(b.date) || a.path.localeCompare(b.path) || a.line - b.line),
  };
}

/** The sessions and turns behind a mark, with the same filters the chart was drawn with. */
export function insightsTargets(activity: Activity, filters: InsightsFilters, now: Date, zone: Zone, mark: InsightsMark): InsightsTarget[] {
  const { sessions, turns } = scope(activity, filters, now, zone);
  const name = (folder: string) => activity.projects.get(folder) ?? folder;
  const session = (s: SessionFact): InsightsTarget => {
    const { date, time } = zone.local(s.at);
    return { path: s.path, line: s.line, label: s.summary || s.heading, description: `${date} ${time} · ${name(s.project)}` };
  };
  const turn = (t: TurnFact): InsightsTarget => {
    const { date, time } = zone.local(t.at);
    return {
      path: t.path,
      turn: t.turn,
      label: `${t.agent}: ${t.title}`,
      description: `${date} ${time} · ${t.outcome.replace('_', ' ')} · ${name(t.project)}`,
    };
  };
  const week = (at: number) => mondayOf(zone.date(at));
  switch (mark.chart) {
    case 'calendar':
      return [...sessions.filter((s) => zone.date(s.at) === mark.date).map(session), ...turns.filter((t) => zone.date(t.at) === mark.date).map(turn)];
    case 'projects':
      return sessions.filter((s) => week(s.at) === mark.week && name(s.project) === mark.project).map(session);
    case 'tags':
      return sessions.filter((s) => week(s.at) === mark.week && s.tags.includes(mark.tag)).map(session);
    case 'agents':
      return turns.filter((t) => t.agent === mark.agent && t.outcome === mark.outcome).map(turn);
    case 'followUps':
      return sessions.filter((s) => week(s.at) === mark.week && s.followUps.length > 0).map(session);
    case 'decisions': {
      const record = activity.records.find((r) => r.path === mark.path);
      if (record) return [{ path: record.path, line: 1, label: `${record.id}: ${record.title}`, description: `${record.date} · ${record.status}` }];
      return sessions.filter((s) => s.path === mark.path && s.line === mark.line).map(session);
    }
  }
}
