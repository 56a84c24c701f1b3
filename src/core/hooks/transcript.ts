import type { FileSystem } from '../ports';
import { objectOf, recordTool, stringOf, type ToolRecord } from './tools';

/**
 * Agents' own transcripts (Claude Code's `<session>.jsonl`, Codex's `rollout-*.jsonl`) read as
 * turns: one per user prompt, with the answer, the tool calls as actions and the times. Read
 * as a stream in fixed chunks, so a transcript of any size takes bounded memory; a line that
 * is not JSON (or is larger than any real one) is skipped and counted.
 */
export interface TranscriptTurn {
  prompt: string;
  started: string;
  /** When the last thing in the turn happened. */
  ended: string;
  answer?: string;
  model?: string;
  /** Each tool call's record, with the agent's id for it (so a hook that reports it too is not recorded twice). */
  calls: ToolCallRecord[];
  /** The agent says the turn finished (Codex's task_complete; for Claude Code an answer after the last tool call). */
  finished: boolean;
}

export interface ToolCallRecord extends ToolRecord {
  id?: string;
}

export interface TranscriptInfo {
  sessionId?: string;
  cwd?: string;
  model?: string;
  started?: string;
}

export interface TranscriptStats {
  lines: number;
  skipped: number;
}

const CHUNK = 1024 * 1024;
const MAX_LINE = 32 * 1024 * 1024;

/** The file's lines from byte `start`, decoded as UTF-8; lines over 32 MB come out as undefined (skipped). */
export async function* readLines(fs: FileSystem, file: string, start = 0): AsyncGenerator<string | undefined> {
  const decoder = new TextDecoder();
  let pending = '';
  let overlong = false;
  for (let offset = start; ; offset += CHUNK) {
    const bytes = await fs.readRange(file, offset, CHUNK);
    const text = decoder.decode(bytes, { stream: bytes.length === CHUNK });
    const parts = (pending + text).split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) {
      if (overlong) {
        overlong = false;
        yield undefined;
      } else yield part;
    }
    if (pending.length > MAX_LINE) {
      pending = '';
      overlong = true;
    }
    if (bytes.length < CHUNK) break;
  }
  if (overlong) yield undefined;
  else if (pending.trim() !== '') yield pending;
}

/** The last `length` bytes of a file's lines (the first, probably cut, dropped). */
export async function* tailLines(fs: FileSystem, file: string, length: number): AsyncGenerator<string | undefined> {
  const size = (await fs.stat(file))?.size ?? 0;
  const start = Math.max(0, size - length);
  let first = start > 0;
  for await (const line of readLines(fs, file, start)) {
    if (first) {
      first = false;
      continue;
    }
    yield line;
  }
}

type Json = Record<string, unknown>;

function parseLine(line: string | undefined, stats: TranscriptStats): Json | undefined {
  stats.lines++;
  if (line === undefined) {
    stats.skipped++;
    return undefined;
  }
  if (line.trim() === '') {
    stats.lines--;
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  } catch {
    // counted below
  }
  stats.skipped++;
  return undefined;
}

function newTurn(prompt: string, at: string): TranscriptTurn {
  return { prompt, started: at, ended: at, calls: [], finished: false };
}

/** Text blocks of a message's content, joined. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block) => {
      const item = objectOf(block);
      return item.type === 'text' || item.type === 'input_text' || item.type === 'output_text' ? String(item.text ?? '') : '';
    })
    .filter(Boolean)
    .join('\n');
}

/** A user line of Claude Code that is a person's prompt: not a tool result, not injected (isMeta), not a command's echo. */
function claudePrompt(line: Json): string | undefined {
  if (line.type !== 'user' || line.isMeta === true || line.isCompactSummary === true || line.isSidechain === true) return undefined;
  const content = objectOf(line.message).content;
  if (Array.isArray(content) && content.some((block) => objectOf(block).type === 'tool_result')) return undefined;
  const text = textOf(content).trim();
  if (text === '' || /^<(local-command-stdout|command-name|command-message|bash-stdout|bash-input)>/.test(text)) return undefined;
  return text;
}

