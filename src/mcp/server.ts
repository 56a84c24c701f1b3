import * as fs from 'node:fs';
import * as path from 'node:path';
import { AGENT_OPERATIONS, errorEnvelope, findOperation, runOperation, type AgentOperation, type OperationContext } from '../core/agent/operations';
import { RESULT_SCHEMAS } from '../core/agent/results';
import { AgentSessions, type AgentSessionsOptions } from '../core/agent/sessions';
import { resolveEntry, loadWorkspace } from '../core/context/resolve';
import type { Deps } from '../core/ports';
import { watchSearchedKnowledgeBases } from '../core/search/store';
import { getEntry } from '../core/usecases/readEntries';
import { renderResume, resumeContext } from '../core/usecases/resume';

/**
 * The MCP server over stdio: newline-delimited JSON-RPC 2.0, as the protocol's stdio transport
 * specifies. It is written against the protocol rather than the SDK's server classes because
 * those load the SDK's whole schema library (zod, ajv) before answering `initialize`, which
 * alone took several times node's own start-up: an agent starting one process per hook call
 * pays that on every call. Conformance is checked by the tests, which drive this server with
 * the official SDK's client (it validates every answer and each tool's structuredContent
 * against its outputSchema).
 *
 * Tools are the operations of the shared table (`sessionlog_<name>`); resources are the
 * project's session log and agent session files; the prompt `resume` gives the
 * "continue where we left off" context.
 */

/** Every tool is `sessionlog_<operation>`, the names the protocol's native MCP discovery uses. */
export const TOOL_PREFIX = 'sessionlog_';
const RESOURCE_PREFIX = 'sessionlog://kb/';
const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];

const INSTRUCTIONS = `Session Log keeps an audit trail of agent work as Markdown in the user's knowledge base.
Workflow: sessionlog_bootstrap once; sessionlog_openSession (agent, title); for each user request sessionlog_beginTurn,
then sessionlog_updateTurn / sessionlog_appendDialog / sessionlog_appendActions while working, then sessionlog_completeTurn
(or sessionlog_failTurn when blocked). Completed and failed turns are immutable; a turn left in progress is superseded by
the next beginTurn. Pass sessionId on every call when calls come from separate processes or several sessions share this
connection; otherwise it defaults to the one session opened here, and turnRequestId to its current turn. To continue
earlier work, start with sessionlog_resume (or the resume prompt), then sessionlog_queryHistory, sessionlog_getSession,
sessionlog_search. Errors carry {code, message, details, hint}.`;

interface McpServerOptions extends AgentSessionsOptions {
  version: string;
  /** Redact secrets in what agents write (on unless false). */
  redact?: boolean;
}

type Json = Record<string, unknown>;
type Message = { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };

/** A JSON-RPC failure, answered as `{error: {code, message}}`. */
class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** One connection's server: answers messages and sends notifications through `send`. */
export class SessionLogMcpServer {
  private readonly context: OperationContext;
  private readonly subscriptions = new Set<string>();

  constructor(
    private readonly deps: Deps,
    private readonly options: McpServerOptions,
    private readonly send: (message: Json) => void,
  ) {
    const { version, redact, ...sessionOptions } = options;
    void version;
    const workspace = { ...(sessionOptions.cwd ? { cwd: sessionOptions.cwd } : {}), ...(sessionOptions.kbRoot ? { kbRoot: sessionOptions.kbRoot } : {}) };
    this.context = { sessions: new AgentSessions(deps, sessionOptions), deps, workspace, writeOptions: { redact: redact !== false } };
  }

