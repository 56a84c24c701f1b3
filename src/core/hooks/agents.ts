import { objectOf, stringOf } from './tools';

/**
 * The agents whose hooks we handle: each one's own event names and payload fields (from its
 * hook documentation) mapped onto one small set of events, and where its hook configuration
 * lives. Everything agent-specific is in this file.
 */
export type AgentKey = 'claude-code' | 'codex' | 'copilot' | 'cursor' | 'gemini';
export type Scope = 'local' | 'project' | 'user';

/** One hook invocation, as the handler sees it whatever the agent. */
export type HookEvent =
  | { kind: 'start'; source?: string }
  | { kind: 'prompt'; prompt: string }
  | { kind: 'tool'; tool: string; input: unknown; response?: unknown; toolUseId?: string }
  /** The assistant's answer arrives on its own (Cursor's afterAgentResponse). */
  | { kind: 'answer'; text: string }
  | { kind: 'stop'; answer?: string; transcriptPath?: string }
  | { kind: 'subagentStart'; agentId: string; agentType: string }
  | { kind: 'subagentStop'; agentId: string; agentType: string; answer?: string; transcriptPath?: string }
  | { kind: 'compact'; trigger?: string }
  | { kind: 'end'; reason?: string }
  | { kind: 'ignore' };

export interface HookPayload {
  /** The agent's own session id. */
  nativeSessionId?: string;
  cwd?: string;
  model?: string;
  /** Inside a subagent (Claude Code gives its id on every event it fires). */
  subagentId?: string;
  /** The agent's transcript, where it names one. */
  transcriptPath?: string;
  event: HookEvent;
  /** The event as the agent named it, for the hook log. */
  eventName: string;
}

/** How a resume context is handed back at session start, where the agent reads it. */
export type ContextOutput = 'hookSpecificOutput' | 'cursor' | 'none';

export interface HookConfigEvent {
  /** The event name in the agent's configuration. */
  name: string;
  /** Claude Code's and Codex's tool matcher. */
  matcher?: string;
  /** Run without holding up the agent (Claude Code's `async`), for events whose output the agent does not read. */
  async?: boolean;
}

export interface AgentSpec {
  key: AgentKey;
  /** The protocol's agent name (PascalCase), which starts every session id. */
  name: string;
  displayName: string;
  /** Configuration files by scope, relative to the project folder (local, project) or the home folder (user). */
  files: Partial<Record<Scope, string>>;
  /** The folder whose presence says the agent is used in a project. */
  marker: string;
  /** The shape of the configuration file. */
  style: 'claude' | 'copilot' | 'cursor';
  events: HookConfigEvent[];
  /** Events whose name the payload does not carry: the command line names it (Copilot's camelCase payloads). */
  eventInCommand?: boolean;
  contextOutput: ContextOutput;
  parse(payload: Record<string, unknown>, eventName: string | undefined): HookPayload;
}

const str = (value: unknown): string | undefined => stringOf(value);

/** Claude Code, and Codex and Gemini CLI, which follow its payloads closely. */
function claudeLike(payload: Record<string, unknown>, given: string | undefined, names: Record<string, string>): HookPayload {
  const eventName = given ?? str(payload.hook_event_name) ?? '';
  const base = {
    nativeSessionId: str(payload.session_id),
    cwd: str(payload.cwd),
    model: str(payload.model),
    subagentId: str(payload.agent_id),
    transcriptPath: str(payload.transcript_path),
    eventName,
  };
  const kind = names[eventName];
  const event = ((): HookEvent => {
    switch (kind) {
      case 'start':
        return { kind, source: str(payload.source) };
      case 'prompt':
        return { kind, prompt: String(payload.prompt ?? '') };
      case 'tool':
        return { kind, tool: str(payload.tool_name) ?? '', input: payload.tool_input, response: payload.tool_response, toolUseId: str(payload.tool_use_id) };
      case 'stop':
        return { kind, answer: str(payload.last_assistant_message) ?? str(payload.prompt_response), transcriptPath: base.transcriptPath };
      case 'subagentStart':
        return { kind, agentId: str(payload.agent_id) ?? 'subagent', agentType: str(payload.agent_type) ?? 'subagent' };
      case 'subagentStop':
        return {
          kind,
          agentId: str(payload.agent_id) ?? 'subagent',
          agentType: str(payload.agent_type) ?? 'subagent',
          answer: str(payload.last_assistant_message),
          transcriptPath: str(payload.agent_transcript_path),
        };
      case 'compact':
        return { kind, trigger: str(payload.trigger) };
      case 'end':
        return { kind, reason: str(payload.reason) };
      default:
        return { kind: 'ignore' };
    }
  })();
  // A subagent's own stop and start belong to the parent's record; its tool calls to its own session.
  if (event.kind === 'subagentStart' || event.kind === 'subagentStop') return { ...base, subagentId: undefined, event };
  return { ...base, event };
}

