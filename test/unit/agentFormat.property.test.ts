/**
 * Property: any sequence of agent operations, with any text in it, written to a session file
 * and read back (getSession, queryHistory, the file parsed on its own) gives exactly the model
 * folded here in memory; and every call the state machine forbids fails with its code and
 * writes nothing.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseAgentSession } from '../../src/core/agent/format';
import {
  ACTION_STATUSES,
  ACTION_TYPES,
  DIALOG_CATEGORIES,
  DIALOG_ROLES,
  type Action,
  type AgentSession,
  type DialogItem,
  type Turn,
} from '../../src/core/agent/model';
import {
  decodeAppendActions,
  decodeAppendDialog,
  decodeBeginTurn,
  decodeCloseSession,
  decodeCompleteTurn,
  decodeFailTurn,
  decodeUpdateTurn,
} from '../../src/core/agent/inputs';
import { AgentSessions } from '../../src/core/agent/sessions';
import { isSessionLogError } from '../../src/core/errors';
import { isoSeconds } from '../../src/core/model/time';
import { createNodeDeps } from '../../src/node/nodeDeps';

// ---------------------------------------------------------------- generators

/** Lines an agent session file could take for structure, and other awkward ones. */
const TRICKY_LINES = [
  '## Turn 1 · Fake turn',
  '## Turn 2 · x',
  '## Session closed · 2026-04-09T12:00:00Z',
  '### Update · 2026-04-09T12:00:00Z',
  '### Completed · x',
  '### Failed · 2026-04-09T12:00:00Z',
  '#### 2026-04-09T12:00:04Z · model · reasoning',
  '- Request: `req-20260409T120000Z-t0`',
  '- Request: `req-20260409T120000Z-t1`',
  '- Started: 2026-04-09T12:00:00Z',
  '**Response**',
  '**Tags:** #a #b',
  '**Token count:** 12',
  '**Error code:** `x`',
  '**Context**',
  '1. edit · completed · `a.ts` — fake action',
  '> quoted',
  '>',
  '> ',
  '---',
  '...',
  '```',
  '`',
  '``',
  ' — ',
  ' · ',
  '#tag',
  '# Title',
  '',
  '   ',
  '\t',
  '\r',
  '\u00a0',
  'héllo wörld',
  '日本語',
  '🙂 👩‍💻',
  'a\u2028b',
  'trailing  ',
  'title: injected',
  'type: agent-session',
  '# room for the summary to grow in place',
];

const char = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('#', '>', '`', '*', '-', '·', '—', ' ', '\t', '\r', ':', '\u00a0', 'é', '😀', '中', '\\') },
  { weight: 5, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);
const freeLine = fc.string({ unit: char, maxLength: 24 });
const line = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...TRICKY_LINES) }, { weight: 3, arbitrary: freeLine });
const text = fc.tuple(fc.array(line, { maxLength: 6 }), fc.constantFrom('\n', '\r\n')).map(([lines, eol]) => lines.join(eol));
/** Sometimes blank, to check that required text is refused. */
const requiredText = fc.oneof({ weight: 8, arbitrary: text }, { weight: 1, arbitrary: fc.constantFrom('', '   ', '\n', '\r\n\t') });
const oneLine = fc.oneof(fc.constantFrom(...TRICKY_LINES), freeLine);
const requiredLine = fc.oneof({ weight: 8, arbitrary: oneLine }, { weight: 1, arbitrary: fc.constantFrom('', '  ') });

const tag = fc.tuple(fc.constantFrom('', '#'), fc.stringMatching(/^[A-Za-z0-9_./-]{1,12}$/)).map(([hash, name]) => `${hash}${name}`);
const file = fc.oneof(
  fc.stringMatching(/^[a-z]{1,6}(\/[a-zA-Z0-9_.-]{1,10}){0,3}$/),
  fc.constantFrom('src/with space.ts', 'a`b.ts', '`lead.ts', 'trail`', 'dash — file.ts', 'dot · file', '  padded  ', '', '1e5', 'true', '中文/文件.md'),
);
const timestamp = fc.constantFrom('2026-04-09T12:00:04Z', '2026-04-09T12:00:05.123Z', '2026-04-09T14:00:05+02:00');
const requestIds = ['req-20260409T120000Z-t0', 'req-20260409T120000Z-t1', 'req-20260409T120001Z-t2', 'req-20260409T120002Z-add-jwt-001'];