  /** Handles one line of input; answers requests, ignores notifications and responses. */
  async handleLine(line: string): Promise<void> {
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch (error) {
      this.send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: `Parse error: ${(error as Error).message}` } });
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.send({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid request: a JSON-RPC message is an object.' } });
      return;
    }
    if (typeof message.method !== 'string') return; // a response to nothing we asked, or junk without an id to answer
    const isRequest = typeof message.id === 'string' || typeof message.id === 'number';
    if (!isRequest) return; // notifications (initialized, cancelled, ...) need no answer
    try {
      const result = await this.dispatch(message.method, (message.params ?? {}) as Json);
      this.send({ jsonrpc: '2.0', id: message.id, result });
    } catch (error) {
      const code = error instanceof RpcError ? error.code : -32603;
      this.send({ jsonrpc: '2.0', id: message.id, error: { code, message: error instanceof Error ? error.message : String(error) } });
    }
  }

  private async dispatch(method: string, params: Json): Promise<Json> {
    switch (method) {
      case 'initialize':
        return this.initialize(params);
      case 'ping':
        return {};
      case 'tools/list':
        return { tools: AGENT_OPERATIONS.map(toolOf) };
      case 'tools/call':
        return this.callTool(params);
      case 'resources/list':
        return { resources: await this.listResources() };
      case 'resources/templates/list':
        return { resourceTemplates: [] };
      case 'resources/read':
        return this.readResource(params);
      case 'resources/subscribe':
        this.subscriptions.add(String(params.uri));
        return {};
      case 'resources/unsubscribe':
        this.subscriptions.delete(String(params.uri));
        return {};
      case 'prompts/list':
        return { prompts: [RESUME_PROMPT] };
      case 'prompts/get':
        return this.getPrompt(params);
      default:
        throw new RpcError(-32601, `Method not found: ${method}`);
    }
  }

  private initialize(params: Json): Json {
    const asked = typeof params.protocolVersion === 'string' ? params.protocolVersion : '';
    return {
      protocolVersion: PROTOCOL_VERSIONS.includes(asked) ? asked : PROTOCOL_VERSIONS[0],
      capabilities: { tools: { listChanged: false }, resources: { subscribe: true, listChanged: true }, prompts: { listChanged: false } },
      serverInfo: { name: 'sessionlog', title: 'Session Log', version: this.options.version },
      instructions: INSTRUCTIONS,
    };
  }

  private async callTool(params: Json): Promise<Json> {
    const name = typeof params.name === 'string' ? params.name : '';
    const operation = name.startsWith(TOOL_PREFIX) ? findOperation(name.slice(TOOL_PREFIX.length)) : undefined;
    if (!operation) throw new RpcError(-32602, `Unknown tool: ${name}. tools/list names them all.`);
    try {
      const { result, summary } = await runOperation(this.context, operation, params.arguments ?? {});
      if (!operation.readOnly) await this.notifyChanged(operation, result);
      return {
        content: [
          { type: 'text', text: JSON.stringify(result) },
          { type: 'text', text: summary },
        ],
        structuredContent: result,
      };
    } catch (error) {
      // No structuredContent on a failure: clients check it against the tool's outputSchema, which describes results.
      const envelope = errorEnvelope(error);
      return {
        isError: true,
        content: [
          { type: 'text', text: JSON.stringify(envelope) },
          { type: 'text', text: `${envelope.code}: ${envelope.message}${envelope.hint ? ` ${envelope.hint}` : ''}` },
        ],
      };
    }
  }

  /** Tells the client which resources a write changed: the session (or entry) it wrote, and the list when a session was created. */
  private async notifyChanged(operation: AgentOperation, result: Json): Promise<void> {
    if (operation.name === 'openSession' && result.resumed === false) this.send({ jsonrpc: '2.0', method: 'notifications/resources/list_changed' });
    const relative = typeof result.path === 'string' ? result.path : undefined;
    const uri = relative ? `${RESOURCE_PREFIX}${relative}` : typeof result.sessionId === 'string' ? await this.sessionUri(result.sessionId) : undefined;
    if (uri && this.subscriptions.has(uri)) this.send({ jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri } });
  }

  private async sessionUri(sessionId: string): Promise<string | undefined> {
    const { kbRoot, dir } = await this.context.sessions.folder();
    return `${RESOURCE_PREFIX}${path.posix.relative(kbRoot, path.posix.join(dir, `${sessionId}.md`))}`;
  }

  /** The project's session log entry (when it exists) and its agent sessions, newest first. */
  private async listResources(): Promise<Json[]> {
    const workspace = await loadWorkspace(this.deps, this.context.workspace);
    const entry = await resolveEntry(this.deps, workspace);
    const resources: Json[] = [];
    if (await this.deps.fs.stat(entry.entryPath)) {
      resources.push({
        uri: `${RESOURCE_PREFIX}${entry.relativePath}`,
        name: entry.relativePath,
        title: 'Session log',
        mimeType: 'text/markdown',
        description: "The project's logged sessions.",
      });
    }
    const { sessions } = await this.context.sessions.queryHistory({ limit: 1000 });
    for (const session of sessions) {
      resources.push({
        uri: `${RESOURCE_PREFIX}${session.path}`,
        name: session.sessionId,
        title: session.title,
        mimeType: 'text/markdown',
        description: `${session.agent} session, ${session.status}, ${session.turnCount} turn${session.turnCount === 1 ? '' : 's'}, last change ${session.lastUpdated}.`,
      });
    }
    return resources;
  }

  /** Reads a listed resource; any other path is refused, so no file outside them is served. */
  private async readResource(params: Json): Promise<Json> {
    const uri = typeof params.uri === 'string' ? params.uri : '';
    const listed = (await this.listResources()).some((resource) => resource.uri === uri);
    if (!uri.startsWith(RESOURCE_PREFIX) || !listed) throw new RpcError(-32002, `Resource not found: ${uri}. resources/list names them.`);
    const loaded = await getEntry(this.deps, decodeURI(uri.slice(RESOURCE_PREFIX.length)), this.context.workspace);
    return { contents: [{ uri, mimeType: 'text/markdown', text: loaded.text }] };
  }

  private async getPrompt(params: Json): Promise<Json> {
    if (params.name !== RESUME_PROMPT.name) throw new RpcError(-32602, `Unknown prompt: ${String(params.name)}. prompts/list names them.`);
    const args = (params.arguments ?? {}) as Record<string, unknown>;
    const maxTokens = args.maxTokens === undefined ? 4000 : Number(args.maxTokens);
    if (!Number.isInteger(maxTokens) || maxTokens < 500) {
      throw new RpcError(-32602, `maxTokens must be a whole number of at least 500 (got ${String(args.maxTokens)}).`);
    }
    const context = await resumeContext(this.deps, { ...this.context.workspace, ...this.context.sessions.staleOptions() });
    const { text } = renderResume(context, maxTokens);
    return {
      description: `Where the work on ${context.path} left off.`,
      messages: [{ role: 'user', content: { type: 'text', text: `Continue where we left off. Here is the context from the session log:\n\n${text}` } }],
    };
  }

  /** Watches the agent sessions folder, so writes by other processes reach subscribers too. */
  async watch(): Promise<() => void> {
    const { kbRoot, dir } = await this.context.sessions.folder();
    try {
      await this.deps.fs.mkdirp(dir);
      const watcher = fs.watch(dir, (_event, file) => {
        if (!file?.endsWith('.md')) return;
        const uri = `${RESOURCE_PREFIX}${path.posix.relative(kbRoot, path.posix.join(dir, file))}`;
        if (this.subscriptions.has(uri)) this.send({ jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri } });
      });
      watcher.on('error', () => undefined);
      return () => watcher.close();
    } catch {
      return () => undefined;
    }
  }
}

