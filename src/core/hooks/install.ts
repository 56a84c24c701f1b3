import { applyEdits, findNodeAtLocation, modify, parse, parseTree, printParseErrorCode, type FormattingOptions, type ParseError } from 'jsonc-parser';
import { SessionLogError } from '../errors';
import type { AgentSpec } from './agents';

/**
 * An agent's hook configuration as text in, text out: what `hooks install` adds, what
 * `uninstall` takes away (exactly our entries, recognised by their command), and whether they
 * are there. Edits go through jsonc-parser, which changes only the lines it must and keeps
 * the file's indentation, comments and every other hook and setting. A file that does not
 * parse is never rewritten: the error names it and where it breaks.
 */
export interface ConfigChange {
  /** The new text; undefined when the file should be removed (nothing of use left in it). */
  text: string | undefined;
  changed: boolean;
}

export type InstallState = 'installed' | 'partial' | 'not installed';

const TIMEOUT_SECONDS = 30;

/** The command line each event runs. */
export function hookCommand(base: string, agent: AgentSpec, event: string): string {
  return `${base} hook ${agent.key}${agent.eventInCommand ? ` ${event}` : ''}`;
}

/** Whether a configured command is ours for this agent: `… sessionlog hook <agent>` or `… cli.js" hook <agent>`. */
export function isOurCommand(command: unknown, agent: AgentSpec): boolean {
  return typeof command === 'string' && new RegExp(`(?:sessionlog|cli\\.js)["']?\\s+hook\\s+${agent.key}(?:\\s|$)`).test(command);
}

type Json = Record<string, unknown>;

function read(text: string | undefined, file: string): Json {
  if (text === undefined || text.trim() === '') return {};
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const error = errors[0]!;
    const line = text.slice(0, error.offset).split('\n').length;
    throw new SessionLogError(
      'invalid_input',
      `${file} is not valid JSON (line ${line}: ${printParseErrorCode(error.error)}); it was left as it is.`,
      { file, line },
      'Fix the file by hand (or move it away), then run the command again.',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SessionLogError(
      'invalid_input',
      `${file} must hold a JSON object; it was left as it is.`,
      { file },
      'Fix the file by hand, then run the command again.',
    );
  }
  const hooks = (value as Json).hooks;
  if (hooks !== undefined && (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks))) {
    throw new SessionLogError(
      'invalid_input',
      `${file}: "hooks" must be an object; it was left as it is.`,
      { file },
      'Fix the file by hand, then run the command again.',
    );
  }
  return value as Json;
}

function formatting(text: string | undefined): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text ?? '')?.[1];
  return {
    insertSpaces: !indent?.startsWith('\t'),
    tabSize: indent && !indent.startsWith('\t') ? indent.length : 2,
    eol: text?.includes('\r\n') ? '\r\n' : '\n',
  };
}

function entriesOf(hooks: Json, event: string): unknown[] {
  const list = hooks[event];
  return Array.isArray(list) ? list : [];
}

/** Whether an event's entries hold our command (directly, or in a Claude-style matcher group). */
function hasOurs(agent: AgentSpec, entries: unknown[]): boolean {
  return entries.some((entry) => {
    const item = (entry ?? {}) as Json;
    if (agent.style === 'claude') return Array.isArray(item.hooks) && item.hooks.some((hook) => isOurCommand((hook as Json)?.command, agent));
    return isOurCommand(item.command ?? item.bash, agent);
  });
}

function entryFor(agent: AgentSpec, base: string, event: AgentSpec['events'][number]): Json {
  const command = hookCommand(base, agent, event.name);
  if (agent.style === 'copilot') return { type: 'command', bash: command, powershell: command, timeoutSec: TIMEOUT_SECONDS };
  if (agent.style === 'cursor') return { command };
  const hook: Json = { type: 'command', command, timeout: TIMEOUT_SECONDS, ...(event.async ? { async: true } : {}) };
  return { ...(event.matcher ? { matcher: event.matcher } : {}), hooks: [hook] };
}

/** Adds our hook for every event the agent has, keeping everything else; unchanged when all are there. */
export function planInstall(agent: AgentSpec, text: string | undefined, file: string, base: string): ConfigChange {
  const config = read(text, file);
  const options = formatting(text);
  let next = text === undefined || text.trim() === '' ? (agent.style === 'claude' ? '{}\n' : '{\n  "version": 1\n}\n') : text;
  const hooks = (config.hooks ?? {}) as Json;
  if (agent.style !== 'claude' && config.version === undefined) next = applyEdits(next, modify(next, ['version'], 1, { formattingOptions: options }));
  for (const event of agent.events) {
    const entries = entriesOf(hooks, event.name);
    if (hasOurs(agent, entries)) continue;
    const entry = entryFor(agent, base, event);
    const current = (read(next, file).hooks ?? {}) as Json;
    if (Array.isArray(current[event.name]) && entriesOf(current, event.name).length > 0) {
      next = appendAfterLast(next, ['hooks', event.name], undefined, entry, options);
    } else if (current[event.name] === undefined && Object.keys(current).length > 0) next = appendAfterLast(next, ['hooks'], event.name, [entry], options);
    else next = applyEdits(next, modify(next, ['hooks', event.name], [entry], { formattingOptions: options }));
  }
  return { text: next, changed: next !== text };
}