const dialogItem = fc.record({
  role: fc.constantFrom(...DIALOG_ROLES),
  category: fc.constantFrom(...DIALOG_CATEGORIES),
  content: requiredText,
  timestamp,
});
const actionItem = fc.record(
  {
    order: fc.option(fc.nat(20), { nil: undefined }),
    description: requiredLine,
    type: fc.constantFrom(...ACTION_TYPES),
    status: fc.option(fc.constantFrom(...ACTION_STATUSES), { nil: undefined }),
    filePath: fc.option(file, { nil: undefined }),
  },
  { requiredKeys: ['description', 'type'] },
);

type Op =
  | { kind: 'begin'; params: { requestId: string; queryTitle: string; queryText?: string } }
  | { kind: 'update'; params: { interpretation?: string; response?: string; tokenCount?: number; tags?: string[]; contextList?: string[] } }
  | { kind: 'dialog'; params: { dialogItems: { role: string; category: string; content: string; timestamp: string }[] } }
  | { kind: 'actions'; params: { actions: { order?: number; description: string; type: string; status?: string; filePath?: string }[] } }
  | { kind: 'complete'; params: { response?: string } }
  | { kind: 'fail'; params: { errorMessage: string; errorCode?: string } }
  | { kind: 'close'; params: { summary?: string } };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .record(
        { requestId: fc.constantFrom(...requestIds), queryTitle: requiredLine, queryText: fc.option(text, { nil: undefined }) },
        { requiredKeys: ['requestId', 'queryTitle'] },
      )
      .map((params) => ({ kind: 'begin' as const, params })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record(
        {
          interpretation: text,
          response: text,
          tokenCount: fc.nat(100_000),
          tags: fc.array(tag, { maxLength: 4 }),
          contextList: fc.array(file, { maxLength: 3 }),
        },
        { requiredKeys: [] },
      )
      .map((params) => ({ kind: 'update' as const, params })),
  },
  { weight: 3, arbitrary: fc.array(dialogItem, { minLength: 1, maxLength: 3 }).map((dialogItems) => ({ kind: 'dialog' as const, params: { dialogItems } })) },
  { weight: 3, arbitrary: fc.array(actionItem, { minLength: 1, maxLength: 3 }).map((actions) => ({ kind: 'actions' as const, params: { actions } })) },
  { weight: 2, arbitrary: fc.record({ response: text }, { requiredKeys: [] }).map((params) => ({ kind: 'complete' as const, params })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ errorMessage: requiredText, errorCode: oneLine }, { requiredKeys: ['errorMessage'] })
      .map((params) => ({ kind: 'fail' as const, params })),
  },
  { weight: 1, arbitrary: fc.record({ summary: text }, { requiredKeys: [] }).map((params) => ({ kind: 'close' as const, params })) },
);

// ---------------------------------------------------------------- the model

const lf = (value: string): string => value.replace(/\r\n?/g, '\n');
const oneLineOf = (value: string): string => value.replace(/\s+/g, ' ').trim();
const blank = (value: string): boolean => value.trim() === '';
const unionOf = (a: string[], b: string[]): string[] => [...a, ...b.filter((item, i) => !a.includes(item) && b.indexOf(item) === i)];

