/** The official MCP SDK's client over stdio, connected to the bundled CLI's `sessionlog mcp`. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Cleanup } from './files';
import { baseEnv } from './git';
import { CLI } from './paths';

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
    // baseEnv() holds strings only: it copies process.env and deletes keys rather than setting them undefined.
    const env = baseEnv() as Record<string, string>;
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', ...args], cwd, env, stderr: 'pipe' });
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
