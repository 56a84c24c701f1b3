import * as path from 'node:path';
import { handleRequestLine, METHODS, refuseUndecodableLine } from '../../core/agent/envelope';
import type { OperationContext } from '../../core/agent/operations';
import { AgentSessions } from '../../core/agent/sessions';
import { isSessionLogError } from '../../core/errors';
import type { Deps } from '../../core/ports';
import { integer, parse } from '../args';
import { decodeUtf8, type Io } from '../io';

const MCP_HELP = `Usage: sessionlog mcp [--kb-root DIR] [--cwd DIR] [--stale-minutes N] [--no-redact]

Serve the agent session log over MCP on standard input/output, for any MCP client:
  { "command": "sessionlog", "args": ["mcp"] }

Tools: sessionlog_bootstrap, sessionlog_openSession, sessionlog_beginTurn, sessionlog_updateTurn,
sessionlog_appendDialog, sessionlog_appendActions, sessionlog_completeTurn, sessionlog_failTurn,
sessionlog_closeSession, sessionlog_queryHistory, sessionlog_getSession, sessionlog_log, sessionlog_search,
sessionlog_resume, sessionlog_recordDecision, sessionlog_listDecisions, sessionlog_listFollowUps,
sessionlog_markFollowUpDone, sessionlog_queryLoggedSessions; each declares an outputSchema.
Failures are tool errors carrying {code, message, details, hint}.
Resources: the project's session log and agent session files (sessionlog://kb/<path>), with
change notifications to subscribers. Prompt: resume.

Options:
      --kb-root DIR        Knowledge-base root (overrides MEMEX_KB_ROOT)
      --cwd DIR            Working directory the project and its .kbcontext are found from
      --stale-minutes N    Report a turn in progress with no change for N minutes as stale (default 30)
      --no-redact          Keep secrets as written (by default tokens, keys and passwords in what
                           agents write become [REDACTED:kind])
`;

const REPL_HELP = `Usage: sessionlog repl [--kb-root DIR] [--cwd DIR] [--stale-minutes N] [--no-redact]

The agent session log over the envelope protocol: one single-line JSON request per line on
standard input, one single-line JSON answer per request on standard output, in order.

  {"type":"request","payload":{"requestId":"req-20260409T120000Z-bootstrap-001","method":"workflow.sessionlog.bootstrap","params":{}}}
  {"type":"result","payload":{"requestId":"req-20260409T120000Z-bootstrap-001","result":{"initialized":true,...}}}
  {"type":"error","payload":{"requestId":"...","code":"turn_immutable","message":"...","details":{...},"hint":"..."}}

Methods: ${METHODS.join(', ')}.
A line that is not a request (bad JSON, unknown method) gets an error answer too.
Exit code: 0 when every request succeeded, 1 when any failed.

Options:
      --kb-root DIR        Knowledge-base root (overrides MEMEX_KB_ROOT)
      --cwd DIR            Working directory the project and its .kbcontext are found from
      --stale-minutes N    Report a turn in progress with no change for N minutes as stale (default 30)
      --no-redact          Keep secrets as written (by default tokens, keys and passwords in what
                           agents write become [REDACTED:kind])
`;

const AGENT_OPTIONS = {
  cwd: { type: 'string' },
  'stale-minutes': { type: 'string' },
  'no-redact': { type: 'boolean' },
} as const;

interface AgentFlags {
  cwd: string;
  kbRoot?: string;
  staleAfterMinutes?: number;
  redact: boolean;
}

function agentFlags(io: Io, values: { cwd?: string; 'kb-root'?: string; 'stale-minutes'?: string; 'no-redact'?: boolean }): AgentFlags {
  return {
    redact: !values['no-redact'],
    cwd: path.resolve(io.cwd, values.cwd ?? '.'),
    ...(values['kb-root'] ? { kbRoot: path.resolve(io.cwd, values['kb-root']) } : {}),
    ...(values['stale-minutes'] !== undefined ? { staleAfterMinutes: integer(values['stale-minutes'], '--stale-minutes', 30) } : {}),
  };
}

export async function runMcp(deps: Deps, io: Io, argv: string[]): Promise<void> {
  const { values } = parse(argv, AGENT_OPTIONS);
  if (values.help) return io.out(MCP_HELP);
  // Loaded here so other commands do not pay for the protocol stack.
  const { serveStdio } = await import('../../mcp/server');
  await serveStdio(deps, { ...agentFlags(io, values), version: VERSION });
}

export async function runRepl(deps: Deps, io: Io, argv: string[]): Promise<number> {
  const { values } = parse(argv, AGENT_OPTIONS);
  if (values.help) {
    io.out(REPL_HELP);
    return 0;
  }
  const { redact, ...flags } = agentFlags(io, values);
  const context: OperationContext = {
    sessions: new AgentSessions(deps, flags),
    deps,
    workspace: { cwd: flags.cwd, ...(flags.kbRoot ? { kbRoot: flags.kbRoot } : {}) },
    writeOptions: { redact },
  };
  let failed = false;
  let number = 0;
  const lines = io.stdinLines ? io.stdinLines() : (await io.readStdin()).split('\n');
  for await (const raw of lines) {
    number++;
    const answer = await answerLine(context, raw, number);
    if (!answer) continue;
    if (answer.type === 'error') failed = true;
    io.out(JSON.stringify(answer));
  }
  return failed ? 1 : 0;
}

/** One line's answer (none for a blank line). A line that is not UTF-8 is refused naming it, and the next is read. */
async function answerLine(
  context: OperationContext,
  raw: string | Uint8Array,
  number: number,
): Promise<Awaited<ReturnType<typeof handleRequestLine>> | undefined> {
  let line: string;
  try {
    line = typeof raw === 'string' ? raw : decodeUtf8(raw, `standard input line ${number}`);
  } catch (error) {
    if (!isSessionLogError(error)) throw error;
    return refuseUndecodableLine(new TextDecoder().decode(raw as Uint8Array), error);
  }
  return line.trim() === '' ? undefined : handleRequestLine(context, line.trim());
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'development';
