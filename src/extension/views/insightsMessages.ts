import type { Insights, InsightsFilters, InsightsMark } from '../../core/report/insights';

/** From the extension host to the Insights webview. */
export type ToWebview = { type: 'data'; insights: Insights } | { type: 'error'; message: string };

/** What the webview drew, counted from the marks it made: the host checks it against the core. */
export interface Drawn {
  calendarDays: number;
  sessions: number;
  turns: number;
  projectSessions: number;
  tagSessions: number;
  agentTurns: number;
  decisions: number;
  /** Marks that can be clicked (links) across the charts. */
  links: number;
  charts: string[];
}

/** From the webview to the extension host. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'filter'; filters: InsightsFilters }
  | { type: 'open'; mark: InsightsMark }
  | { type: 'drawn'; drawn: Drawn }
  | { type: 'failed'; message: string };