const CLAUDE_EVENTS = {
  SessionStart: 'start',
  UserPromptSubmit: 'prompt',
  PostToolUse: 'tool',
  Stop: 'stop',
  SubagentStart: 'subagentStart',
  SubagentStop: 'subagentStop',
  PreCompact: 'compact',
  SessionEnd: 'end',
};

export const AGENTS: readonly AgentSpec[] = [
  {
    key: 'claude-code',
    name: 'ClaudeCode',
    displayName: 'Claude Code',
    files: { local: '.claude/settings.local.json', project: '.claude/settings.json', user: '.claude/settings.json' },
    marker: '.claude',
    style: 'claude',
    events: [
      { name: 'SessionStart' },
      { name: 'UserPromptSubmit' },
      { name: 'PostToolUse', matcher: '*', async: true },
      { name: 'Stop' },
      { name: 'SubagentStart' },
      { name: 'SubagentStop' },
      { name: 'PreCompact' },
      { name: 'SessionEnd' },
    ],
    contextOutput: 'hookSpecificOutput',
    parse: (payload, event) => claudeLike(payload, event, CLAUDE_EVENTS),
  },
  {
    key: 'codex',
    name: 'Codex',
    displayName: 'Codex',
    files: { project: '.codex/hooks.json', user: '.codex/hooks.json' },
    marker: '.codex',
    style: 'claude',
    events: [{ name: 'SessionStart' }, { name: 'UserPromptSubmit' }, { name: 'PostToolUse', matcher: '*' }, { name: 'Stop' }, { name: 'PreCompact' }],
    contextOutput: 'hookSpecificOutput',
    parse: (payload, event) =>
      claudeLike(payload, event, { SessionStart: 'start', UserPromptSubmit: 'prompt', PostToolUse: 'tool', Stop: 'stop', PreCompact: 'compact' }),
  },
  {
    key: 'gemini',
    name: 'Gemini',
    displayName: 'Gemini CLI',
    files: { project: '.gemini/settings.json', user: '.gemini/settings.json' },
    marker: '.gemini',
    style: 'claude',
    events: [
      { name: 'SessionStart' },
      { name: 'BeforeAgent' },
      { name: 'AfterTool', matcher: '*' },
      { name: 'AfterAgent' },
      { name: 'PreCompress' },
      { name: 'SessionEnd' },
    ],
    contextOutput: 'hookSpecificOutput',
    parse: (payload, event) =>
      claudeLike(payload, event, {
        SessionStart: 'start',
        BeforeAgent: 'prompt',
        AfterTool: 'tool',
        AfterAgent: 'stop',
        PreCompress: 'compact',
        SessionEnd: 'end',
      }),
  },
  {
    key: 'copilot',
    name: 'Copilot',
    displayName: 'GitHub Copilot CLI and coding agent',
    files: { project: '.github/hooks/sessionlog.json', user: '.copilot/hooks/sessionlog.json' },
    marker: '.github',
    style: 'copilot',
    events: [
      { name: 'sessionStart' },
      { name: 'userPromptSubmitted' },
      { name: 'postToolUse' },
      { name: 'agentStop' },
      { name: 'subagentStop' },
      { name: 'preCompact' },
      { name: 'sessionEnd' },
    ],
    eventInCommand: true,
    contextOutput: 'none',
    parse: parseCopilot,
  },
  {
    key: 'cursor',
    name: 'Cursor',
    displayName: 'Cursor',
    files: { project: '.cursor/hooks.json', user: '.cursor/hooks.json' },
    marker: '.cursor',
    style: 'cursor',
    events: [
      { name: 'sessionStart' },
      { name: 'beforeSubmitPrompt' },
      { name: 'afterFileEdit' },
      { name: 'afterShellExecution' },
      { name: 'afterAgentResponse' },
      { name: 'stop' },
      { name: 'subagentStart' },
      { name: 'subagentStop' },
      { name: 'preCompact' },
      { name: 'sessionEnd' },
    ],
    contextOutput: 'cursor',
    parse: parseCursor,
  },
];

