/// <reference types="mocha" />
// @sessionlog driven through the real chat view: each request is typed into the chat by the
// workbench's own command (as the user would type it), answered by the deterministic test model
// that test/fixtures/test-lm registers through the public chat-provider API.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TEST_COMMANDS, type RecordedReply } from '../../src/extension/chat/index';
import type { WriteSessionResult } from '../../src/extension/chat/writes';
import type { DecisionRecord } from '../../src/core/usecases/decisions';
import type { LogSessionResult } from '../../src/core/usecases/logSession';
import type { LogArgs } from '../../src/extension/forms/logWithForm';
import { buildReport } from '../../src/core/report/report';
import { renderMarkdown } from '../../src/core/report/render';
import { createNodeDeps } from '../../src/node/nodeDeps';
import { api, entryIn, read, removeTemps, services, tempDir, useKnowledgeBase, waitFor, workspaceFolder } from './helpers';

const MODEL = { vendor: 'sessionlog-test', id: 'sessionlog-test-model' };

async function replies(): Promise<RecordedReply[]> {
  return (await vscode.commands.executeCommand<RecordedReply[]>(TEST_COMMANDS.replies)) ?? [];
}

/** Types `query` into the chat view and submits it; resolves with @sessionlog's reply once it has finished. */
async function chat(query: string): Promise<RecordedReply> {
  const before = (await replies()).length;
  await vscode.commands.executeCommand('workbench.action.chat.open', { query, isPartialQuery: false, modelSelector: MODEL });
  return waitFor(`@sessionlog's reply to "${query}"`, async () => (await replies())[before], 30_000, 100);
}

async function newChat(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.chat.newChat').then(undefined, () => undefined);
}

function markdown(reply: RecordedReply): string {
  return reply.parts
    .filter((part) => part.kind === 'markdown')
    .map((part) => String(part.value))
    .join('');
}

function buttons(reply: RecordedReply): vscode.Command[] {
  return reply.parts.filter((part) => part.kind === 'button').map((part) => part.value as vscode.Command);
}

interface TestModelApi {
  requests: { role: number; text: string }[][];
}

