import * as path from 'node:path';
import type { Deps } from '../../core/ports';
import { importTranscript, type ImportAgent, type ImportResult } from '../../core/hooks/importTranscript';
import { parse, UsageError } from '../args';
import { printJson, type Io } from '../io';

export const IMPORT_HELP = `Usage: sessionlog import claude-code|codex <file|folder>... [--kb-root DIR] [--cwd DIR] [--no-redact] [--json]

Import an agent's own transcripts as agent sessions of this project (one turn per user
prompt, with the answer, tool calls as actions, files modified, the transcript's times and
the model). Importing again adds only what is new. A folder is searched for transcripts:
  claude-code   ~/.claude/projects/<project>/<session>.jsonl
  codex         ~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl
Lines that cannot be read are skipped and counted.

Options:
      --kb-root DIR   Knowledge-base root (overrides MEMEX_KB_ROOT)
      --cwd DIR       The project folder whose .kbcontext says where sessions go (default: here)
      --no-redact     Keep secrets as written
      --json          Machine-readable output
`;

export async function runImport(deps: Deps, io: Io, argv: string[]): Promise<number | void> {
  const { values, positionals } = parse(argv, { cwd: { type: 'string' }, 'no-redact': { type: 'boolean' } }, true);
  if (values.help) return io.out(IMPORT_HELP);
  const [agent, ...targets] = positionals;
  if (agent !== 'claude-code' && agent !== 'codex') throw new UsageError(`${agent ? `unknown agent '${agent}'` : 'name the agent'}: use claude-code or codex.`);
  if (targets.length === 0) throw new UsageError('name a transcript file or a folder of them.');
  const cwd = path.resolve(io.cwd, values.cwd ?? '.');
  const workspace = { cwd, ...(values['kb-root'] ? { kbRoot: path.resolve(io.cwd, values['kb-root']) } : {}) };
  const files: string[] = [];
  for (const target of targets) files.push(...(await transcriptsIn(deps, path.resolve(io.cwd, target).replace(/\\/g, '/'), agent)));
  if (files.length === 0) throw new UsageError(`no ${agent} transcripts in ${targets.join(', ')}.`);
  const results: ImportResult[] = [];
  for (const file of files) results.push(await importTranscript(deps, agent, file, workspace, !values['no-redact']));
  if (values.json) return printJson(io, results);
  for (const result of results) {
    if (!result.sessionId) {
      io.out(`${result.file}: no prompts found${result.skippedLines ? ` (${result.skippedLines} lines skipped)` : ''}.`);
      continue;
    }
    const done = [
      `${result.added} turn${result.added === 1 ? '' : 's'} added`,
      ...(result.completed ? [`${result.completed} finished`] : []),
      ...(result.unchanged ? [`${result.unchanged} already there`] : []),
    ];
    io.out(`${result.file} -> ${result.path} (${done.join(', ')})`);
    if (result.skippedLines > 0) {
      io.err(
        `sessionlog import: warning: ${result.file}: ${result.skippedLines} line${result.skippedLines === 1 ? '' : 's'} could not be read and ${result.skippedLines === 1 ? 'was' : 'were'} skipped.`,
      );
    }
  }
}

/** The transcripts a path names: the file itself, or the agent's transcripts anywhere under a folder. */
async function transcriptsIn(deps: Deps, target: string, agent: ImportAgent): Promise<string[]> {
  const stat = await deps.fs.stat(target);
  if (!stat) throw new UsageError(`${target} does not exist.`);
  if (stat.isFile) return [target];
  const found: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await deps.fs.list(dir)) {
      const full = path.posix.join(dir, entry.name);
      if (entry.isDirectory) await walk(full);
      else if (entry.isFile && entry.name.endsWith('.jsonl') && (agent === 'claude-code' || entry.name.startsWith('rollout-'))) found.push(full);
    }
  };
  await walk(target);
  return found.sort();
}
