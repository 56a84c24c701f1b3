/**
 * The language-model tools declared in package.json against what the extension registers: the
 * agent operations offered as tools (TOOL_OPERATIONS in src/extension/tools/catalog.ts) and the
 * core's operation table their schemas come from. `npm run build` writes the manifest's tools
 * from those two tables (scripts/tool-manifest.js); these tests fail when the file is stale.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AGENT_OPERATIONS, findOperation, type AgentOperation } from '../../src/core/agent/operations';
import { TOOL_OPERATIONS, TOOL_PREFIX as PREFIX, toolManifest } from '../../src/extension/tools/catalog';
import { REPO_ROOT } from '../support/paths';

interface ManifestTool {
  name?: unknown;
  toolReferenceName?: unknown;
  displayName?: unknown;
  userDescription?: unknown;
  modelDescription?: unknown;
  canBeReferencedInPrompt?: unknown;
  icon?: unknown;
  tags?: unknown;
  inputSchema?: unknown;
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes?: { languageModelTools?: ManifestTool[] } };
const TOOLS = manifest.contributes?.languageModelTools ?? [];

const toolOperations = (): string[] => [...TOOL_OPERATIONS];

function operationOf(tool: ManifestTool): AgentOperation {
  assert.equal(typeof tool.name, 'string');
  const name = tool.name as string;
  assert.ok(name.startsWith(PREFIX), `${name} does not start with ${PREFIX}`);
  const operation = findOperation(name.slice(PREFIX.length));
  assert.ok(operation, `${name} names no agent operation`);
  return operation;
}

describe('languageModelTools in package.json', () => {
  it('is what the build generates from the tool catalog and the operation table (run npm run build)', () => {
    assert.deepEqual(TOOLS, toolManifest());
  });

  it('declares tools, and the catalog offers operations', () => {
    assert.ok(TOOLS.length > 0, 'no languageModelTools');
    assert.ok(toolOperations().length > 0, 'TOOL_OPERATIONS is empty');
    assert.equal(PREFIX, 'sessionlog_');
  });

  it('declares exactly the operations the catalog offers, each once', () => {
    const declared = TOOLS.map((tool) => String(tool.name));
    assert.equal(new Set(declared).size, declared.length, `a tool is declared twice: ${declared.join(', ')}`);
    assert.deepEqual(
      [...declared].sort(),
      toolOperations()
        .map((name) => `${PREFIX}${name}`)
        .sort(),
    );
  });

  it('names a core operation in every tool, and every core operation but bootstrap is a tool', () => {
    for (const tool of TOOLS) operationOf(tool);
    // bootstrap is left out on purpose: each tool resolves the knowledge base itself.
    const offered = new Set(toolOperations());
    assert.deepEqual(
      AGENT_OPERATIONS.map((operation) => operation.name).filter((name) => !offered.has(name)),
      ['bootstrap'],
    );
    for (const name of offered) assert.ok(findOperation(name), `TOOL_OPERATIONS names ${name}, which is no agent operation`);
  });

  it('gives every tool a name, reference name, display name, descriptions, icon and tags', () => {
    for (const tool of TOOLS) {
      const label = String(tool.name);
      assert.match(String(tool.name), /^[A-Za-z0-9_-]{1,64}$/, `${label}: name`);
      assert.match(String(tool.toolReferenceName), /^[A-Za-z][A-Za-z0-9]*$/, `${label}: toolReferenceName`);
      assert.equal(typeof tool.displayName, 'string', `${label}: displayName`);
      assert.ok((tool.displayName as string).trim().length >= 3, `${label}: displayName`);
      assert.equal(typeof tool.userDescription, 'string', `${label}: userDescription`);
      assert.ok((tool.userDescription as string).trim().length >= 20, `${label}: userDescription is too short`);
      assert.equal(typeof tool.modelDescription, 'string', `${label}: modelDescription`);
      assert.ok((tool.modelDescription as string).length >= 80, `${label}: modelDescription is too short to tell a model when to call it`);
      assert.equal(tool.canBeReferencedInPrompt, true, `${label}: canBeReferencedInPrompt`);
      assert.equal(typeof tool.icon, 'string', `${label}: icon`);
      assert.ok(Array.isArray(tool.tags) && tool.tags.length > 0 && tool.tags.every((tag) => typeof tag === 'string'), `${label}: tags`);
      assert.ok((tool.tags as string[]).includes('sessionlog'), `${label}: tags lack sessionlog`);
    }
  });

  it('gives each tool its own reference name and display name', () => {
    const references = TOOLS.map((tool) => String(tool.toolReferenceName));
    assert.equal(new Set(references).size, references.length, `shared toolReferenceName: ${references.join(', ')}`);
    const names = TOOLS.map((tool) => String(tool.displayName));
    assert.equal(new Set(names).size, names.length, `shared displayName: ${names.join(', ')}`);
  });

  it('has the input schema of its operation, as the MCP server serves it', () => {
    for (const tool of TOOLS) {
      assert.deepEqual(tool.inputSchema, operationOf(tool).params, `${String(tool.name)}: inputSchema differs from the operation's params`);
    }
  });

  it('tells the model what the operation says of itself, and maybe more', () => {
    for (const tool of TOOLS) {
      const { description } = operationOf(tool);
      assert.ok(
        String(tool.modelDescription).startsWith(description),
        `${String(tool.name)}: modelDescription does not start with the operation's description`,
      );
    }
  });

  it('tags a tool read exactly when its operation only reads, write otherwise', () => {
    for (const tool of TOOLS) {
      const tags = tool.tags as string[];
      const { readOnly } = operationOf(tool);
      assert.equal(tags.includes('read'), readOnly, `${String(tool.name)}: read tag`);
      assert.equal(tags.includes('write'), !readOnly, `${String(tool.name)}: write tag`);
    }
  });
});
