import * as path from 'node:path';
import { slug } from '../agent/model';
import { findOperation, runOperation, type OperationContext } from '../agent/operations';
import { AgentSessions } from '../agent/sessions';
import { loadWorkspace, type Workspace } from '../context/resolve';
import { isSessionLogError } from '../errors';
import { compactTime } from '../model/time';
import type { Deps } from '../ports';
import { withLock } from '../storage/lock';
import { resumeContext } from '../usecases/resume';
import { agentSpec, type AgentSpec, type HookEvent, type HookPayload } from './agents';
import { HOOK_DIR, writeHookLog } from './hookLog';
import { summarizeSession } from './summary';
import { recordTool, type ToolRecord } from './tools';
import { lastClaudeTurn } from './transcript';

/**
 * `sessionlog hook <agent>`: one hook invocation (a JSON payload on stdin) mapped onto the
 * agent protocol with explicit ids, so every invocation is a fresh process that relies on no
 * memory but the knowledge base. A small state file per agent session (under the knowledge
 * base's `.sessionlog/hooks/`, taken under its lock) names the session and its turn and keeps
 * the keys of the events already recorded: concurrent hooks take turns, and a retried event
 * is recorded once. Whatever goes wrong is one line in `.sessionlog/hooks.log`; the agent sees
 * nothing but the resume context at session start.
 */
export interface HookResult {
  /** What to print on standard output (only what the agent is meant to read), or nothing. */
  stdout?: string;
}

export interface CaptureSettings {
  prompts: boolean;
  answers: boolean;
  tools: boolean;
  files: boolean;
  /** A prompt beginning with this turns logging off for the rest of the agent's session. */
  marker: string;
}

interface HookState {
  sessionId?: string;
  closed?: boolean;
  optOut?: boolean;
  turns: number;
  turn?: { requestId: string; status: 'in_progress' | 'completed' | 'failed'; title: string };
  /** Keys of the events recorded since the last turn boundary. */
  seen: string[];
  model?: string;
  /** An answer that came before the stop (Cursor's afterAgentResponse). */
  answer?: string;
  parentSessionId?: string;
  title?: string;
}

const LOCK_TIMEOUT_MS = 10_000;
const MAX_SEEN = 2_000;
const TITLE_MAX = 80;
const CONTEXT_MAX = 4_000;
/** How long a session with no end event stays open before the next session start ends it. */
const IDLE_HOURS = 4;

/** Runs one hook invocation. Never throws: a failure is logged in the knowledge base (when there is one) and given up. */
export async function runHook(deps: Deps, agentKey: string, payloadText: string, eventArg?: string): Promise<HookResult> {
  if (isOn(deps.env.get('SESSIONLOG_DISABLE'))) return {};
  const agent = agentSpec(agentKey);
  if (!agent) return {};
  let workspace: Workspace | undefined;
  let payload: HookPayload | undefined;
  try {
    const raw = parseJson(payloadText);
    payload = raw ? agent.parse(raw, eventArg) : undefined;
    const cwd = payload?.cwd ?? deps.env.get('CLAUDE_PROJECT_DIR') ?? deps.env.cwd();
    workspace = await loadWorkspace(deps, { cwd });
    if (!payload) throw new Error(`the payload on standard input is not a JSON object (${payloadText.length} bytes)`);
    if (payload.event.kind === 'ignore') return {};
    if (!payload.nativeSessionId) throw new Error(`the ${payload.eventName || 'event'} payload has no session id`);
    const capture = captureSettings(deps, workspace);
    return await new HookRun(deps, agent, workspace, payload, capture, hashOf(payloadText)).run();
  } catch (error) {
    // No knowledge base here: nothing to do, and nowhere to say so.
    if (!workspace) return {};
    const what = payload ? `${agent.key} ${payload.eventName || '?'} ${payload.nativeSessionId ?? ''}`.trim() : agent.key;
    const message = isSessionLogError(error) ? `${error.code}: ${error.message}` : ((error as Error).message ?? String(error));
    await writeHookLog(deps, workspace.kbRoot, `${what}: ${message}`).catch(() => undefined);
    return {};
  }
}

