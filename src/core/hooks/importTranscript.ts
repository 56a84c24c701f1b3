import * as path from 'node:path';
import { slug, type AgentSession } from '../agent/model';
import { findOperation, runOperation, type OperationContext } from '../agent/operations';
import { AgentSessions } from '../agent/sessions';
import type { WorkspaceOptions } from '../context/resolve';
import { isSessionLogError } from '../errors';
import { compactTime } from '../model/time';
import type { Deps } from '../ports';
import { agentSpec } from './agents';
import { nativeSlug, titleOf } from './capture';
import { claudeTurns, codexTurns, readLines, type TranscriptInfo, type TranscriptStats, type TranscriptTurn } from './transcript';

/**
 * `sessionlog import claude-code|codex <file>`: an agent's own transcript becomes an agent
 * session in the knowledge base, one turn per user prompt with its answer, tool calls as
 * actions, files modified, the transcript's times and the model. The session and request
 * ids come from the transcript (its session id, each prompt's time and position), so
 * importing again only adds what is new and finishes a turn left unfinished: never a
 * duplicate. The file is read as a stream; lines that cannot be read are skipped and counted.
 */
export type ImportAgent = 'claude-code' | 'codex';

export interface ImportResult {
  file: string;
  sessionId?: string;
  /** The session file, relative to the knowledge base. */
  path?: string;
  turns: number;
  added: number;
  completed: number;
  unchanged: number;
  skippedLines: number;
}

export async function importTranscript(deps: Deps, agentKey: ImportAgent, file: string, workspace: WorkspaceOptions, redact = true): Promise<ImportResult> {
  const agent = agentSpec(agentKey)!;
  let at = deps.clock.now();
  const eventClock = { now: () => at };
  const context: OperationContext = {
    sessions: new AgentSessions(deps, { ...workspace, eventClock }),
    deps,
    workspace,
    writeOptions: { redact },
  };
  const op = async (name: string, params: Record<string, unknown>) => (await runOperation(context, findOperation(name)!, params)).result;
  const info: TranscriptInfo = {};
  const stats: TranscriptStats = { lines: 0, skipped: 0 };
  const lines = readLines(deps.fs, file);
  const turns = agentKey === 'claude-code' ? claudeTurns(lines, info, stats) : codexTurns(lines, info, stats);
  const result: ImportResult = { file, turns: 0, added: 0, completed: 0, unchanged: 0, skippedLines: 0 };
  let existing: Map<string, AgentSession['turns'][number]> | undefined;
  let previous: TranscriptTurn | undefined;
  let number = 0;

  // Each turn is written once the next one is seen, so it is known whether the prompt after it cut it short.
  const write = async (turn: TranscriptTurn, last: boolean) => {
    number++;
    const stamp = (iso: string) => {
      const date = new Date(iso);
      if (!Number.isNaN(date.getTime())) at = date;
    };
    stamp(turn.started);
    if (!result.sessionId) {
      const native = info.sessionId ?? path.posix.basename(file).replace(/\.jsonl$/, '');
      const started = new Date(info.started ?? turn.started);
      result.sessionId = `${agent.name}-${compactTime(Number.isNaN(started.getTime()) ? at : started)}-${nativeSlug(native)}`;
      const opened = await op('openSession', {
        agent: agent.name,
        sessionId: result.sessionId,
        title: titleOf(turn.prompt),
        resume: true,
        ...(info.model ? { model: info.model } : {}),
      });
      result.path = String(opened.path);
      existing = opened.resumed ? await turnsOf(context.sessions, result.sessionId) : new Map();
    }
    result.turns++;
    const title = titleOf(turn.prompt);
    const requestId = `req-${compactTime(at)}-${slug(title, 'turn').slice(0, 30).replace(/-+$/, '')}-${number}`;
    const known = existing!.get(requestId);
    if (known && known.status !== 'in_progress') {
      result.unchanged++;
      return;
    }
    const ids = { sessionId: result.sessionId, turnRequestId: requestId };
    const actions = turn.calls.flatMap((call) => call.actions);
    const dialog = turn.calls.flatMap((call) => call.dialog);
    if (!known) {
      await op('beginTurn', { sessionId: result.sessionId, requestId, queryTitle: title, queryText: turn.prompt });
      result.added++;
    }
    stamp(turn.ended);
    const newActions = actions.slice(known?.actions.length ?? 0);
    const newDialog = dialog.slice(known?.dialog.length ?? 0);
    if (newActions.length > 0) await op('appendActions', { ...ids, actions: newActions });
    if (newDialog.length > 0) await op('appendDialog', { ...ids, dialogItems: newDialog });
    if (turn.finished || (!last && turn.answer)) {
      await op('completeTurn', { ...ids, ...(turn.answer ? { response: turn.answer } : {}) });
      if (known) result.completed++;
    } else if (!last) {
      await op('failTurn', { ...ids, errorCode: 'interrupted', errorMessage: 'The next prompt came before this turn had an answer (it was interrupted).' });
    }
  };

  for await (const turn of turns) {
    if (previous) await write(previous, false);
    previous = turn;
  }
  if (previous) await write(previous, true);
  result.skippedLines = stats.skipped;
  return result;
}

/** The turns already imported, read whole (the getSession operation answers a page). */
async function turnsOf(sessions: AgentSessions, sessionId: string): Promise<Map<string, AgentSession['turns'][number]>> {
  try {
    const session = await sessions.getSession({ sessionId });
    return new Map(session.turns.map((turn) => [turn.requestId, turn]));
  } catch (error) {
    if (isSessionLogError(error) && error.code === 'session_not_found') return new Map();
    throw error;
  }
}
