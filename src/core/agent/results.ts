import type { JsonSchema } from './operations';

/**
 * The JSON Schema of each operation's result: what MCP advertises as a tool's outputSchema
 * (and clients check structuredContent against). Objects accept more properties than listed,
 * so a field added later breaks no client.
 */
const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer', minimum: 0 };
const bool: JsonSchema = { type: 'boolean' };
const strings: JsonSchema = { type: 'array', items: str };
const objects: JsonSchema = { type: 'array', items: { type: 'object' } };

function object(properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema {
  return { type: 'object', properties, required };
}

const turnStatus: JsonSchema = { type: 'string', enum: ['in_progress', 'completed', 'failed'] };

/** What an agent session's listing and its whole record both start with. */
const sessionSummary: Record<string, JsonSchema> = {
  agent: str,
  sessionId: str,
  title: str,
  model: str,
  parentSessionId: str,
  started: str,
  lastUpdated: str,
  status: { type: 'string', enum: ['in_progress', 'completed'] },
  turnCount: int,
};

export const RESULT_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  bootstrap: object({ initialized: { type: 'boolean', const: true }, knowledgeBase: str, sessionsFolder: str }),
  openSession: object({ sessionId: str, started: str, resumed: bool, path: str }),
  beginTurn: object({ turnRequestId: str, status: { const: 'in_progress' }, timestamp: str, sessionId: str, superseded: str }, [
    'turnRequestId',
    'status',
    'timestamp',
    'sessionId',
  ]),
  updateTurn: object({ turnRequestId: str, status: { const: 'in_progress' }, updated: str }),
  appendDialog: object({ turnRequestId: str, appended: int, dialogCount: int }),
  appendActions: object({ turnRequestId: str, appended: int, actionCount: int }),
  completeTurn: object({ turnRequestId: str, status: { const: 'completed' }, timestamp: str }),
  failTurn: object({ turnRequestId: str, status: { const: 'failed' }, errorCode: str, timestamp: str }, ['turnRequestId', 'status', 'timestamp']),
  closeSession: object({ sessionId: str, status: { const: 'completed' }, lastUpdated: str, closedTurn: str }, ['sessionId', 'status', 'lastUpdated']),
  queryHistory: object({
    sessions: {
      type: 'array',
      items: object(
        {
          ...sessionSummary,
          filesModifiedCount: int,
          tags: strings,
          path: str,
          staleTurn: str,
        },
        ['agent', 'sessionId', 'title', 'started', 'lastUpdated', 'status', 'turnCount', 'filesModifiedCount', 'tags', 'path'],
      ),
    },
    totalCount: int,
    offset: int,
    limit: int,
  }),
  getSession: object(
    {
      ...sessionSummary,
      filesModified: strings,
      filesModifiedCount: int,
      tags: strings,
      path: str,
      staleTurn: str,
      closingNote: str,
      turns: {
        type: 'array',
        items: object({
          requestId: str,
          queryTitle: str,
          queryText: str,
          status: turnStatus,
          started: str,
          updated: str,
          tags: strings,
          contextList: strings,
          dialog: objects,
          actions: objects,
        }),
      },
      order: { type: 'string', enum: ['newest', 'oldest'] },
      offset: int,
      limit: int,
      returned: int,
      truncated: bool,
      nextOffset: int,
      note: str,
    },
    [
      'agent',
      'sessionId',
      'title',
      'status',
      'turnCount',
      'filesModified',
      'filesModifiedCount',
      'tags',
      'path',
      'turns',
      'order',
      'offset',
      'limit',
      'returned',
      'truncated',
      'note',
    ],
  ),
  log: object(
    {
      path: str,
      action: { type: 'string', enum: ['created', 'appended'] },
      project: str,
      context_source: { type: ['string', 'null'] },
      heading: str,
      record: { type: 'object' },
      redactions: int,
      warnings: strings,
    },
    ['path', 'action', 'project', 'context_source', 'record', 'redactions', 'warnings'],
  ),
  search: object({
    hits: {
      type: 'array',
      items: object(
        {
          kind: { type: 'string', enum: ['session', 'turn', 'decision'] },
          path: str,
          line: int,
          endLine: int,
          heading: str,
          sessionId: str,
          turnId: str,
          agent: str,
          project: str,
          status: str,
          time: str,
          tags: strings,
          score: { type: 'number' },
          snippet: str,
          highlights: { type: 'array', items: { type: 'array', items: int, minItems: 2, maxItems: 2 } },
        },
        ['kind', 'path', 'line', 'endLine', 'heading', 'project', 'tags', 'score', 'snippet', 'highlights'],
      ),
    },
    count: int,
  }),
  resume: object(
    {
      path: str,
      text: str,
      truncated: bool,
      next: object({ text: str, heading: str }),
      turnsInProgress: { type: 'array', items: object({ sessionId: str, title: str, turnRequestId: str, stale: bool, lastUpdated: str }) },
      openFollowUps: { type: 'array', items: object({ text: str, heading: str }) },
      recentDecisions: { type: 'array', items: object({ decision: str, rationale: str, heading: str }, ['decision', 'heading']) },
      records: { type: 'array', items: object({ id: str, title: str, status: str, date: str, path: str }) },
    },
    ['path', 'text', 'truncated', 'turnsInProgress', 'openFollowUps', 'recentDecisions', 'records'],
  ),
  recordDecision: object({ id: { type: 'string', pattern: '^ADR-\\d{3,}$' }, title: str, status: str, date: str, path: str }),
  listDecisions: object({ decisions: { type: 'array', items: object({ id: str, title: str, status: str, date: str, path: str }) }, totalCount: int }),
  listFollowUps: object({ followUps: { type: 'array', items: object({ text: str, done: bool, heading: str, path: str, line: int }) }, totalCount: int }),
  markFollowUpDone: object({ text: str, done: bool, heading: str, path: str, line: int }),
  queryLoggedSessions: object({
    path: str,
    sessions: {
      type: 'array',
      items: object(
        { heading: str, timestamp: str, line: int, tags: strings, message: str, files: strings, decisions: objects, followUps: objects, next: str },
        ['heading', 'line', 'tags', 'message', 'files', 'decisions', 'followUps'],
      ),
    },
    totalCount: int,
    offset: int,
    limit: int,
  }),
};