export function agentSpec(key: string): AgentSpec | undefined {
  return AGENTS.find((agent) => agent.key === key);
}

export const AGENT_KEYS: readonly AgentKey[] = AGENTS.map((agent) => agent.key);

/** Copilot CLI: camelCase payloads without the event's name (the command line gives it), or the snake_case ones VS Code uses. */
function parseCopilot(payload: Record<string, unknown>, given: string | undefined): HookPayload {
  const eventName = given ?? str(payload.hook_event_name) ?? '';
  const name = eventName.charAt(0).toLowerCase() + eventName.slice(1);
  const transcriptPath = str(payload.transcriptPath) ?? str(payload.transcript_path);
  const base = { nativeSessionId: str(payload.sessionId) ?? str(payload.session_id), cwd: str(payload.cwd), transcriptPath, eventName };
  const event = ((): HookEvent => {
    switch (name) {
      case 'sessionStart':
        return { kind: 'start', source: str(payload.source) };
      case 'userPromptSubmitted':
      case 'userPromptSubmit':
        return { kind: 'prompt', prompt: String(payload.prompt ?? '') };
      case 'postToolUse': {
        const result = objectOf(payload.toolResult ?? payload.tool_result);
        const type = str(result.resultType) ?? str(result.result_type);
        if (type && type !== 'success') return { kind: 'ignore' };
        return { kind: 'tool', tool: str(payload.toolName) ?? str(payload.tool_name) ?? '', input: payload.toolArgs ?? payload.tool_input };
      }
      case 'agentStop':
      case 'stop':
        return { kind: 'stop', transcriptPath };
      case 'subagentStop': {
        const agent = str(payload.agentName) ?? str(payload.agent_name) ?? 'subagent';
        return { kind: 'subagentStop', agentId: agent, agentType: agent };
      }
      case 'preCompact':
        return { kind: 'compact', trigger: str(payload.trigger) };
      case 'sessionEnd':
        return { kind: 'end', reason: str(payload.reason) };
      default:
        return { kind: 'ignore' };
    }
  })();
  return { ...base, event };
}

/** Cursor: camelCase event names, the conversation as the session, the first workspace root as the folder. */
function parseCursor(payload: Record<string, unknown>, given: string | undefined): HookPayload {
  const eventName = given ?? str(payload.hook_event_name) ?? '';
  const roots = Array.isArray(payload.workspace_roots) ? payload.workspace_roots.filter((root): root is string => typeof root === 'string') : [];
  const base = {
    nativeSessionId: str(payload.conversation_id) ?? str(payload.session_id),
    cwd: roots[0] ?? str(payload.cwd),
    model: str(payload.model),
    transcriptPath: str(payload.transcript_path),
    eventName,
  };
  const event = ((): HookEvent => {
    switch (eventName) {
      case 'sessionStart':
        return { kind: 'start' };
      case 'beforeSubmitPrompt':
        return { kind: 'prompt', prompt: String(payload.prompt ?? '') };
      case 'afterFileEdit':
        return { kind: 'tool', tool: 'Edit', input: { file_path: payload.file_path } };
      case 'afterShellExecution':
        return { kind: 'tool', tool: 'Bash', input: { command: payload.command } };
      case 'afterAgentResponse':
        return str(payload.text) ? { kind: 'answer', text: String(payload.text) } : { kind: 'ignore' };
      case 'stop':
        return { kind: 'stop' };
      case 'subagentStart':
      case 'subagentStop': {
        const agentId = str(payload.subagent_id) ?? str(payload.agent_id) ?? 'subagent';
        const agentType = str(payload.subagent_type) ?? str(payload.agent_type) ?? 'subagent';
        return eventName === 'subagentStart'
          ? { kind: 'subagentStart', agentId, agentType }
          : { kind: 'subagentStop', agentId, agentType, answer: str(payload.result) };
      }
      case 'preCompact':
        return { kind: 'compact', trigger: str(payload.trigger) };
      case 'sessionEnd':
        return { kind: 'end', reason: str(payload.reason) };
      default:
        return { kind: 'ignore' };
    }
  })();
  return { ...base, event };
}
