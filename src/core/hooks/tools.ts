import * as path from 'node:path';
import type { ActionType } from '../agent/model';

/**
 * What one tool call of an agent becomes in the log, the same for a live hook and an imported
 * transcript: file edits, creations, commits, dependencies and web sources as the protocol's
 * actions; shell commands (which have no action type) as a tool-call dialog item. Reads and
 * searches are left out: they change nothing and would drown the record.
 */
export interface ToolRecord {
  actions: { type: ActionType; description: string; filePath: string }[];
  dialog: { role: 'tool'; category: 'tool_call'; content: string }[];
}

const EMPTY: ToolRecord = { actions: [], dialog: [] };

/** Tool names, lower-cased and without separators, as each agent spells them. */
const EDIT_TOOLS = new Set(['edit', 'multiedit', 'notebookedit', 'replace', 'strreplacebasededittool', 'editfile', 'editnotebook', 'searchreplace']);
const WRITE_TOOLS = new Set(['write', 'create', 'writefile', 'createfile']);
const DELETE_TOOLS = new Set(['delete', 'deletefile']);
const SHELL_TOOLS = new Set(['bash', 'shell', 'execcommand', 'runshellcommand', 'powershell', 'localshell', 'runterminalcmd']);
const WEB_TOOLS = new Set(['webfetch', 'websearch', 'webfetchtool', 'googlewebsearch', 'fetch']);
const PATCH_TOOLS = new Set(['applypatch']);
const SUBAGENT_TOOLS = new Set(['task', 'agent']);

export interface ToolCall {
  name: string;
  input: unknown;
  /** What the tool answered, where the agent gives it (Claude Code's Write says whether it created or updated). */
  response?: unknown;
}

/** The actions and dialog of one tool call; `cwd` makes file paths inside the project relative. */
export function recordTool(call: ToolCall, cwd: string | undefined): ToolRecord {
  const name = call.name.toLowerCase().replace(/[^a-z]/g, '');
  const input = objectOf(call.input);
  const file = filePathOf(input, cwd);
  if (EDIT_TOOLS.has(name)) return file ? one('edit', `Edited ${file}`, file) : EMPTY;
  if (WRITE_TOOLS.has(name)) {
    if (!file) return EMPTY;
    const updated = objectOf(call.response).type === 'update';
    return updated ? one('edit', `Rewrote ${file}`, file) : one('create', `Created ${file}`, file);
  }
  if (DELETE_TOOLS.has(name)) return file ? one('delete', `Deleted ${file}`, file) : EMPTY;
  if (PATCH_TOOLS.has(name)) {
    return patchRecord(typeof call.input === 'string' ? call.input : (stringOf(input.input) ?? stringOf(input.patch) ?? stringOf(input.command) ?? ''), cwd);
  }
  if (SHELL_TOOLS.has(name)) return shellRecord(commandOf(input.command ?? input.cmd ?? call.input), cwd);
  if (WEB_TOOLS.has(name)) {
    const target = stringOf(input.url) ?? stringOf(input.query) ?? stringOf(input.prompt);
    return target ? one('web_reference', target, '') : EMPTY;
  }
  if (SUBAGENT_TOOLS.has(name)) {
    const what = stringOf(input.description) ?? stringOf(input.prompt)?.split('\n')[0];
    return what
      ? {
          actions: [],
          dialog: [{ role: 'tool', category: 'tool_call', content: `Subagent${input.subagent_type ? ` (${String(input.subagent_type)})` : ''}: ${what}` }],
        }
      : EMPTY;
  }
  return EMPTY;
}

/** A shell command: a commit or a package added are actions; anything else is recorded as run. */
function shellRecord(command: string | undefined, cwd: string | undefined): ToolRecord {
  if (!command || command.trim() === '') return EMPTY;
  const trimmed = command.trim();
  const firstLine = trimmed.split('\n')[0]!;
  const patch = /\*\*\* Begin Patch/.test(trimmed) ? patchRecord(trimmed, cwd) : undefined;
  if (patch && patch.actions.length > 0) return patch;
  const actions: ToolRecord['actions'] = [];
  if (/\bgit\s+(?:-\S+\s+)*commit\b/.test(trimmed)) actions.push({ type: 'commit', description: firstLine, filePath: '' });
  const added = /\b(?:npm\s+(?:install|i|add)|yarn\s+add|pnpm\s+add|pip3?\s+install|cargo\s+add|go\s+get|uv\s+add|poetry\s+add)\s+(?!-)(\S+)/.exec(trimmed);
  if (added) actions.push({ type: 'dependency_add', description: firstLine, filePath: '' });
  return { actions, dialog: [{ role: 'tool', category: 'tool_call', content: `$ ${trimmed}` }] };
}

/** Codex's apply_patch envelope: one action per file it adds, updates or deletes. */
function patchRecord(patch: string, cwd: string | undefined): ToolRecord {
  const actions: ToolRecord['actions'] = [];
  for (const match of patch.matchAll(/^\*\*\* (Add|Update|Delete) File: (.+)$/gm)) {
    const file = relativeTo(match[2]!.trim(), cwd);
    const type = match[1] === 'Add' ? 'create' : match[1] === 'Delete' ? 'delete' : 'edit';
    actions.push({ type, description: `${type === 'create' ? 'Created' : type === 'delete' ? 'Deleted' : 'Edited'} ${file}`, filePath: file });
  }
  return { actions, dialog: [] };
}

function one(type: ActionType, description: string, filePath: string): ToolRecord {
  return { actions: [{ type, description, filePath }], dialog: [] };
}

function filePathOf(input: Record<string, unknown>, cwd: string | undefined): string | undefined {
  const raw = stringOf(input.file_path) ?? stringOf(input.filePath) ?? stringOf(input.path) ?? stringOf(input.notebook_path) ?? stringOf(input.target_file);
  return raw ? relativeTo(raw, cwd) : undefined;
}

/** A path inside the project as relative to it, with `/`; any other as given. */
export function relativeTo(file: string, cwd: string | undefined): string {
  const posix = file.replace(/\\/g, '/');
  if (!cwd || !path.posix.isAbsolute(posix)) return posix;
  const relative = path.posix.relative(cwd.replace(/\\/g, '/'), posix);
  return relative && !relative.startsWith('..') && !path.posix.isAbsolute(relative) ? relative : posix;
}

function commandOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    // Copilot and Cursor may hand the arguments as a JSON string.
    if (value.trim().startsWith('{')) {
      try {
        return commandOf(objectOf(JSON.parse(value)).command);
      } catch {
        return value;
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(String).join(' ');
  return undefined;
}

/** An object from a value that may be one, or a JSON string of one. */
export function objectOf(value: unknown): Record<string, unknown> {
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      return objectOf(JSON.parse(value));
    } catch {
      return {};
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
