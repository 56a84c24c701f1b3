import type { Services } from '../services';
import type { CommandId } from './ids';
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
import { sync } from './sync';
import { weeklyReport } from './weeklyReport';
import { showInsights } from './showInsights';

// Arguments come from VS Code (tree nodes, URIs) or from other callers; each command checks its own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type CommandHandler = (services: Services, ...args: any[]) => unknown;

/** Every command by id, one file each (package.json contributes their titles, icons and menus). */
export const COMMANDS: Record<CommandId, CommandHandler> = {
  'sessionlog.log': log,
  'sessionlog.quickLog': quickLog,
  'sessionlog.search': search,
  'sessionlog.openEntry': openEntry,
  'sessionlog.resume': resume,
  'sessionlog.recordDecision': recordDecision,
  'sessionlog.createKbContext': createKbContext,
  'sessionlog.chooseKbRoot': chooseKbRoot,
  'sessionlog.refresh': refresh,
  'sessionlog.sync': sync,
  'sessionlog.setUpAgentLogging': setUpAgentLogging,
  'sessionlog.weeklyReport': weeklyReport,
  'sessionlog.showInsights': showInsights,
  'sessionlog.finishMessage': finishMessage,
  'sessionlog.sessions.open': open,
  'sessionlog.sessions.copyMarkdown': copyMarkdown,
  'sessionlog.sessions.copyJson': copyJson,
  'sessionlog.sessions.failStaleTurn': failStaleTurn,
  'sessionlog.sessions.revealInExplorer': revealInExplorer,
  'sessionlog.sessions.loadMore': loadMore,
  'sessionlog.sessions.filterAll': filterAll,
  'sessionlog.followUps.markDone': markDone,
};
