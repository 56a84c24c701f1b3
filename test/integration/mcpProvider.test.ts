/// <reference types="mocha" />
// The MCP server VS Code is offered, started as VS Code would start it (a real process over
// stdio) and spoken to with the official MCP SDK's client.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { TEST_COMMANDS } from '../../src/extension/chat/index';
import { api, CLI, entryIn, read, removeTemps, tempDir, useKnowledgeBase, workspaceFolder } from './helpers';

interface Definition {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string | number | null>;
  cwd?: string;
  version?: string;
}

async function definitions(): Promise<Definition[]> {
  return (await vscode.commands.executeCommand<Definition[]>(TEST_COMMANDS.mcpDefinitions)) ?? [];
}

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string[] {
  return (result.content as { type: string; text?: string }[]).map((part) => part.text ?? '');
}

describe('MCP server definition provider', function () {
  this.timeout(60_000);
  let kb: string;

  before(async () => {
    await api();
    kb = tempDir('sessionlog-mcp-');
    await useKnowledgeBase(kb);
  });

  after(async () => {
    await useKnowledgeBase(undefined);
    removeTemps();
  });

  it("offers the bundled server for the workspace folder, run by the editor's own runtime", async () => {
    const [definition, ...more] = await definitions();
    assert.equal(more.length, 0);
    assert.ok(definition);
    assert.equal(definition.label, 'Session Log');
    assert.equal(definition.command, process.execPath);
    assert.deepEqual(definition.args.slice(0, 4), [CLI, 'mcp', '--kb-root', kb]);
    assert.equal(definition.env.ELECTRON_RUN_AS_NODE, '1');
    assert.equal(definition.cwd, workspaceFolder().uri.fsPath);
    assert.ok(fs.existsSync(definition.args[0]!), 'dist/cli.js is there to run');
  });

  it('starts, lists the sessionlog tools and runs them against the knowledge base', async () => {
    const [definition] = await definitions();
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...process.env, ...definition!.env })) if (value !== null && value !== undefined) env[key] = String(value);
    delete env.MEMEX_KB_ROOT;
    const transport = new StdioClientTransport({ command: definition!.command, args: definition!.args, env, cwd: definition!.cwd!, stderr: 'pipe' });
    const client = new Client({ name: 'sessionlog-integration-test', version: '0.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      const names = tools.map((tool) => tool.name);
      for (const name of [
        'sessionlog_bootstrap',
        'sessionlog_openSession',
        'sessionlog_beginTurn',
        'sessionlog_completeTurn',
        'sessionlog_queryHistory',
        'sessionlog_log',
        'sessionlog_search',
      ]) {
        assert.ok(names.includes(name), `${name} is served (${names.join(', ')})`);
      }
      const opened = await client.callTool({ name: 'sessionlog_openSession', arguments: { agent: 'ClaudeCode', title: 'MCP from VS Code' } });
      assert.notEqual(opened.isError, true, textOf(opened).join('\n'));
      const sessionId = (JSON.parse(textOf(opened)[0]!) as { sessionId: string }).sessionId;
      assert.match(sessionId, /^ClaudeCode-\d{8}T\d{6}Z-mcp-from-vs-code$/);
      assert.ok(fs.existsSync(path.join(kb, 'projects', 'demo', 'agent-sessions', `${sessionId}.md`)), 'written in the knowledge base the provider named');

      const logged = await client.callTool({ name: 'sessionlog_log', arguments: { message: 'Logged over MCP', tags: ['mcp'] } });
      assert.notEqual(logged.isError, true, textOf(logged).join('\n'));
      assert.match(read(entryIn(kb)), /Logged over MCP/);
      const found = await client.callTool({ name: 'sessionlog_search', arguments: { query: 'over mcp' } });
      const best = (JSON.parse(textOf(found)[0]!) as { hits: { kind: string; snippet: string }[] }).hits[0]!;
      assert.equal(best.kind, 'session');
      assert.equal(best.snippet, 'Logged over MCP');
    } finally {
      await client.close();
    }
  });

  it('offers nothing for a folder without a knowledge base', async () => {
    await vscode.workspace.getConfiguration('sessionlog').update('kbRoot', path.join(kb, 'missing'), vscode.ConfigurationTarget.Global);
    try {
      assert.deepEqual(await definitions(), []);
    } finally {
      await useKnowledgeBase(kb);
    }
  });
});
