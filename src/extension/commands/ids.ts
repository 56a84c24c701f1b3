/** The ids of the commands this module set registers (each has one file in this folder; the titles are in package.json). */
export const COMMAND_IDS = [
  'sessionlog.log',
  'sessionlog.quickLog',
  'sessionlog.search',
  'sessionlog.openEntry',
  'sessionlog.resume',
  'sessionlog.recordDecision',
  'sessionlog.createKbContext',
  'sessionlog.chooseKbRoot',
  'sessionlog.refresh',
  'sessionlog.sync',
  'sessionlog.setUpAgentLogging',
  'sessionlog.weeklyReport',
  'sessionlog.showInsights',
  'sessionlog.finishMessage',
  'sessionlog.sessions.open',
  'sessionlog.sessions.copyMarkdown',
  'sessionlog.sessions.copyJson',
  'sessionlog.sessions.failStaleTurn',
  'sessionlog.sessions.revealInExplorer',
  'sessionlog.sessions.loadMore',
  'sessionlog.sessions.filterAll',
  'sessionlog.followUps.markDone',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