/** What the hooks capture: `SESSIONLOG_CAPTURE` (a comma list), else `.kbcontext` `hook_capture`; all by default. */
export function captureSettings(deps: Pick<Deps, 'env'>, workspace: Workspace): CaptureSettings {
  const extra = workspace.context?.extra ?? {};
  const listed = deps.env.get('SESSIONLOG_CAPTURE') ?? extra.hook_capture;
  const items =
    listed === undefined
      ? undefined
      : (Array.isArray(listed) ? listed.map(String) : String(listed).split(',')).map((item) => item.trim().toLowerCase()).filter(Boolean);
  const has = (name: string) => !items || items.includes(name) || items.includes('all');
  const marker = deps.env.get('SESSIONLOG_NOLOG_MARKER') ?? (typeof extra.hook_nolog_marker === 'string' ? extra.hook_nolog_marker : '#nolog');
  return { prompts: has('prompts'), answers: has('answers'), tools: has('tools'), files: has('files'), marker };
}

class HookRun {
  private readonly context: OperationContext;
  private readonly stateDir: string;

  constructor(
    private readonly deps: Deps,
    private readonly agent: AgentSpec,
    private readonly workspace: Workspace,
    private readonly payload: HookPayload,
    private readonly capture: CaptureSettings,
    private readonly payloadHash: string,
  ) {
    const options = { cwd: workspace.cwd, kbRoot: workspace.kbRoot };
    this.context = { sessions: new AgentSessions(deps, options), deps, workspace: options, writeOptions: { redact: true } };
    this.stateDir = path.posix.join(workspace.kbRoot, HOOK_DIR, 'hooks');
  }

  async run(): Promise<HookResult> {
    const { event, nativeSessionId } = this.payload;
    const native = nativeSessionId!;
    if (event.kind === 'start') {
      await this.withState(native, async (state) => {
        if (this.payload.model) state.model = this.payload.model;
        // A session resumed after it was closed continues as a new one.
        if (state.closed) Object.assign(state, { sessionId: undefined, closed: false, turn: undefined, turns: 0, seen: [] });
      });
      await this.endIdleSessions(native).catch((error: Error) =>
        writeHookLog(this.deps, this.workspace.kbRoot, `${this.agent.key} SessionStart: ending idle sessions: ${error.message}`),
      );
      return this.startOutput();
    }
    if (event.kind === 'subagentStart' || event.kind === 'subagentStop') return this.subagent(native, event);
    const target = this.payload.subagentId ? `${native}-${this.payload.subagentId}` : native;
    await this.withState(target, (state) => this.apply(state, event, target !== native ? native : undefined));
    return event.kind === 'prompt' && this.agent.contextOutput === 'cursor' ? { stdout: JSON.stringify({ continue: true }) } : {};
  }

  /** Reads the agent session's state under its lock, lets `work` change it, writes it back. */
  private async withState(native: string, work: (state: HookState) => Promise<void> | void): Promise<void> {
    const file = path.posix.join(this.stateDir, `${this.agent.name}-${nativeSlug(native)}.json`);
    await this.deps.fs.mkdirp(this.stateDir);
    await withLock(
      this.deps,
      file,
      async () => {
        const state = readState(await this.deps.fs.readText(file));
        await work(state);
        state.seen = state.seen.slice(-MAX_SEEN);
        await this.deps.fs.writeAtomic(file, `${JSON.stringify(state)}\n`);
      },
      { timeoutMs: Number(this.deps.env.get('SESSIONLOG_HOOK_LOCK_MS')) || LOCK_TIMEOUT_MS },
    );
  }

