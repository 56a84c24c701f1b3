import { findOperation, type JsonSchema } from '../../core/agent/operations';

/**
 * The language-model tools, without vscode: which agent operations are offered as tools and how
 * VS Code presents them. package.json's `languageModelTools` is generated from this table and the
 * core's operation table (scripts/tool-manifest.js, run by `npm run build`), so names, schemas
 * and descriptions match what the MCP server serves; the manifest test checks the file is current.
 */
export const TOOL_PREFIX = 'sessionlog_';

interface ToolPresentation {
  displayName: string;
  userDescription: string;
  /** Said to the model after the operation's own description: when to call it. */
  whenToCall?: string;
  /** A codicon, `$(notebook)` unless said. */
  icon?: string;
}

// bootstrap is left out on purpose: every tool resolves the knowledge base itself.
const CATALOG = {
  log: {
    displayName: 'Log Session',
    userDescription: "Log a session note (summary, files, decisions, follow-ups, next-session hint) to the project's session log",
    whenToCall: 'Use it at the end of a piece of work (or when the user says "log this session").',
  },
  openSession: {
    displayName: 'Open Agent Session',
    userDescription: 'Open an agent session in the session log',
    whenToCall: 'Call it once at the start of the work, with agent "Copilot" for GitHub Copilot.',
  },
  beginTurn: {
    displayName: 'Begin Turn',
    userDescription: 'Begin a turn of the agent session for a user request',
    whenToCall: 'Call it for each user request before working on it.',
  },
  updateTurn: { displayName: 'Update Turn', userDescription: 'Record interpretation, response, tags and files on the current turn' },
  appendDialog: { displayName: 'Append Dialog', userDescription: 'Record reasoning, tool calls, observations and decisions on the current turn' },
  appendActions: { displayName: 'Append Actions', userDescription: 'Record file operations and other actions on the current turn' },
  completeTurn: { displayName: 'Complete Turn', userDescription: 'Finish the current turn as completed' },
  failTurn: { displayName: 'Fail Turn', userDescription: 'Finish the current turn as failed' },
  closeSession: { displayName: 'Close Agent Session', userDescription: 'Close the agent session' },
  queryHistory: { displayName: 'Agent Session History', userDescription: 'List earlier agent sessions of this project' },
  getSession: { displayName: 'Get Agent Session', userDescription: 'Read one agent session with all its turns' },
  search: { displayName: 'Search Session Log', userDescription: 'Ranked search over logged sessions, agent turns and decisions across the knowledge base' },
  resume: {
    displayName: 'Resume Where We Left Off',
    userDescription: "Read where the project's work left off: next-session hint, follow-ups, decisions, turns in progress",
    icon: '$(history)',
  },
  recordDecision: { displayName: 'Record Decision', userDescription: 'Record an architecture decision (ADR-NNN) in the knowledge base', icon: '$(law)' },
  listDecisions: { displayName: 'List Decisions', userDescription: "List the project's architecture decision records", icon: '$(law)' },
  listFollowUps: { displayName: 'List Follow-ups', userDescription: "List the project's open follow-ups from the session log", icon: '$(checklist)' },
  markFollowUpDone: {
    displayName: 'Mark Follow-up Done',
    userDescription: "Tick (or untick) one of the project's follow-ups in the session log",
    icon: '$(check)',
  },
  queryLoggedSessions: {
    displayName: 'Query Logged Sessions',
    userDescription: "List the project's logged sessions (sessions.md), filtered and paged",
    icon: '$(list-flat)',
  },
} satisfies Record<string, ToolPresentation>;

export type ToolOperation = keyof typeof CATALOG;

/** The operations offered as tools, in the manifest's order. */
export const TOOL_OPERATIONS = Object.keys(CATALOG) as ToolOperation[];

/** A `contributes.languageModelTools` entry. */
export interface ManifestTool {
  name: string;
  displayName: string;
  toolReferenceName: string;
  canBeReferencedInPrompt: true;
  icon: string;
  userDescription: string;
  modelDescription: string;
  tags: string[];
  inputSchema: JsonSchema;
}

/** package.json's `languageModelTools`, as generated. */
export function toolManifest(): ManifestTool[] {
  return TOOL_OPERATIONS.map((name) => {
    const operation = findOperation(name);
    if (!operation) throw new Error(`The tool catalog names ${name}, which is no agent operation.`);
    const presentation: ToolPresentation = CATALOG[name];
    const modelDescription = [operation.description, presentation.whenToCall, operation.readOnly ? 'Read-only.' : undefined].filter(Boolean).join(' ');
    return {
      name: `${TOOL_PREFIX}${name}`,
      displayName: presentation.displayName,
      toolReferenceName: `sessionlog${name[0]!.toUpperCase()}${name.slice(1)}`,
      canBeReferencedInPrompt: true,
      icon: presentation.icon ?? '$(notebook)',
      userDescription: presentation.userDescription,
      modelDescription,
      tags: ['sessionlog', operation.readOnly ? 'read' : 'write'],
      inputSchema: operation.params as unknown as JsonSchema,
    };
  });
}