/** Claude Code's transcript, turn by turn. `info` is filled in as the lines go by. */
export async function* claudeTurns(
  lines: AsyncIterable<string | undefined>,
  info: TranscriptInfo,
  stats: TranscriptStats,
  cwdHint?: string,
): AsyncGenerator<TranscriptTurn> {
  let turn: TranscriptTurn | undefined;
  let answerAfterTools = false;
  for await (const raw of lines) {
    const line = parseLine(raw, stats);
    if (!line) continue;
    const at = stringOf(line.timestamp);
    info.sessionId ??= stringOf(line.sessionId);
    info.cwd ??= stringOf(line.cwd);
    if (at) info.started ??= at;
    const prompt = claudePrompt(line);
    if (prompt !== undefined) {
      if (turn) yield { ...turn, finished: answerAfterTools };
      turn = newTurn(prompt, at ?? info.started ?? '');
      answerAfterTools = false;
      continue;
    }
    if (!turn || line.type !== 'assistant' || line.isSidechain === true) continue;
    if (at) turn.ended = at;
    const message = objectOf(line.message);
    const model = stringOf(message.model);
    if (model && model !== '<synthetic>') turn.model = info.model = model;
    const content = Array.isArray(message.content) ? message.content : [];
    for (const block of content) {
      const item = objectOf(block);
      if (item.type === 'text' && stringOf(item.text)) {
        turn.answer = String(item.text);
        answerAfterTools = true;
      } else if (item.type === 'tool_use') {
        const record = recordTool({ name: String(item.name ?? ''), input: item.input }, info.cwd ?? cwdHint);
        turn.calls.push({ ...record, ...(stringOf(item.id) ? { id: String(item.id) } : {}) });
        answerAfterTools = false;
      }
    }
  }
  if (turn) yield { ...turn, finished: answerAfterTools };
}

/** Codex's rollout, turn by turn: a user_message event starts one, task_complete ends it. */
export async function* codexTurns(lines: AsyncIterable<string | undefined>, info: TranscriptInfo, stats: TranscriptStats): AsyncGenerator<TranscriptTurn> {
  let turn: TranscriptTurn | undefined;
  let model: string | undefined;
  for await (const raw of lines) {
    const line = parseLine(raw, stats);
    if (!line) continue;
    const at = stringOf(line.timestamp) ?? '';
    const payload = objectOf(line.payload);
    if (line.type === 'session_meta') {
      info.sessionId ??= stringOf(payload.id);
      info.cwd ??= stringOf(payload.cwd);
      info.started ??= stringOf(payload.timestamp) ?? at;
      continue;
    }
    if (line.type === 'turn_context') {
      model = stringOf(payload.model) ?? model;
      if (model) info.model = model;
      continue;
    }
    if (line.type === 'event_msg' && payload.type === 'user_message') {
      if (turn) yield turn;
      turn = newTurn(String(payload.message ?? ''), at);
      if (model) turn.model = model;
      continue;
    }
    if (!turn) continue;
    if (at && !turn.finished) turn.ended = at;
    if (line.type === 'event_msg' && payload.type === 'agent_message' && stringOf(payload.message)) turn.answer = String(payload.message);
    if (line.type === 'event_msg' && payload.type === 'task_complete') {
      if (stringOf(payload.last_agent_message)) turn.answer = String(payload.last_agent_message);
      turn.finished = true;
    }
    if (line.type === 'response_item') {
      const name = stringOf(payload.name);
      let record: ToolRecord | undefined;
      if ((payload.type === 'function_call' || payload.type === 'custom_tool_call') && name && name !== 'write_stdin' && name !== 'update_plan') {
        record = recordTool({ name, input: payload.type === 'custom_tool_call' ? payload.input : objectOf(payload.arguments) }, info.cwd);
      } else if (payload.type === 'local_shell_call') {
        record = recordTool({ name: 'shell', input: objectOf(payload.action) }, info.cwd);
      } else if (payload.type === 'web_search_call') {
        const query = stringOf(objectOf(payload.action).query) ?? stringOf(objectOf(payload.action).url);
        if (query) record = { actions: [{ type: 'web_reference', description: query, filePath: '' }], dialog: [] };
      }
      if (record) turn.calls.push({ ...record, ...(stringOf(payload.call_id) ? { id: String(payload.call_id) } : {}) });
    }
  }
  if (turn) yield turn;
}

/** The transcript's last turn, read from its tail (growing until a prompt is in view). */
export async function lastClaudeTurn(fs: FileSystem, file: string, cwd?: string): Promise<TranscriptTurn | undefined> {
  const size = (await fs.stat(file))?.size ?? 0;
  for (let length = 256 * 1024; ; length *= 4) {
    let last: TranscriptTurn | undefined;
    const stats = { lines: 0, skipped: 0 };
    for await (const turn of claudeTurns(tailLines(fs, file, length), {}, stats, cwd)) last = turn;
    if (last || length >= size) return last;
  }
}