const RESUME_PROMPT = {
  name: 'resume',
  title: 'Resume where we left off',
  description:
    "The context to continue the project's work: the next-session hint, turns left in progress, open follow-ups, recent decisions and the last sessions.",
  arguments: [{ name: 'maxTokens', description: 'About how many tokens the context may take (default 4000).', required: false }],
};

function toolOf(operation: AgentOperation): Json {
  return {
    name: `${TOOL_PREFIX}${operation.name}`,
    title: operation.title,
    description: operation.description,
    inputSchema: operation.params,
    outputSchema: RESULT_SCHEMAS[operation.name],
    annotations: {
      title: operation.title,
      readOnlyHint: operation.readOnly,
      destructiveHint: false,
      idempotentHint: operation.readOnly || !!operation.idempotent,
      openWorldHint: false,
    },
  };
}

/** Serves MCP over stdin/stdout until stdin ends. Nothing else may write to stdout meanwhile. */
export async function serveStdio(deps: Deps, options: McpServerOptions): Promise<void> {
  // The server lives on: searches follow the file system's change reports instead of checking every file.
  watchSearchedKnowledgeBases();
  const server = new SessionLogMcpServer(deps, options, (message) => process.stdout.write(`${JSON.stringify(message)}\n`));
  const pending = new Set<Promise<void>>();
  let buffer = '';
  let watching: Promise<() => void> | undefined;
  process.stdin.setEncoding('utf8');
  await new Promise<void>((resolve) => {
    process.stdin.on('data', (chunk: string) => {
      buffer += chunk;
      for (let at = buffer.indexOf('\n'); at !== -1; at = buffer.indexOf('\n')) {
        const line = buffer.slice(0, at).replace(/\r$/, '');
        buffer = buffer.slice(at + 1);
        if (line.trim() === '') continue;
        const handled = server.handleLine(line).finally(() => pending.delete(handled));
        pending.add(handled);
        // Watching starts after the first message, so answering initialize never waits for it.
        watching ??= server.watch();
      }
    });
    process.stdin.on('end', resolve);
    process.stdin.on('close', resolve);
  });
  if (buffer.trim() !== '') await server.handleLine(buffer);
  await Promise.all(pending);
  if (watching) (await watching)();
}
