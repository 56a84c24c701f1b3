import * as vscode from 'vscode';
import type { Services } from '../services';
import type { AgentSessionsCache } from '../tools/sessions';

const PARTICIPANT_ID = 'sessionlog.chat';
const MCP_PROVIDER_ID = 'sessionlog.mcp';

/** The lazily loaded bundle (dist/services.js) that carries the participant, the tools and the MCP provider. */
type ServicesModule = typeof import('../services');

/** The only commands not contributed in package.json: registered in test mode, for the integration tests. */
export const TEST_COMMANDS = { replies: 'sessionlog.chat.test.replies', mcpDefinitions: 'sessionlog.chat.test.mcpDefinitions' } as const;

/** One chat reply as it was streamed (kept in test mode only, for the integration tests). */
export interface RecordedReply {
  prompt: string;
  command?: string;
  parts: { kind: string; value: unknown }[];
  result?: vscode.ChatResult;
}

/**
 * Registers the `@sessionlog` chat participant, the language-model tools, the MCP server
 * definition provider. Everything heavy (the core,
 * the participant, the tools) loads on first use.
 */
export function registerChatAndTools(context: vscode.ExtensionContext, services: () => Promise<Services>, load: () => Promise<ServicesModule>): void {
  let cache: Promise<AgentSessionsCache> | undefined;
  const sessions = (): Promise<AgentSessionsCache> =>
    (cache ??= Promise.all([services(), load()]).then(([made, module]) => new module.AgentSessionsCache(made.folders)));
  let participantModule: Promise<import('./participant').SessionLogParticipant> | undefined;
  const participant = () =>
    (participantModule ??= Promise.all([services(), sessions(), load()]).then(([made, cached, module]) => new module.SessionLogParticipant(made, cached)));

  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const replies: RecordedReply[] = [];

  const chat = vscode.chat.createChatParticipant(PARTICIPANT_ID, async (request, chatContext, stream, token) => {
    const recorded: RecordedReply | undefined = testMode
      ? { prompt: request.prompt, ...(request.command ? { command: request.command } : {}), parts: [] }
      : undefined;
    const target = recorded ? recordingStream(stream, recorded.parts) : stream;
    try {
      const result = (await (await participant()).handle(request, chatContext, target, token)) ?? {};
      if (recorded) recorded.result = result;
      return result;
    } finally {
      if (recorded) replies.push(recorded);
    }
  });
  chat.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
  chat.followupProvider = {
    provideFollowups: async (result, chatContext, token) => (await participant()).followups.provideFollowups(result, chatContext, token),
  };
  context.subscriptions.push(chat);

  // The tools named in package.json, each loading the table-driven implementation on first use.
  const tools = (context.extension.packageJSON as { contributes?: { languageModelTools?: { name: string }[] } }).contributes?.languageModelTools ?? [];
  for (const { name } of tools) {
    let tool: Promise<vscode.LanguageModelTool<Record<string, unknown>>> | undefined;
    const real = () => (tool ??= load().then((module) => module.createTool(name.slice(module.TOOL_PREFIX.length), services, sessions)));
    context.subscriptions.push(
      vscode.lm.registerTool<Record<string, unknown>>(name, {
        prepareInvocation: async (options, token) => (await real()).prepareInvocation?.(options, token),
        invoke: async (options, token) => (await real()).invoke(options, token),
      }),
    );
  }

  // Registered now so agents find the server, made (with its watchers) when VS Code first asks for it.
  const mcpChanged = new vscode.EventEmitter<void>();
  let mcpProvider: Promise<import('../mcpProvider').SessionLogMcpProvider> | undefined;
  const mcp = () =>
    (mcpProvider ??= load().then((module) => {
      const version = String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
      const provider = new module.SessionLogMcpProvider(context.extensionPath, version, services);
      context.subscriptions.push(
        provider,
        provider.onDidChangeMcpServerDefinitions(() => mcpChanged.fire()),
      );
      return provider;
    }));
  context.subscriptions.push(
    mcpChanged,
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: mcpChanged.event,
      provideMcpServerDefinitions: async () => (await mcp()).provideMcpServerDefinitions(),
      resolveMcpServerDefinition: (server: vscode.McpStdioServerDefinition) => server,
    }),
  );

  if (testMode) {
    // For the integration tests only: what the participant streamed, since the chat view's DOM is out of their reach.
    context.subscriptions.push(
      vscode.commands.registerCommand(TEST_COMMANDS.replies, () => replies),
      // What VS Code is offered by the MCP provider (no public API lists other providers' servers).
      vscode.commands.registerCommand(TEST_COMMANDS.mcpDefinitions, async () => {
        const definitions = await (await mcp()).provideMcpServerDefinitions();
        return definitions.map((definition) => ({
          label: definition.label,
          command: definition.command,
          args: definition.args,
          env: definition.env,
          cwd: definition.cwd?.fsPath,
          version: definition.version,
        }));
      }),
    );
  }
}

/** A response stream that also keeps what is streamed through it (the real one is frozen: it is wrapped, not proxied). */
function recordingStream(stream: vscode.ChatResponseStream, parts: RecordedReply['parts']): vscode.ChatResponseStream {
  const plain = (item: unknown): unknown =>
    item instanceof vscode.MarkdownString
      ? item.value
      : item instanceof vscode.Uri
        ? item.toString()
        : item instanceof vscode.Location
          ? { uri: item.uri.toString(), line: item.range.start.line }
          : item;
  const keep = (kind: string, value: unknown) => parts.push({ kind, value });
  const recorder: vscode.ChatResponseStream = {
    markdown: (value) => (keep('markdown', plain(value)), stream.markdown(value)),
    anchor: (value, title) => (keep('anchor', { target: plain(value), title }), stream.anchor(value, title)),
    button: (command) => (keep('button', command), stream.button(command)),
    filetree: (value, base) => (keep('filetree', plain(base)), stream.filetree(value, base)),
    progress: (value) => (keep('progress', value), stream.progress(value)),
    reference: (value, iconPath) => (keep('reference', plain(value)), stream.reference(value, iconPath)),
    push: (part) => (keep('push', part.constructor.name), stream.push(part)),
  };
  return recorder;
}
