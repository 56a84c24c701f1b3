import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AgentSessions, type AgentSessionsOptions } from '../core/agent/sessions';
import { AGENT_OPERATIONS, errorEnvelope, runOperation, type AgentOperation, type OperationContext, type OperationSchema } from '../core/agent/operations';
import type { Deps } from '../core/ports';
import { McpServer, StdioServerTransport, z } from './sdk';

/** Every tool is `sessionlog_<operation>`, the names the protocol's native MCP discovery uses. */
export const TOOL_PREFIX = 'sessionlog_';

const INSTRUCTIONS = `Session Log keeps an audit trail of agent work as Markdown in the user's knowledge base.
Workflow: sessionlog_bootstrap once; sessionlog_openSession (agent, title); for each user request sessionlog_beginTurn,
then sessionlog_updateTurn / sessionlog_appendDialog / sessionlog_appendActions while working, then sessionlog_completeTurn
(or sessionlog_failTurn when blocked). Completed and failed turns are immutable. sessionId defaults to the session opened
on this connection and turnRequestId to its current turn. Before asking the user for context, check
sessionlog_queryHistory, sessionlog_getSession and sessionlog_search. Errors carry {code, message, details, hint}.`;

export interface McpServerOptions extends AgentSessionsOptions {
  version: string;
  /** Redact secrets in what agents write (on unless false). */
  redact?: boolean;
}

/**
 * The MCP server: one tool per operation of the shared table. Params are checked by the core
 * (so a bad id or value fails with the protocol's code and a hint, exactly as over the REPL); the
 * SDK is given the table's JSON Schema to advertise, and lets every value through to the core.
 */
export function createMcpServer(deps: Deps, options: McpServerOptions): { server: McpServer; sessions: AgentSessions } {
  const { version, redact, ...sessionOptions } = options;
  const sessions = new AgentSessions(deps, sessionOptions);
  const workspace = { ...(sessionOptions.cwd ? { cwd: sessionOptions.cwd } : {}), ...(sessionOptions.kbRoot ? { kbRoot: sessionOptions.kbRoot } : {}) };
  const context: OperationContext = { sessions, deps, workspace, writeOptions: { redact: redact !== false } };
  const server = new McpServer({ name: 'sessionlog', version }, { instructions: INSTRUCTIONS });
  for (const operation of AGENT_OPERATIONS) {
    server.registerTool(`${TOOL_PREFIX}${operation.name}`, {
      title: operation.title,
      description: operation.description,
      inputSchema: advertised(operation.params),
      annotations: {
        title: operation.title,
        readOnlyHint: operation.readOnly,
        destructiveHint: false,
        idempotentHint: operation.readOnly || !!operation.idempotent,
        openWorldHint: false,
      },
    }, async (params) => callTool(context, operation, params));
  }
  return { server, sessions };
}

async function callTool(context: OperationContext, operation: AgentOperation, params: unknown): Promise<CallToolResult> {
  try {
    const { result, summary } = await runOperation(context, operation, params);
    return { content: [{ type: 'text', text: JSON.stringify(result) }, { type: 'text', text: summary }], structuredContent: result };
  } catch (error) {
    const envelope = errorEnvelope(error);
    return {
      isError: true,
      content: [{ type: 'text', text: JSON.stringify(envelope) }, { type: 'text', text: `${envelope.code}: ${envelope.message}${envelope.hint ? ` ${envelope.hint}` : ''}` }],
      structuredContent: { ...envelope },
    };
  }
}

/**
 * The table's JSON Schema in the form the SDK takes. Each property accepts any value at this
 * stage (`unknown`), and zod's metadata carries the real schema into what tools/list shows;
 * the core then validates, so failures have the protocol's codes rather than a generic one.
 */
function advertised(params: OperationSchema): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, property] of Object.entries(params.properties)) shape[name] = z.unknown().optional().meta(property);
  return z.looseObject(shape).meta({ ...(params.required ? { required: params.required } : {}), additionalProperties: false });
}

/** Serves MCP over stdin/stdout until the client disconnects. Nothing else may write to stdout meanwhile. */
export async function serveStdio(deps: Deps, options: McpServerOptions): Promise<void> {
  const { server } = createMcpServer(deps, options);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