  private async apply(state: HookState, event: HookEvent, parentNative?: string): Promise<void> {
    if (state.optOut) return;
    if (this.payload.model) state.model = this.payload.model;
    const key = event.kind === 'tool' && event.toolUseId ? `tool:${event.toolUseId}` : `h:${this.payloadHash}`;
    if (state.seen.includes(key)) return;
    switch (event.kind) {
      case 'prompt': {
        if (event.prompt.trimStart().startsWith(this.capture.marker)) {
          state.optOut = true;
          return;
        }
        const title = this.capture.prompts ? titleOf(event.prompt) : `Prompt ${state.turns + 1}`;
        await this.beginTurn(state, title, this.capture.prompts ? event.prompt : '');
        state.seen = [key];
        return;
      }
      case 'tool': {
        if (!this.capture.tools) return;
        const record = this.fileFilter(recordTool({ name: event.tool, input: event.input, response: event.response }, this.payload.cwd));
        state.seen.push(key);
        if (record.actions.length === 0 && record.dialog.length === 0) return;
        await this.ensureTurn(state, parentNative);
        await this.record(state, record);
        return;
      }
      case 'answer':
        state.answer = event.text;
        return;
      case 'stop':
        await this.stop(state, event);
        state.seen.push(key);
        return;
      case 'compact':
        if (state.turn?.status === 'in_progress') {
          await this.op('appendDialog', {
            sessionId: state.sessionId,
            turnRequestId: state.turn.requestId,
            dialogItems: [
              { role: 'system', category: 'observation', content: `The agent compacted its context${event.trigger ? ` (${event.trigger})` : ''}.` },
            ],
          });
        }
        state.seen.push(key);
        return;
      case 'end':
        await this.end(state, event.reason);
        state.seen.push(key);
        return;
      default:
    }
  }

  /** The session for this agent session, opened on first need (its title is the first prompt's). */
  private async ensureSession(state: HookState, title: string, parentNative?: string): Promise<string> {
    if (state.sessionId && !state.closed) return state.sessionId;
    const native = parentNative ? `${parentNative}-${this.payload.subagentId ?? 'subagent'}` : this.payload.nativeSessionId!;
    const sessionId = `${this.agent.name}-${compactTime(this.deps.clock.now())}-${nativeSlug(native)}`;
    const parent = state.parentSessionId ?? (parentNative ? await this.sessionIdOf(parentNative) : undefined);
    await this.op('openSession', {
      agent: this.agent.name,
      title,
      sessionId,
      resume: true,
      ...(state.model ? { model: state.model } : {}),
      ...(parent && supportsParam('openSession', 'parentSessionId') ? { parentSessionId: parent } : {}),
    });
    Object.assign(state, { sessionId, closed: false, turns: 0, turn: undefined, title, ...(parent ? { parentSessionId: parent } : {}) });
    return sessionId;
  }

  /** The session id another agent session's state names (a subagent's parent), read without its lock. */
  private async sessionIdOf(native: string): Promise<string | undefined> {
    const file = path.posix.join(this.stateDir, `${this.agent.name}-${nativeSlug(native)}.json`);
    return readState(await this.deps.fs.readText(file)).sessionId;
  }

  private async beginTurn(state: HookState, title: string, text: string, parentNative?: string): Promise<void> {
    const sessionId = await this.ensureSession(state, title, parentNative);
    const number = state.turns + 1;
    const requestId = `req-${compactTime(this.deps.clock.now())}-${slug(title, 'turn').slice(0, 30).replace(/-+$/, '')}-${number}`;
    const params = { sessionId, requestId, queryTitle: title, ...(text ? { queryText: text } : {}) };
    // A turn still in progress was abandoned (Ctrl+C fires no hook): beginTurn ends it failed, superseded by this one.
    await this.op('beginTurn', params);
    state.turns = number;
    state.turn = { requestId, status: 'in_progress', title };
    state.answer = undefined;
  }

  /** A turn to record into: the current one, or (after a stop the agent was made to continue from) a continuation. */
  private async ensureTurn(state: HookState, parentNative?: string): Promise<void> {
    if (state.turn?.status === 'in_progress' && state.sessionId && !state.closed) return;
    const title = state.turn ? `${state.turn.title} (continued)` : `Work in ${path.posix.basename(this.payload.cwd ?? this.workspace.cwd) || 'the project'}`;
    await this.beginTurn(state, title.slice(0, TITLE_MAX), '', parentNative);
  }

  private async record(state: HookState, record: ToolRecord): Promise<void> {
    const ids = { sessionId: state.sessionId, turnRequestId: state.turn!.requestId };
    if (record.actions.length > 0) await this.op('appendActions', { ...ids, actions: record.actions });
    if (record.dialog.length > 0) await this.op('appendDialog', { ...ids, dialogItems: record.dialog });
  }

