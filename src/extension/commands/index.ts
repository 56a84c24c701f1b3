import type { Command } from './command';
import { writeDecision } from './chat/writeDecision';
import { writeSession } from './chat/writeSession';
import { chooseKbRoot } from './chooseKbRoot';
import { createKbContext } from './createKbContext';
import { finishMessage } from './finishMessage';
import { markDone } from './followUps/markDone';
import { log } from './log';
import { openEntry } from './openEntry';
import { quickLog } from './quickLog';
import { recordDecision } from './recordDecision';
import { refresh } from './refresh';
import { resume } from './resume';
import { search } from './search';
import { copyJson } from './sessions/copyJson';
import { copyMarkdown } from './sessions/copyMarkdown';
import { failStaleTurn } from './sessions/failStaleTurn';
import { filterAll } from './sessions/filterAll';
import { loadMore } from './sessions/loadMore';
import { open } from './sessions/open';
import { revealInExplorer } from './sessions/revealInExplorer';
import { setUpAgentLogging } from './setUpAgentLogging';
import { showInsights } from './showInsights';
import { sync } from './sync';
import { weeklyReport } from './weeklyReport';

/**
 * Every command, one file each. The entry bundle registers each command package.json contributes
 * and runs it from here on first use; the integration test checks the two lists are the same.
 */
export const COMMANDS: readonly Command[] = [
  log,
  quickLog,
  search,
  openEntry,
  resume,
  recordDecision,
  createKbContext,
  chooseKbRoot,
  refresh,
  sync,
  finishMessage,
  setUpAgentLogging,
  weeklyReport,
  showInsights,
  open,
  copyMarkdown,
  copyJson,
  failStaleTurn,
  revealInExplorer,
  loadMore,
  filterAll,
  markDone,
  writeSession,
  writeDecision,
];

const byId = new Map(COMMANDS.map((command) => [command.id, command]));

/** The command of an id, if this list has it. */
export function commandOf(id: string): Command | undefined {
  return byId.get(id);
}
