/**
 * Helpers for the agent protocol tests: a knowledge base in a temp folder, the real bundled
 * CLI serving MCP to the SDK's own client over stdio, and the REPL run to completion.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { makeTempDir, removeDir } from '../support/files';
import { CLI } from '../support/paths';

export { CLI } from '../support/paths';

interface Cleanup {
  after(fn: () => void | Promise<void>): void;
}

/** A knowledge base with a .kbcontext for project `demo`; agent sessions go to projects/demo/agent-sessions. */
export function tempKb(t: Cleanup): { root: string; sessionsDir: string } {
  const root = makeTempDir('sessionlog-agent-');
  t.after(() => removeDir(root));
  fs.writeFileSync(path.join(root, '.kbcontext'), 'project: demo\nprimary: projects/demo\n');
  return { root, sessionsDir: path.join(root, 'projects/demo/agent-sessions') };
}

/** The environment of every child: nothing about a knowledge base leaks in from the machine. */
export function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'MEMEX_KB_ROOT' && key !== 'VL_KB_CONTEXT') env[key] = value;
  return env;
}

/** What a tool answered: the parsed JSON of a result, or the error envelope. */
export type ToolAnswer =
  | { ok: true; result: Record<string, unknown>; summary: string; structured: unknown }
  | { ok: false; error: { code: string; message: string; details: Record<string, unknown>; hint?: string }; structured: unknown };

/** An MCP client connected to `node dist/cli.js mcp ...args` in `cwd`. */
export class McpConnection {
  private constructor(
    readonly client: Client,
    readonly stderr: () => string,
  ) {}

  static async start(t: Cleanup, cwd: string, args: string[] = []): Promise<McpConnection> {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', ...args], cwd, env: childEnv(), stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = new Client({ name: 'sessionlog-test', version: '1.0.0' });
    await client.connect(transport);
    t.after(() => client.close());
    // The client checks each tool's structuredContent against its outputSchema once it has listed the tools.
    await client.listTools();
    return new McpConnection(client, () => stderr);
  }

  async call(op: string, args: Record<string, unknown> = {}): Promise<ToolAnswer> {
    const answer = await this.client.callTool({ name: `sessionlog_${op}`, arguments: args });
    const content = answer.content as { type: string; text: string }[];
    const parsed = JSON.parse(content[0]!.text) as Record<string, unknown>;
    if (answer.isError) return { ok: false, error: parsed as Extract<ToolAnswer, { ok: false }>['error'], structured: answer.structuredContent };
    return { ok: true, result: parsed, summary: content[1]?.text ?? '', structured: answer.structuredContent };
  }

  /** The result, failing the test with the envelope if the call failed. */
  async ok(op: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const answer = await this.call(op, args);
    if (!answer.ok) throw new Error(`${op} failed: ${JSON.stringify(answer.error)}`);
    return answer.result;
  }

  /** The error envelope, failing the test if the call succeeded. */
  async fails(op: string, args: Record<string, unknown> = {}): Promise<Extract<ToolAnswer, { ok: false }>['error']> {
    const answer = await this.call(op, args);
    if (answer.ok) throw new Error(`${op} succeeded but should have failed: ${JSON.stringify(answer.result)}`);
    return answer.error;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** Runs `node dist/cli.js ...args` with `input` on stdin, to completion. */
export function runCli(args: string[], cwd: string, input = ''): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** The protocol's examples as objects: `{type, payload}` request envelopes, made single-line by JSON.stringify. */
export function request(requestId: string, op: string, params: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'request', payload: { requestId, method: `workflow.sessionlog.${op}`, params } });
}