describe('@sessionlog chat participant', function () {
  this.timeout(90_000);
  let kb: string;
  let model: TestModelApi;
  let editButton: vscode.Command | undefined;

  before(async () => {
    await api();
    const fixture = vscode.extensions.getExtension<TestModelApi>('sessionlog-test.test-lm');
    assert.ok(fixture, 'the test language model extension is installed');
    model = fixture.isActive ? fixture.exports : await fixture.activate();
    await waitFor('the test language model', async () => (await vscode.lm.selectChatModels(MODEL)).length > 0, 20_000);
    kb = tempDir('sessionlog-chat-');
    await useKnowledgeBase(kb);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('sessionlog').update('redactSecrets', undefined, vscode.ConfigurationTarget.Global);
    await useKnowledgeBase(undefined);
    removeTemps();
  });

  it('/log with text writes it at once, with inline #tags and [[links]], and reports as the log-session skill does', async () => {
    await newChat();
    const reply = await chat('@sessionlog /log Fixed the token refresh race [[patterns/oauth2.md]] #auth #bugfix');
    assert.equal(reply.command, 'log');
    const text = markdown(reply);
    assert.match(text, /Session logged to: `projects\/demo\/sessions\.md`/);
    assert.match(text, /Recorded:\n- Summary: Fixed the token refresh race\n/);
    assert.match(text, /- Files: 0 modified\n- Decisions: 0 recorded\n- Follow-ups: 0 tasks/);
    const entry = read(entryIn(kb));
    assert.match(entry, /^#auth #bugfix$/m);
    assert.match(entry, /^Related: \[\[patterns\/oauth2\.md\]\]$/m);
    const anchor = reply.parts.find((part) => part.kind === 'anchor')?.value as { target: { uri: string; line: number } };
    assert.equal(vscode.Uri.parse(anchor.target.uri).fsPath, entryIn(kb), 'the reply links to the entry');
    assert.match(read(entryIn(kb)).split('\n')[anchor.target.line]!, /^## \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/, 'at the new section');
  });

  it("/log without text summarises the conversation with the chat's model, previews it redacted, and writes only on confirm", async () => {
    await newChat();
    await chat('@sessionlog I added JWT login in src/auth/jwt.ts and src/middleware/auth.ts');
    await chat('@sessionlog We chose jose for JWT because it is type-safe');
    const before = fs.existsSync(entryIn(kb)) ? read(entryIn(kb)) : '';
    const reply = await chat('@sessionlog /log');
    assert.equal(reply.result?.metadata?.kind, 'preview', markdown(reply));

    // The model was given the conversation: the earlier @sessionlog turns, in order.
    const asked = model.requests[model.requests.length - 1]!.map((message) => message.text).join('\n');
    assert.match(asked, /<conversation>[\s\S]*User: I added JWT login in src\/auth\/jwt\.ts[\s\S]*User: We chose jose[\s\S]*<\/conversation>/);
    assert.match(asked, /context_for_next_session/);

    const preview = markdown(reply);
    assert.match(preview, /preview, not written yet/);
    assert.match(preview, /Summarised \d+ messages, starting with: I added JWT login/);
    assert.match(preview, /`src\/auth\/jwt\.ts`/);
    assert.match(preview, /`src\/middleware\/auth\.ts`/);
    assert.match(preview, /Used jose for JWT — _Type-safe; test key \[REDACTED:github-token\] must not survive_/);
    assert.doesNotMatch(preview, /ghp_/, 'secrets are redacted before the preview');
    assert.match(preview, /- \[ \] Add refresh token rotation/);
    assert.match(preview, /`#test-model`/, 'a tag with a space is made valid');
    assert.equal(read(entryIn(kb)), before, 'nothing is written before the confirmation');

    const [write, edit] = buttons(reply);
    assert.equal(write?.command, 'sessionlog.chat.writeSession');
    assert.equal(edit?.command, 'sessionlog.log');
    const prefill = (edit!.arguments![0] as { prefill: { message: string; followUps: string[] } }).prefill;
    assert.match(prefill.message, /Summarised/);
    assert.deepEqual(prefill.followUps, ['Add refresh token rotation', 'Implement logout endpoint']);
    editButton = edit;

    // The Write button.
    const written = await vscode.commands.executeCommand<WriteSessionResult>(write!.command, ...write!.arguments!);
    assert.ok(written?.result, 'the record was written');
    assert.match(written.report, /^Session logged to: `projects\/demo\/sessions\.md`\n\nRecorded:\n- Summary: Summarised/);
    assert.match(written.report, /- Files: 2 modified\n- Decisions: 1 recorded\n- Follow-ups: 2 tasks/);
    assert.match(written.report, /Next session hint: Next: refresh tokens in src\/auth\/refresh\.ts/);
    const entry = read(entryIn(kb));
    assert.match(entry, /Used jose for JWT/);
    assert.match(entry, /\[REDACTED:github-token\]/);
    assert.doesNotMatch(entry, /ghp_/);
    assert.match(entry, /- \[ \] Implement logout endpoint/);

    // A second click writes nothing more.
    const again = await vscode.commands.executeCommand<WriteSessionResult>(write!.command, ...write!.arguments!);
    assert.equal(again?.alreadyWritten, true);
    assert.equal(read(entryIn(kb)).split('Used jose for JWT').length, 2);
  });

  it('"Edit in Log Session Form" opens the form on the drafted record: accepting every step writes the draft', async () => {
    assert.ok(editButton, 'the /log preview gave no Edit button');
    // Another knowledge base, so the suite's entry keeps only what the Write button wrote.
    const other = tempDir('sessionlog-chat-edit-');
    await useKnowledgeBase(other);
    try {
      const [args] = editButton.arguments as [LogArgs];
      // No scripted answer for any step: each takes its initial value, as Enter on every step would.
      const result = await vscode.commands.executeCommand<LogSessionResult>(editButton.command, { ...args, answers: {} });
      assert.ok(result, `nothing was written: ${JSON.stringify((await services()).errors.last)}`);
      const { record } = result;
      assert.match(record.message, /^Summarised \d+ messages, starting with: I added JWT login/);
      assert.ok(
        ['auth', 'test-model'].every((tag) => record.tags.includes(tag)),
        `tags: ${record.tags.join(', ')}`,
      );
      assert.deepEqual(record.files, ['src/auth/jwt.ts', 'src/middleware/auth.ts']);
      assert.deepEqual(
        record.decisions.map((item) => item.decision),
        ['Used jose for JWT'],
      );
      assert.deepEqual(
        record.followUps.map((item) => item.text),
        ['Add refresh token rotation', 'Implement logout endpoint'],
      );
      assert.equal(record.next, 'Next: refresh tokens in src/auth/refresh.ts');
      const entry = read(entryIn(other));
      assert.match(entry, /- Used jose for JWT\n {2}- Rationale: Type-safe; test key \[REDACTED:github-token\] must not survive/);
      assert.match(entry, /- \[ \] Add refresh token rotation\n- \[ \] Implement logout endpoint/);
      assert.doesNotMatch(entry, /ghp_/);
    } finally {
      await useKnowledgeBase(kb);
    }
  });

  it('/resume links the last sessions, open follow-ups and decisions to where they are written', async () => {
    const reply = await chat('@sessionlog /resume');
    const text = markdown(reply);
    assert.match(text, /\*\*Next session hint:\*\* Next: refresh tokens in src\/auth\/refresh\.ts/);
    assert.match(text, /\*\*Open follow-ups\*\* \(2\)/);
    assert.match(text, /Used jose for JWT/);
    assert.ok(
      reply.parts.some((part) => part.kind === 'reference'),
      'the entry is given as a reference',
    );
    const anchors = reply.parts.filter((part) => part.kind === 'anchor').map((part) => part.value as { target: { uri: string } });
    assert.ok(anchors.length >= 4, `anchors to the sessions and follow-ups (${anchors.length})`);
    assert.ok(anchors.every((anchor) => vscode.Uri.parse(anchor.target.uri).fsPath === entryIn(kb)));
  });

  it('/history and /search list sessions with links, /search ranked and filtered inline', async () => {
    const history = await chat('@sessionlog /history');
    assert.match(markdown(history), /\*\*Sessions in `projects\/demo\/sessions\.md`\*\* \(2 of 2, newest first\)/);
    const search = await chat('@sessionlog /search token refresh race #auth');
    assert.match(
      markdown(search),
      /\*\*\d+ results? matche?s? "token refresh race" #auth\*\*, best first\n\n- {2}`#auth` `#bugfix`\n {2}Fixed the \*\*token\*\* \*\*refresh\*\* \*\*race\*\*/,
    );
    const anchor = search.parts.find((part) => part.kind === 'anchor')?.value as { title: string };
    assert.match(anchor.title, /^projects\/demo\/sessions\.md · \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    const none = await chat('@sessionlog /search nothing-like-this');
    assert.match(markdown(none), /Nothing matches "nothing-like-this"/);
    const turns = await chat('@sessionlog /search token refresh race kind:turn');
    assert.match(markdown(turns), /Nothing matches "token refresh race"/, 'kind:turn keeps agent turns only');
  });

  it('/decision drafts an ADR from the conversation and records it as ADR-NNN on confirm', async () => {
    await newChat();
    const reply = await chat('@sessionlog /decision We use JWT with short-lived access tokens, not session cookies');
    const preview = markdown(reply);
    assert.match(preview, /### Use JWT for authentication/);
    assert.match(preview, /\*\*Alternatives considered\*\*\n\n- Session cookies\n- API keys/);
    const decisions = path.join(kb, 'projects', 'demo', 'decisions');
    assert.equal(
      fs.existsSync(decisions) ? fs.readdirSync(decisions).filter((name) => name.startsWith('ADR-')).length : 0,
      0,
      'nothing written before the confirmation',
    );
    const [record] = buttons(reply);
    assert.equal(record?.command, 'sessionlog.chat.writeDecision');
    const adr = await vscode.commands.executeCommand<DecisionRecord>(record!.command, ...record!.arguments!);
    assert.equal(adr?.id, 'ADR-001');
    const text = read(path.join(kb, adr.path));
    assert.match(text, /^# ADR-001: Use JWT for authentication$/m);
    assert.match(text, /## Alternatives considered\n\n- Session cookies\n- API keys/);
  });

  it('the Write buttons check what they are given: a click without a draft writes nothing and names the field', async () => {
    const made = await services();
    for (const [command, args, message] of [
      ['sessionlog.chat.writeSession', { folder: workspaceFolder().uri.toString(), record: { message: 'x' } }, 'draftId is missing.'],
      ['sessionlog.chat.writeDecision', undefined, 'No decision was given to write.'],
    ] as const) {
      assert.equal(await vscode.commands.executeCommand(command, args), undefined, command);
      assert.deepEqual([made.errors.last?.code, made.errors.last?.message], ['invalid_input', message], command);
    }
  });

  it('offers the setup commands when there is no knowledge base', async () => {
    await vscode.workspace.getConfiguration('sessionlog').update('kbRoot', path.join(kb, 'missing'), vscode.ConfigurationTarget.Global);
    for (const folder of (await services()).folders.all()) folder.invalidate();
    try {
      const reply = await chat('@sessionlog /resume');
      assert.match(markdown(reply), /is not a folder/);
      assert.deepEqual(
        buttons(reply).map((button) => button.command),
        ['sessionlog.createKbContext', 'sessionlog.chooseKbRoot'],
      );
    } finally {
      await useKnowledgeBase(kb);
    }
  });

  it('keeps secrets when sessionlog.redactSecrets is off', async () => {
    await vscode.workspace.getConfiguration('sessionlog').update('redactSecrets', false, vscode.ConfigurationTarget.Global);
    await chat('@sessionlog /log Rotated the staging key, old one was password=hunter2hunter2');
    assert.match(read(entryIn(kb)), /password=hunter2hunter2/);
    await vscode.workspace.getConfiguration('sessionlog').update('redactSecrets', undefined, vscode.ConfigurationTarget.Global);
  });

  it('with no command, notes the message and explains itself', async () => {
    const reply = await chat('@sessionlog');
    assert.match(markdown(reply), /`\/log` — summarise this conversation/);
  });
  it("/report gives this week's report with the core's counts; /report summary has the chat's model summarise it, the raw report as its source", async () => {
    await newChat();
    const expected = await buildReport(createNodeDeps(), {
      cwd: workspaceFolder().uri.fsPath,
      kbRoot: kb,
      week: 'this',
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
    assert.ok(expected.totals.sessions > 0, "the sessions logged above are this week's");
    const reply = await chat('@sessionlog /report');
    assert.equal(reply.command, 'report');
    const text = markdown(reply);
    assert.equal(text, renderMarkdown(expected), 'the report as the core renders it');
    assert.match(text, new RegExp(`^# Week ${expected.period.label} · demo\n`));
    assert.match(text, new RegExp(`· ${expected.totals.sessions} sessions? ·`));
    assert.ok(
      reply.parts.some((part) => part.kind === 'reference'),
      "the project's entry is referenced",
    );

    const asked = model.requests.length;
    const summary = await chat('@sessionlog /report summary');
    assert.equal(summary.result?.metadata?.summarised, true);
    assert.equal(model.requests.length, asked + 1, 'the model was asked once');
    const prompt = model.requests[model.requests.length - 1]!.map((message) => message.text).join('\n');
    assert.match(prompt, /^Summarise this work report/);
    assert.ok(prompt.includes(`<report>\n${renderMarkdown(expected)}\n</report>`), "the raw report is the model's source");
    const summarised = markdown(summary);
    assert.match(summarised, /^Test model heard: Summarise this work report/, "the model's summary comes first");
    assert.ok(summarised.endsWith(`_The report it summarises:_\n\n${renderMarkdown(expected)}`), 'then the report itself');
  });
});