  private fileFilter(record: ToolRecord): ToolRecord {
    if (this.capture.files) return record;
    return {
      actions: record.actions.map((action) => (action.filePath ? { ...action, filePath: '', description: `${action.type} of a file` } : action)),
      dialog: record.dialog,
    };
  }

  /** The turn completes with the answer (the payload's, else the transcript's), after recording the tool calls no hook reported. */
  private async stop(state: HookState, event: Extract<HookEvent, { kind: 'stop' }>): Promise<void> {
    if (state.turn?.status !== 'in_progress' || !state.sessionId) return;
    let answer = event.answer ?? state.answer;
    const transcript = event.transcriptPath ?? this.payload.transcriptPath;
    if (transcript && this.agent.key === 'claude-code') {
      const turn = await lastClaudeTurn(this.deps.fs, transcript, this.payload.cwd).catch(() => undefined);
      answer ??= turn?.answer;
      if (turn && this.capture.tools) {
        for (const call of turn.calls) {
          if (!call.id || state.seen.includes(`tool:${call.id}`)) continue;
          state.seen.push(`tool:${call.id}`);
          const record = this.fileFilter(call);
          if (record.actions.length > 0 || record.dialog.length > 0) await this.record(state, record);
        }
      }
    }
    await this.op('completeTurn', {
      sessionId: state.sessionId,
      turnRequestId: state.turn.requestId,
      ...(answer && this.capture.answers ? { response: answer } : {}),
    });
    state.turn.status = 'completed';
    state.answer = undefined;
  }

  /**
   * Sessions of this agent that never saw their end (Ctrl+C fires no hook) and have been idle for
   * `SESSIONLOG_HOOK_IDLE_HOURS` (4 by default) end now, as at a session end, so their summary reaches the
   * project's entry. Each is ended under its own state lock, so two agents starting at once end it once.
   */
  private async endIdleSessions(current: string): Promise<void> {
    const hours = Number(this.deps.env.get('SESSIONLOG_HOOK_IDLE_HOURS') ?? IDLE_HOURS);
    const idleBefore = this.deps.clock.now().getTime() - (Number.isFinite(hours) ? hours : IDLE_HOURS) * 3_600_000;
    const open = await this.context.sessions.queryHistory({ agent: this.agent.name, status: 'in_progress', limit: 20 });
    for (const session of open.sessions) {
      const native = /^[A-Za-z0-9]+-\d{8}T\d{6}Z-(.+)$/.exec(session.sessionId)?.[1];
      if (!native || native === nativeSlug(current) || Date.parse(session.lastUpdated) > idleBefore) continue;
      await this.withState(native, async (state) => {
        if (state.sessionId === session.sessionId) await this.end(state, `idle since ${session.lastUpdated}, with no session end`);
      });
    }
  }

  /** The session ends: an unfinished turn fails, the session closes, and the project's entry gets its summary. */
  private async end(state: HookState, reason?: string): Promise<void> {
    if (!state.sessionId || state.closed) return;
    // closeSession ends a turn still in progress as failed (session_closed).
    if (state.turn?.status === 'in_progress') state.turn.status = 'failed';
    await this.op('closeSession', { sessionId: state.sessionId, ...(reason ? { summary: `Ended by ${this.agent.displayName}: ${reason}.` } : {}) });
    state.closed = true;
    await summarizeSession(this.deps, this.context, this.agent, state.sessionId);
  }

