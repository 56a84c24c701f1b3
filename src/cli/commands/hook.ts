import type { Deps } from '../../core/ports';
import { AGENT_KEYS } from '../../core/hooks/agents';
import { runHook } from '../../core/hooks/capture';
import type { Io } from '../io';

export const HOOK_HELP = `Usage: sessionlog hook <agent> [event]    (agent: ${AGENT_KEYS.join(', ')})

Handle one hook event of a coding agent: its JSON payload on standard input is logged as
the agent's session in the knowledge base found from the payload's cwd (its .kbcontext).
Written by 'sessionlog hooks install <agent>' into the agent's hook configuration; not
usually run by hand. It always exits 0 and prints nothing but, at session start, the
project's resume context for the agent to read. Problems go to .sessionlog/hooks.log in
the knowledge base. SESSIONLOG_DISABLE=1 turns it off.
`;

/** A hook must never hurt the agent: whatever happens, exit 0 and print only what the agent should read. */
export async function runHookCommand(deps: Deps, io: Io, argv: string[]): Promise<number> {
  const [agent, event] = argv;
  if (!agent || agent === '--help' || agent === '-h') {
    io.out(HOOK_HELP);
    return 0;
  }
  const payload = io.stdinIsTty ? '' : await io.readStdin().catch(() => '');
  const result = await runHook(deps, agent, payload, event);
  if (result.stdout) io.out(result.stdout);
  return 0;
}
