import type { Deps } from '../../core/ports';
import { syncKnowledgeBase } from '../../core/usecases/sync';
import { parse } from '../args';
import { printJson, type Io } from '../io';

const SYNC_HELP = `Usage: sessionlog sync [--kb-root DIR] [--json]

Share the knowledge base through git: commit what this machine logged, pull with rebase,
push. Session entries merge without conflicts when .gitattributes has
"sessions.md merge=sessionlog" (sessionlog init writes it).
`;

export async function runSync(deps: Deps, io: Io, argv: string[]): Promise<void> {
  const { values } = parse(argv, {});
  if (values.help) return io.out(SYNC_HELP);
  const result = await syncKnowledgeBase(deps, {
    cwd: io.cwd,
    ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}),
    // Progress only at a terminal, so scripts see one error line on failure.
    onProgress: (step) => {
      if (!values.json && process.stderr.isTTY) io.err(`${step}…`);
    },
  });
  if (values.json) return printJson(io, result);
  io.out(
    `Synced ${result.kbRoot}: ${result.committed ? `committed ${result.files} file${result.files === 1 ? '' : 's'}` : 'nothing new to commit'}${result.pulled ? ', pulled' : ''}, pushed.`,
  );
}
