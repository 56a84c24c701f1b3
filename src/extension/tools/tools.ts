import * as vscode from 'vscode';
import { errorEnvelope, findOperation, runOperation, type AgentOperation, type OperationContext } from '../../core/agent/operations';
import type { Services } from '../services';
import { syncIfWanted, writeSettings } from '../writePath';
import { TOOL_OPERATIONS, TOOL_PREFIX, type ToolOperation } from './catalog';
import type { AgentSessionsCache } from './sessions';
import { clip, plural } from '../../core/format/escape';

/**
 * The language-model tools: the agent protocol's operations (the same table the MCP server
 * serves, so names, schemas and errors match), each registered as `sessionlog_<operation>`;
 * which ones, and their manifest entries, come from ./catalog.
 */
export { TOOL_PREFIX };

/** The short progress line shown while a tool runs. */
const INVOCATION: Record<ToolOperation, (input: Record<string, unknown>) => string> = {
  log: () => "Logging the session to the project's session log",
  openSession: (input) => `Opening agent session "${text(input.title, 'untitled')}"`,
  beginTurn: (input) => `Beginning turn "${text(input.queryTitle, 'untitled')}"`,
  updateTurn: () => 'Updating the current turn',
  appendDialog: (input) => `Recording ${count(input.dialogItems, 'dialog item')} on the turn`,
  appendActions: (input) => `Recording ${count(input.actions, 'action')} on the turn`,
  completeTurn: () => 'Completing the turn',
  failTurn: () => 'Marking the turn as failed',
  closeSession: () => 'Closing the agent session',
  queryHistory: (input) => `Reading agent session history${typeof input.agent === 'string' ? ` of ${input.agent}` : ''}`,
  getSession: (input) => `Reading agent session ${text(input.sessionId, '(current)')}`,
  resume: () => "Reading where the project's work left off",
  recordDecision: (input) => `Recording decision "${text(input.title, 'untitled')}"`,
  listDecisions: () => "Listing the project's decision records",
  listFollowUps: () => "Listing the project's follow-ups",
  markFollowUpDone: (input) => `Marking follow-up "${text(input.text, '')}" ${input.done === false ? 'open' : 'done'}`,
  queryLoggedSessions: () => "Reading the project's logged sessions",
  search: (input) =>
    `Searching the session log for "${text(input.query, Array.isArray(input.tags) ? input.tags.map((tag) => `#${String(tag)}`).join(' ') : '')}"`,
};

function text(value: unknown, fallback: string): string {
  return clip(typeof value === 'string' && value.trim() ? value.trim() : fallback, 60);
}

function count(value: unknown, noun: string): string {
  return plural(Array.isArray(value) ? value.length : 0, noun);
}

function toolName(operation: string): string {
  return `${TOOL_PREFIX}${operation}`;
}

/** The tool result: the operation's JSON, then one sentence; a failure as {code, message, details, hint} and its sentence. */
function toolResult(json: unknown, sentence: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(JSON.stringify(json)), new vscode.LanguageModelTextPart(sentence)]);
}

class OperationTool implements vscode.LanguageModelTool<Record<string, unknown>> {
  constructor(
    private readonly operation: AgentOperation,
    private readonly services: () => Promise<Services>,
    private readonly sessions: () => Promise<AgentSessionsCache>,
  ) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<Record<string, unknown>>): vscode.PreparedToolInvocation {
    // No confirmation: the tools write only to the session log, append-only and in the open, and
    // asking at every turn would stop agent mode in its tracks.
    const message = INVOCATION[this.operation.name as ToolOperation];
    return { invocationMessage: message ? message(options.input ?? {}) : this.operation.title };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<Record<string, unknown>>): Promise<vscode.LanguageModelToolResult> {
    try {
      const services = await this.services();
      const cache = await this.sessions();
      const folder = await cache.pick();
      const context: OperationContext = {
        sessions: await cache.of(folder),
        deps: folder.deps,
        workspace: await folder.options(),
        writeOptions: writeSettings(folder),
      };
      const { result, summary } = await runOperation(context, this.operation, options.input ?? {});
      cache.used(folder);
      // A session logged by a tool is one logged from VS Code: synced as the settings say (the chat shows the result).
      if (this.operation.name === 'log') syncIfWanted(services, folder);
      return toolResult(result, summary);
    } catch (error) {
      const envelope = errorEnvelope(error);
      if (envelope.code === 'internal_error') {
        (await this.services().catch(() => undefined))?.log.error(
          `Tool ${toolName(this.operation.name)}: ${error instanceof Error ? error.stack : String(error)}`,
        );
      }
      return toolResult(
        envelope,
        `${toolName(this.operation.name)} failed with ${envelope.code}: ${envelope.message}${envelope.hint ? ` ${envelope.hint}` : ''}`,
      );
    }
  }
}

/** The tool of one operation (a name of TOOL_OPERATIONS). */
export function createTool(
  name: string,
  services: () => Promise<Services>,
  sessions: () => Promise<AgentSessionsCache>,
): vscode.LanguageModelTool<Record<string, unknown>> {
  const operation = findOperation(name);
  if (!operation || !(TOOL_OPERATIONS as readonly string[]).includes(name)) throw new Error(`No agent operation ${name}`);
  return new OperationTool(operation, services, sessions);
}