class Refused extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** The protocol's state machine and our normalization, folded from scratch: what the file must give back. */
function apply(model: AgentSession, operation: Op, at: string): void {
  const last = model.turns[model.turns.length - 1];
  const touch = (turn: Turn): void => {
    turn.updated = at;
    model.lastUpdated = at;
    model.currentTurn = { requestId: turn.requestId, status: turn.status, updated: at };
  };
  // An abandoned turn ends failed when the next begins or the session closes.
  const end = (turn: Turn, code: string, message: string): void => {
    Object.assign(turn, { status: 'failed', ended: at, updated: at, errorCode: code, errorMessage: message });
  };
  const current = (): Turn => {
    if (!last) throw new Refused('turn_not_found');
    if (last.status !== 'in_progress') throw new Refused('turn_immutable');
    return last;
  };
  switch (operation.kind) {
    case 'begin': {
      const { requestId, queryTitle, queryText } = operation.params;
      if (blank(queryTitle)) throw new Refused('invalid_parameter');
      if (model.status === 'completed') throw new Refused('session_not_found');
      if (model.turns.some((turn) => turn.requestId === requestId)) throw new Refused('turn_already_exists');
      if (last?.status === 'in_progress') end(last, 'superseded', `Superseded by turn ${requestId}: it began while this turn was still in progress.`);
      const turn: Turn = {
        requestId,
        queryTitle: oneLineOf(queryTitle),
        queryText: lf(queryText ?? ''),
        tags: [],
        contextList: [],
        dialog: [],
        actions: [],
        status: 'in_progress',
        started: at,
        updated: at,
      };
      model.turns.push(turn);
      model.turnCount = model.turns.length;
      touch(turn);
      return;
    }
    case 'update': {
      const turn = current();
      const { interpretation, response, tokenCount, tags, contextList } = operation.params;
      if (interpretation !== undefined) turn.interpretation = lf(interpretation);
      if (response !== undefined) turn.response = lf(response);
      if (tokenCount !== undefined) turn.tokenCount = tokenCount;
      const clean = unionOf(
        [],
        (tags ?? []).map((item) => item.replace(/^#+/, '')),
      );
      turn.tags = unionOf(turn.tags, clean);
      turn.contextList = unionOf(turn.contextList, (contextList ?? []).map(oneLineOf).filter(Boolean));
      model.tags = unionOf(model.tags, clean);
      touch(turn);
      return;
    }
    case 'dialog': {
      if (operation.params.dialogItems.some((item) => blank(item.content))) throw new Refused('invalid_parameter');
      const turn = current();
      turn.dialog.push(...operation.params.dialogItems.map((item) => ({ ...item, content: lf(item.content) }) as DialogItem));
      touch(turn);
      return;
    }
    case 'actions': {
      if (operation.params.actions.some((item) => blank(item.description))) throw new Refused('invalid_parameter');
      const turn = current();
      const actions = operation.params.actions.map((item, index): Action => ({
        order: item.order ?? index + 1,
        description: oneLineOf(item.description),
        type: item.type as Action['type'],
        status: (item.status ?? 'completed') as Action['status'],
        filePath: oneLineOf(item.filePath ?? ''),
      }));
      turn.actions.push(...actions);
      model.filesModified = unionOf(
        model.filesModified,
        actions.filter((a) => a.filePath && ['edit', 'create', 'delete'].includes(a.type)).map((a) => a.filePath),
      );
      touch(turn);
      return;
    }
    case 'complete': {
      const turn = current();
      turn.status = 'completed';
      turn.ended = at;
      if (operation.params.response !== undefined) turn.response = lf(operation.params.response);
      touch(turn);
      return;
    }
    case 'fail': {
      if (blank(operation.params.errorMessage)) throw new Refused('invalid_parameter');
      const turn = current();
      turn.status = 'failed';
      turn.ended = at;
      turn.errorMessage = lf(operation.params.errorMessage);
      const code = oneLineOf(operation.params.errorCode ?? '');
      if (code) turn.errorCode = code;
      touch(turn);
      return;
    }
    case 'close': {
      if (model.status === 'completed') throw new Refused('session_not_found');
      if (last?.status === 'in_progress') {
        end(last, 'session_closed', 'The session was closed while this turn was still in progress.');
        touch(last);
      }
      model.status = 'completed';
      model.lastUpdated = at;
      const note = operation.params.summary === undefined ? '' : lf(operation.params.summary);
      if (note) model.closingNote = note;
    }
  }
}

/** Runs one operation, naming the session (closing it ends the connection's current session). */
async function perform(sessions: AgentSessions, sessionId: string, operation: Op): Promise<void> {
  // As a front end calls it: the params decoded first (the blank texts the model refuses are refused there).
  const params = { ...operation.params, sessionId };
  switch (operation.kind) {
    case 'begin':
      await sessions.beginTurn(decodeBeginTurn(params));
      return;
    case 'update':
      await sessions.updateTurn(decodeUpdateTurn(params));
      return;
    case 'dialog':
      await sessions.appendDialog(decodeAppendDialog(params));
      return;
    case 'actions':
      await sessions.appendActions(decodeAppendActions(params));
      return;
    case 'complete':
      await sessions.completeTurn(decodeCompleteTurn(params));
      return;
    case 'fail':
      await sessions.failTurn(decodeFailTurn(params));
      return;
    case 'close':
      await sessions.closeSession(decodeCloseSession(params));
  }
}

// ---------------------------------------------------------------- the property

describe('agent session files: operations written and read back', () => {
  it('give back exactly the model folded in memory, and refuse what the state machine forbids', async (t) => {
    const parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sessionlog-agent-prop-')));
    t.after(() => fs.rmSync(parent, { recursive: true, force: true }));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ title: oneLine.filter((value) => !blank(value)), model: fc.option(oneLine, { nil: undefined }) }, { requiredKeys: ['title'] }),
        fc.array(op, { maxLength: 30 }),
        async (opening, operations) => {
          const root = path.join(parent, String(run++));
          fs.mkdirSync(root);
          fs.writeFileSync(path.join(root, '.kbcontext'), 'project: demo\nprimary: projects/demo\n');
          let now = Date.parse('2026-04-09T12:00:00Z');
          const deps = createNodeDeps({
            env: { get: () => undefined, cwd: () => root },
            clock: { now: () => new Date(now) },
            logger: { info: () => undefined, warn: () => undefined },
          });
          const sessions = new AgentSessions(deps, { cwd: root, staleAfterMinutes: 1e9 });
          const sessionId = 'Codex-20260409T120000Z-property';
          await sessions.openSession({ agent: 'Codex', sessionId, ...opening });
          const started = isoSeconds(new Date(now));
          const modelName = oneLineOf(opening.model ?? '');
          const model: AgentSession = {
            agent: 'Codex',
            sessionId,
            title: oneLineOf(opening.title),
            ...(modelName ? { model: modelName } : {}),
            started,
            lastUpdated: started,
            status: 'in_progress',
            turnCount: 0,
            filesModified: [],
            tags: [],
            turns: [],
          };
          const file = path.join(root, 'projects/demo/agent-sessions', `${sessionId}.md`);
          for (const operation of operations) {
            now += 61_000;
            const at = isoSeconds(new Date(now));
            let expected: string | undefined;
            try {
              apply(model, operation, at);
            } catch (error) {
              if (!(error instanceof Refused)) throw error;
              expected = error.code;
            }
            const before = expected ? fs.readFileSync(file, 'utf8') : undefined;
            let got: string | undefined;
            try {
              await perform(sessions, sessionId, operation);
            } catch (error) {
              if (!isSessionLogError(error)) throw error;
              got = error.code;
            }
            assert.equal(got, expected, `${operation.kind} ${JSON.stringify(operation.params)}`);
            if (before !== undefined) assert.equal(fs.readFileSync(file, 'utf8'), before, 'a refused operation writes nothing');
          }
          const read = await sessions.getSession({ sessionId });
          assert.deepEqual(read, { ...model, path: `projects/demo/agent-sessions/${sessionId}.md` });
          const parsed = parseAgentSession(fs.readFileSync(file, 'utf8'), file);
          assert.deepEqual(parsed, model);
          const history = await sessions.queryHistory({});
          const { turns, filesModified, currentTurn, closingNote, ...summary } = model;
          void turns;
          void currentTurn;
          void closingNote;
          assert.deepEqual(history.sessions, [{ ...summary, filesModifiedCount: filesModified.length, path: `projects/demo/agent-sessions/${sessionId}.md` }]);
        },
      ),
      { numRuns: Number(process.env.AGENT_PROPERTY_RUNS ?? 80) },
    );
  });
});