  private async subagent(native: string, event: Extract<HookEvent, { kind: 'subagentStart' | 'subagentStop' }>): Promise<HookResult> {
    const subNative = `${native}-${event.agentId}`;
    const title = `${event.agentType} subagent`;
    let answer: string | undefined;
    let subSession: string | undefined;
    await this.withState(subNative, async (state) => {
      if (state.optOut) return;
      const key = `h:${this.payloadHash}`;
      if (state.seen.includes(key)) return;
      const scoped = { ...this.payload, subagentId: event.agentId };
      const run = new HookRun(this.deps, this.agent, this.workspace, scoped, this.capture, this.payloadHash);
      if (event.kind === 'subagentStart') {
        if (!state.turn) await run.beginTurn(state, title, '', native);
      } else {
        if (!state.turn) await run.beginTurn(state, title, '', native);
        answer = event.answer ?? (event.transcriptPath ? (await lastClaudeTurn(this.deps.fs, event.transcriptPath).catch(() => undefined))?.answer : undefined);
        await run.stop(state, { kind: 'stop', ...(answer ? { answer } : {}) });
        await run.op('closeSession', { sessionId: state.sessionId });
        state.closed = true;
      }
      subSession = state.sessionId;
      state.seen.push(key);
    });
    if (event.kind === 'subagentStop' && subSession) {
      await this.withState(native, async (state) => {
        if (state.optOut || state.turn?.status !== 'in_progress') return;
        const first = answer && this.capture.answers ? `: ${answer.split('\n')[0]!.slice(0, 200)}` : '.';
        await this.op('appendDialog', {
          sessionId: state.sessionId,
          turnRequestId: state.turn.requestId,
          dialogItems: [{ role: 'tool', category: 'tool_result', content: `Subagent ${event.agentType} finished (session ${subSession})${first}` }],
        });
      });
    }
    return {};
  }

  private async startOutput(): Promise<HookResult> {
    if (this.agent.contextOutput === 'none') return {};
    const text = await this.resumeText().catch(() => undefined);
    if (!text) return {};
    if (this.agent.contextOutput === 'cursor') return { stdout: JSON.stringify({ additional_context: text }) };
    return { stdout: JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: text } }) };
  }

  /** The project's log where it left off, for the agent's context at the start of a session. */
  private async resumeText(): Promise<string | undefined> {
    const resume = await resumeContext(this.deps, { cwd: this.workspace.cwd, kbRoot: this.workspace.kbRoot });
    if (resume.lastSessions.length === 0 && resume.openFollowUps.length === 0) return undefined;
    const lines = [`Session Log: this project's log is ${resume.path} in the knowledge base. This session is logged there automatically.`];
    if (resume.next) lines.push('', `Where the last session left off (${resume.next.heading}):`, resume.next.text);
    if (resume.lastSessions.length > 0) {
      lines.push('', 'Recent sessions:');
      for (const session of resume.lastSessions) lines.push(`- ${session.heading}: ${session.message.split('\n')[0]!.slice(0, 200)}`);
    }
    if (resume.openFollowUps.length > 0) {
      lines.push('', 'Open follow-ups:');
      for (const item of resume.openFollowUps.slice(0, 10)) lines.push(`- [ ] ${item.text}`);
    }
    if (resume.recentDecisions.length > 0) {
      lines.push('', 'Recent decisions:');
      for (const decision of resume.recentDecisions) lines.push(`- ${decision.decision}${decision.rationale ? ` (${decision.rationale})` : ''}`);
    }
    const text = lines.join('\n');
    return text.length > CONTEXT_MAX ? `${text.slice(0, CONTEXT_MAX)}…` : text;
  }

  async op(name: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const operation = findOperation(name)!;
    return (await runOperation(this.context, operation, params)).result;
  }
}

/** An agent's own id as the suffix of ours: lower case, other characters as `-`, never cut short (so ids stay distinct). */
export function nativeSlug(id: string): string {
  return (
    id
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'session'
  );
}

function supportsParam(operation: string, param: string): boolean {
  return !!findOperation(operation)?.params.properties[param];
}

function readState(text: string | undefined): HookState {
  if (text) {
    try {
      const value = JSON.parse(text) as HookState;
      if (value && typeof value === 'object' && Array.isArray(value.seen)) return value;
    } catch {
      // A torn state file (it is written atomically, so only by hand) starts afresh.
    }
  }
  return { turns: 0, seen: [] };
}

/** A prompt's first non-empty line, shortened, as the turn's title. */
export function titleOf(prompt: string): string {
  const line =
    prompt
      .split('\n')
      .map((item) => item.trim())
      .find(Boolean) ?? 'Prompt';
  return line.length > TITLE_MAX ? `${line.slice(0, TITLE_MAX - 1)}…` : line;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isOn(value: string | undefined): boolean {
  return !!value && !/^(0|false|no|off)$/i.test(value.trim());
}

/** A 64-bit FNV-1a of the text, as hex: the same payload twice is the same event. */
export function hashOf(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x01000193 ^ 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