/** Removes exactly our entries (and the groups, event lists and hooks object they leave empty). */
export function planUninstall(agent: AgentSpec, text: string | undefined, file: string): ConfigChange {
  if (text === undefined) return { text, changed: false };
  let next = text;
  for (;;) {
    const hooks = (read(next, file).hooks ?? {}) as Json;
    const path = ourPath(agent, hooks);
    if (!path) break;
    next = removeAt(next, path);
  }
  const left = read(next, file);
  if (left.hooks && Object.keys(left.hooks as Json).length === 0 && next !== text) next = removeAt(next, ['hooks']);
  const rest = Object.keys(read(next, file)).filter((key) => !(key === 'version' && agent.style !== 'claude'));
  // A file left with nothing in it (ours alone, like .github/hooks/sessionlog.json) goes.
  if (rest.length === 0 && next !== text) return { text: undefined, changed: true };
  return { text: next, changed: next !== text };
}

/**
 * Appends to a non-empty array (or, with `key`, object) in the style it is written in: on its
 * line when it is on one, else on a line of its own indented as the last member. jsonc-parser
 * would reformat the members before it.
 */
function appendAfterLast(text: string, path: (string | number)[], key: string | undefined, value: unknown, options: FormattingOptions): string {
  const container = findNodeAtLocation(parseTree(text)!, path)!;
  const last = container.children![container.children!.length - 1]!;
  const end = last.offset + last.length;
  const name = key === undefined ? '' : `${JSON.stringify(key)}: `;
  if (!text.slice(container.offset, last.offset).includes('\n')) {
    return `${text.slice(0, end)}, ${name}${JSON.stringify(value).replace(/":/g, '": ').replace(/,"/g, ', "')}${text.slice(end)}`;
  }
  const eol = options.eol ?? '\n';
  const indent = text.slice(text.lastIndexOf('\n', last.offset) + 1, last.offset);
  const unit = options.insertSpaces ? ' '.repeat(options.tabSize ?? 2) : '\t';
  const body = JSON.stringify(value, null, unit).split('\n').join(`${eol}${indent}`);
  return `${text.slice(0, end)},${eol}${indent}${name}${body}${text.slice(end)}`;
}

/**
 * Removes the property or element at `path` with the separator before it (after it, for a
 * first one): the exact inverse of jsonc-parser's insertion at the end, so an uninstall gives
 * back the file byte for byte, and nothing else in it moves.
 */
function removeAt(text: string, path: (string | number)[]): string {
  const value = findNodeAtLocation(parseTree(text)!, path);
  if (!value) return text;
  const target = value.parent?.type === 'property' ? value.parent : value;
  const siblings = target.parent?.children ?? [];
  const index = siblings.indexOf(target);
  const end = target.offset + target.length;
  if (index > 0) {
    const previous = siblings[index - 1]!;
    return text.slice(0, previous.offset + previous.length) + text.slice(end);
  }
  const next = siblings[index + 1];
  if (next) return text.slice(0, target.offset) + text.slice(next.offset);
  const container = target.parent!;
  return text.slice(0, container.offset + 1) + text.slice(container.offset + container.length - 1);
}

/** The JSON path of one thing to remove: an emptied group or event list, else one of our entries. */
function ourPath(agent: AgentSpec, hooks: Json): (string | number)[] | undefined {
  for (const [event, list] of Object.entries(hooks)) {
    if (!Array.isArray(list)) continue;
    if (list.length === 0) continue;
    for (let i = 0; i < list.length; i++) {
      const item = (list[i] ?? {}) as Json;
      if (agent.style === 'claude') {
        if (!Array.isArray(item.hooks)) continue;
        const mine = item.hooks.findIndex((hook) => isOurCommand((hook as Json)?.command, agent));
        if (mine === -1) continue;
        return item.hooks.length === 1 ? (list.length === 1 ? ['hooks', event] : ['hooks', event, i]) : ['hooks', event, i, 'hooks', mine];
      }
      if (isOurCommand(item.command ?? item.bash, agent)) return list.length === 1 ? ['hooks', event] : ['hooks', event, i];
    }
  }
  return undefined;
}

/** Whether every event (or only some) has our hook; a file that does not parse throws. */
export function installState(agent: AgentSpec, text: string | undefined, file: string): InstallState {
  if (text === undefined) return 'not installed';
  const hooks = (read(text, file).hooks ?? {}) as Json;
  const present = agent.events.filter((event) => hasOurs(agent, entriesOf(hooks, event.name))).length;
  return present === 0 ? 'not installed' : present === agent.events.length ? 'installed' : 'partial';
}

/** A line diff of two texts (the changed middle, with a line of context), for --dry-run. */
export function lineDiff(file: string, before: string | undefined, after: string | undefined): string {
  const a = before === undefined ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === undefined ? [] : after.replace(/\n$/, '').split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const from = Math.max(0, start - 1);
  const lines = [`--- ${before === undefined ? '/dev/null' : file}`, `+++ ${after === undefined ? '/dev/null' : file}`, `@@ -${from + 1} +${from + 1} @@`];
  for (let i = from; i < start; i++) lines.push(` ${a[i]}`);
  for (let i = start; i < endA; i++) lines.push(`-${a[i]}`);
  for (let i = start; i < endB; i++) lines.push(`+${b[i]}`);
  if (endA < a.length) lines.push(` ${a[endA]}`);
  return lines.join('\n');
}
