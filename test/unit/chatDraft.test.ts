/**
 * The chat participant's drafts without VS Code: a model's reply read into a session record or
 * an ADR (fenced, in prose, misnamed keys, lists as one string), the redaction before the preview,
 * and the Markdown of the previews and reports.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DecisionDraft } from '../../src/core/model/decision';
import { extractJsonObject, parseDecisionDraft, parseSessionDraft } from '../../src/core/model/decode';
import { splitTags } from '../../src/core/model/validate';
import { DECISION_PROMPT, SESSION_PROMPT, redactDraft, transcriptText, type SessionDraft } from '../../src/extension/chat/draft';
import { decisionPreview, decisionReport, inline, loggedNotice, loggedReport, sessionPreview } from '../../src/extension/chat/render';

// Built at run time so the source holds no token-shaped string.
const GITHUB_TOKEN = `ghp_${'A1b2C3d4E5'.repeat(4)}`;

const EMPTY: SessionDraft = { message: 'm', tags: [], links: [], files: [], decisions: [], followUps: [] };

function draft(reply: string): SessionDraft {
  const parsed = parseSessionDraft(reply);
  assert.ok(parsed, `no session record read from ${reply}`);
  return parsed;
}

describe('extractJsonObject', () => {
  it('reads a reply that is only JSON', () => {
    assert.deepEqual(extractJsonObject(' {"a": 1, "b": [2]}\n'), { a: 1, b: [2] });
  });

  it('reads a fenced block, with or without a language, skipping a fence that is not JSON', () => {
    assert.deepEqual(extractJsonObject('Here it is:\n```json\n{"a": 1}\n```\nDone.'), { a: 1 });
    assert.deepEqual(extractJsonObject('```\n{"a": 2}\n```'), { a: 2 });
    assert.deepEqual(extractJsonObject('```text\nnot json\n```\nthen\n```JSON\n{"a": 3}\n```'), { a: 3 });
  });

  it('reads an object inside prose, braces and escaped quotes in its strings included', () => {
    assert.deepEqual(extractJsonObject('Sure! {"a": "x {y} \\"z\\" }", "b": {"c": 1}} Hope that helps.'), { a: 'x {y} "z" }', b: { c: 1 } });
  });

  it('gives undefined for no object, a broken one or a bare value', () => {
    assert.equal(extractJsonObject('I could not summarise this conversation.'), undefined);
    assert.equal(extractJsonObject('{"summary": "x",}'), undefined);
    assert.equal(extractJsonObject('{"summary": "never closed"'), undefined);
    assert.equal(extractJsonObject('"just a string"'), undefined);
    assert.equal(extractJsonObject(''), undefined);
  });

  // A brace in the prose before the record: a template name, a code snippet.
  it('reads the object after a brace in the prose before it', () => {
    assert.deepEqual(extractJsonObject('The `{project}` entry gets this: {"summary": "real"}'), { summary: 'real' });
  });
});

describe('parseSessionDraft', () => {
  it('reads the record the prompt asks for, fenced in prose', () => {
    const reply =
      'Here is the record:\n```json\n' +
      JSON.stringify(
        {
          summary: ' Fixed the login timeout. ',
          files_modified: ['src/auth.ts', '`src/session.ts`', 'src/auth.ts'],
          decisions_made: [{ decision: 'Used jose for JWT', rationale: 'type-safe' }, { decision: 'No token cache' }],
          follow_up: ['Add refresh tokens', 'Add refresh tokens', 'Logout endpoint'],
          tags: ['Auth', '#bugfix', 'test model', 'auth'],
          context_for_next_session: 'Start with refresh tokens.',
        },
        null,
        2,
      ) +
      '\n```\nLet me know if you want changes.';
    assert.deepEqual(parseSessionDraft(reply), {
      message: 'Fixed the login timeout.',
      tags: ['auth', 'bugfix', 'test-model'],
      links: [],
      files: ['src/auth.ts', 'src/session.ts'],
      decisions: [{ decision: 'Used jose for JWT', rationale: 'type-safe' }, { decision: 'No token cache' }],
      followUps: [
        { text: 'Add refresh tokens', done: false },
        { text: 'Logout endpoint', done: false },
      ],
      next: 'Start with refresh tokens.',
    });
  });

  it('reads the example in its own prompt', () => {
    const example = SESSION_PROMPT.slice(SESSION_PROMPT.indexOf('{'), SESSION_PROMPT.lastIndexOf('}') + 1);
    const parsed = draft(example);
    assert.match(parsed.message, /main goal/);
    assert.deepEqual(parsed.files, ['path/of/each/file/created/or/changed.ts']);
    assert.deepEqual(parsed.decisions, [{ decision: 'A technical choice that was made', rationale: 'Why it was made' }]);
    assert.deepEqual(parsed.followUps, [{ text: 'A task that remains to be done', done: false }]);
    assert.deepEqual(parsed.tags, ['short-lowercase-tags']);
    assert.equal(parsed.next, 'What the next session should start with.');
  });

  it('takes the other names a model uses and ignores keys it does not know', () => {
    const parsed = draft(
      JSON.stringify({
        message: 'Refactored the parser',
        files: ['src/parse.ts'],
        decisions: [
          { title: 'Split the reader', reason: 'smaller functions' },
          { choice: 'Keep the API', why: 'callers' },
        ],
        followUps: [{ task: 'Benchmark it' }, { text: 'Update the docs' }, { title: 'Fix the flaky test' }],
        next_session: 'Run the benchmark first.',
        confidence: 0.9,
        notes: 'ignored',
      }),
    );
    assert.deepEqual(parsed, {
      message: 'Refactored the parser',
      tags: [],
      links: [],
      files: ['src/parse.ts'],
      decisions: [
        { decision: 'Split the reader', rationale: 'smaller functions' },
        { decision: 'Keep the API', rationale: 'callers' },
      ],
      followUps: [
        { text: 'Benchmark it', done: false },
        { text: 'Update the docs', done: false },
        { text: 'Fix the flaky test', done: false },
      ],
      next: 'Run the benchmark first.',
    });
  });

  it('passes over a null under one name to the next name', () => {
    const parsed = draft('{"summary": null, "message": "From message", "files_modified": null, "files": ["a.ts"]}');
    assert.equal(parsed.message, 'From message');
    assert.deepEqual(parsed.files, ['a.ts']);
  });

  it('splits a list given as one string, bullets and numbers taken off', () => {
    const parsed = draft(
      JSON.stringify({
        summary: 'Lists as text',
        files_modified: '- src/a.ts\n* src/b.ts\n• src/c.ts\n\n',
        follow_up: '1. First task\n2) Second task',
        tags: 'alpha\n#beta',
        decisions_made: '- Use SQLite :: one file, no server\n- Drop the cache',
      }),
    );
    assert.deepEqual(parsed.files, ['src/a.ts', 'src/b.ts', 'src/c.ts']);
    assert.deepEqual(
      parsed.followUps.map((f) => f.text),
      ['First task', 'Second task'],
    );
    assert.deepEqual(parsed.tags, ['alpha', 'beta']);
    assert.deepEqual(parsed.decisions, [{ decision: 'Use SQLite', rationale: 'one file, no server' }, { decision: 'Drop the cache' }]);
  });

  it('reads decisions with and without a rationale, dropping empty ones and things that are not decisions', () => {
    const parsed = draft(
      JSON.stringify({
        summary: 's',
        decisions_made: [
          'Plain decision',
          'With rationale :: because :: it is simpler',
          { decision: 'Object without rationale', rationale: '   ' },
          { decision: '  ', rationale: 'a rationale with no decision' },
          { rationale: 'no decision at all' },
          42,
          null,
        ],
      }),
    );
    assert.deepEqual(parsed.decisions, [
      { decision: 'Plain decision' },
      { decision: 'With rationale', rationale: 'because :: it is simpler' },
      { decision: 'Object without rationale' },
    ]);
    assert.ok(!('rationale' in parsed.decisions[0]!), 'no empty rationale key');
  });

  it('joins a summary given as a list, and leaves out an empty next-session context', () => {
    const parsed = draft('{"summary": ["First line", "Second line"], "context_for_next_session": "  "}');
    assert.equal(parsed.message, 'First line\nSecond line');
    assert.ok(!('next' in parsed), 'no next key for a blank context');
  });

  it('gives undefined for a reply with no record or no summary', () => {
    assert.equal(parseSessionDraft('Sorry, I cannot help with that.'), undefined);
    assert.equal(parseSessionDraft('{"files_modified": ["a.ts"], "tags": ["x"]}'), undefined);
    assert.equal(parseSessionDraft('{"summary": "   "}'), undefined);
    assert.equal(parseSessionDraft('{"summary": 42}'), undefined);
  });
});

describe('parseDecisionDraft', () => {
  it('reads an ADR: first line of the title, status in lower case, lists as one string', () => {
    const reply =
      '```json\n' +
      JSON.stringify({
        title: 'Use JWT\nfor authentication',
        background: 'Stateless API',
        decided: 'JWT with short expiry',
        why: 'No session store',
        alternatives: '- Server sessions\n- Cookies',
        consequences: ['Tokens must be rotated', 'Tokens must be rotated'],
        status: 'Proposed',
      }) +
      '\n```';
    assert.deepEqual(parseDecisionDraft(reply), {
      title: 'Use JWT',
      context: 'Stateless API',
      decision: 'JWT with short expiry',
      rationale: 'No session store',
      alternatives: ['Server sessions', 'Cookies'],
      consequences: ['Tokens must be rotated'],
      status: 'proposed',
    });
  });

  it('reads the example in its own prompt', () => {
    const example = DECISION_PROMPT.slice(DECISION_PROMPT.indexOf('{'), DECISION_PROMPT.lastIndexOf('}') + 1);
    const parsed = parseDecisionDraft(example);
    assert.ok(parsed);
    assert.equal(parsed.status, 'accepted');
    assert.deepEqual(parsed.alternatives, ['Another option that was weighed']);
    assert.equal(parsed.rationale, 'Why.');
  });

  it('takes an unknown status as accepted and leaves out empty context and rationale', () => {
    const parsed = parseDecisionDraft('{"title": "T", "decision": "D", "status": "maybe", "context": "", "rationale": " "}');
    assert.deepEqual(parsed, { title: 'T', decision: 'D', alternatives: [], consequences: [], status: 'accepted' });
  });

  it('gives undefined without a title or without a decision', () => {
    assert.equal(parseDecisionDraft('{"title": "Only a title"}'), undefined);
    assert.equal(parseDecisionDraft('{"decision": "Only a decision"}'), undefined);
    assert.equal(parseDecisionDraft('No JSON here.'), undefined);
  });
});

describe('redactDraft', () => {
  it('redacts every text of a session draft and counts, keeping tags and links, and leaves the draft given alone', () => {
    const given: SessionDraft = {
      message: `Pushed with ${GITHUB_TOKEN}`,
      tags: ['password=hunter2xyz'],
      links: ['notes/token=abcdefgh.md'],
      files: ['config/.env'],
      decisions: [{ decision: 'Rotate keys', rationale: 'the old one was password=hunter2xyz' }],
      followUps: [{ text: 'Revoke Bearer abcdefghijklmnopqrstu', done: false }],
      next: `Check ${GITHUB_TOKEN} is revoked`,
    };
    const before = structuredClone(given);
    const { draft: redacted, count } = redactDraft(given);
    assert.equal(count, 4);
    assert.deepEqual(redacted, {
      message: 'Pushed with [REDACTED:github-token]',
      tags: ['password=hunter2xyz'],
      links: ['notes/token=abcdefgh.md'],
      files: ['config/.env'],
      decisions: [{ decision: 'Rotate keys', rationale: 'the old one was password=[REDACTED:password]' }],
      followUps: [{ text: 'Revoke Bearer [REDACTED:bearer-token]', done: false }],
      next: 'Check [REDACTED:github-token] is revoked',
    });
    assert.deepEqual(given, before);
  });

  it('redacts an ADR draft, keeping its status', () => {
    const given: DecisionDraft = {
      title: 'Move off the shared key',
      context: `It was ${GITHUB_TOKEN}`,
      decision: 'Per-service keys',
      alternatives: ['api_key=abcdef123456'],
      consequences: [],
      status: 'accepted',
    };
    const { draft: redacted, count } = redactDraft(given);
    assert.equal(count, 2);
    assert.equal(redacted.context, 'It was [REDACTED:github-token]');
    assert.deepEqual(redacted.alternatives, ['api_key=[REDACTED:password]']);
    assert.equal(redacted.status, 'accepted');
  });

  it('is what the preview shows: a reply with a secret previews redacted, with the count', () => {
    const parsed = draft(JSON.stringify({ summary: `Deployed using ${GITHUB_TOKEN}`, follow_up: ['Rotate password=hunter2xyz'] }));
    const { draft: redacted, count } = redactDraft(parsed);
    const preview = sessionPreview(redacted, 'projects/app/sessions.md', count);
    assert.ok(!preview.includes(GITHUB_TOKEN) && !preview.includes('hunter2xyz'), preview);
    assert.match(preview, /Deployed using \[REDACTED:github-token\]/);
    assert.match(preview, /- \[ \] Rotate password=\[REDACTED:password\]/);
    assert.match(preview, /_2 secrets redacted before this preview\._/);
  });
});

describe('transcriptText', () => {
  it('gives each message its role, trimmed, leaving out empty ones', () => {
    assert.equal(
      transcriptText([
        { role: 'User', text: '  What broke?\n' },
        { role: 'Assistant', text: '   ' },
        { role: 'Assistant', text: 'The timeout.' },
      ]),
      'User: What broke?\n\nAssistant: The timeout.',
    );
  });

  it('drops the oldest messages of a long conversation, saying so, and keeps the newest', () => {
    const messages = [
      { role: 'User' as const, text: 'old '.repeat(20) },
      { role: 'Assistant' as const, text: 'middle' },
      { role: 'User' as const, text: 'newest' },
    ];
    const text = transcriptText(messages, 60);
    assert.equal(text, '[earlier messages left out]\n\nAssistant: middle\n\nUser: newest');
    assert.ok(text.length <= 60);
  });

  it('keeps the end of a single message longer than the limit', () => {
    const text = transcriptText([{ role: 'User', text: `${'a'.repeat(100)}END` }], 20);
    assert.equal(text.length, 20);
    assert.ok(text.endsWith('END'));
  });
});

describe('sessionPreview', () => {
  const full: SessionDraft = {
    message: 'Fixed <script>login</script>\nsecond line',
    tags: ['auth', 'bugfix'],
    links: ['patterns/oauth2.md'],
    files: ['src/auth.ts', 'src/login.ts'],
    decisions: [{ decision: 'Used jose', rationale: 'type-safe' }, { decision: 'No cache' }],
    followUps: [{ text: 'Add refresh tokens', done: false }],
    next: 'Start with\nrefresh tokens',
  };

  it('shows the entry, the summary, every list with its count, and the next-session context', () => {
    const preview = sessionPreview(full, 'projects/app/sessions.md', 0);
    assert.match(preview, /^\*\*Session record for `projects\/app\/sessions\.md`\*\* \(preview, not written yet\)/);
    assert.match(preview, /\*\*Tags:\*\* `#auth` `#bugfix`/);
    assert.match(preview, /\*\*Related:\*\* `\[\[patterns\/oauth2\.md\]\]`/);
    assert.match(preview, /\*\*Files modified\*\* \(2\)\n\n- `src\/auth\.ts`\n- `src\/login\.ts`\n/);
    assert.match(preview, /\*\*Decisions\*\* \(2\)\n\n- Used jose — _type-safe_\n- No cache\n/);
    assert.match(preview, /\*\*Follow-ups\*\* \(1\)\n\n- \[ \] Add refresh tokens\n/);
    assert.match(preview, /\*\*Context for the next session\*\*\n\nStart with\nrefresh tokens\n/);
    assert.doesNotMatch(preview, /redacted/);
  });

  it('shows no raw HTML from the model', () => {
    const preview = sessionPreview(full, 'e.md', 0);
    assert.ok(!preview.includes('<script>'), preview);
    assert.match(preview, /Fixed &lt;script&gt;login&lt;\/script&gt;\nsecond line/);
  });

  it('says none for empty lists and leaves out empty tags, links and next-session context', () => {
    const preview = sessionPreview(EMPTY, 'e.md', 0);
    assert.match(preview, /\*\*Files modified\*\* \(0\)\n\n- none\n/);
    assert.match(preview, /\*\*Decisions\*\* \(0\)\n\n- none\n/);
    assert.match(preview, /\*\*Follow-ups\*\* \(0\)\n\n- none\n/);
    assert.doesNotMatch(preview, /Tags:|Related:|Context for the next session/);
  });

  it('counts the redactions, one and many', () => {
    assert.match(sessionPreview(EMPTY, 'e.md', 1), /_1 secret redacted before this preview\._/);
    assert.match(sessionPreview(EMPTY, 'e.md', 3), /_3 secrets redacted before this preview\._/);
  });
});

describe('loggedReport and loggedNotice', () => {
  const record: SessionDraft = {
    message: '\nFixed the login timeout\nDetails follow.',
    tags: ['auth', 'bugfix'],
    links: [],
    files: ['a.ts', 'b.ts', 'c.ts'],
    decisions: [{ decision: 'd' }],
    followUps: [
      { text: 'one', done: false },
      { text: 'two', done: false },
    ],
    next: 'Refresh\ntokens next',
  };

  it('reports the path, the first line of the summary, the counts, the tags and the next-session hint', () => {
    assert.equal(
      loggedReport({ path: 'projects/app/sessions.md', record, redactions: 0, warnings: [] }),
      [
        'Session logged to: `projects/app/sessions.md`',
        '',
        'Recorded:',
        '- Summary: Fixed the login timeout',
        '- Files: 3 modified',
        '- Decisions: 1 recorded',
        '- Follow-ups: 2 tasks',
        '- Tags: #auth #bugfix',
        '',
        'Next session hint: Refresh tokens next',
      ].join('\n'),
    );
  });

  it('leaves out tags and the hint when there are none, and says 1 task', () => {
    const report = loggedReport({ path: 'e.md', record: { ...EMPTY, followUps: [{ text: 'x', done: false }] }, redactions: 0, warnings: [] });
    assert.match(report, /- Follow-ups: 1 task$/m);
    assert.doesNotMatch(report, /Tags:|Next session hint/);
  });

  it('cuts a long summary to 160 characters', () => {
    const report = loggedReport({ path: 'e.md', record: { ...EMPTY, message: 'x'.repeat(300) }, redactions: 0, warnings: [] });
    const summary = /^- Summary: (.*)$/m.exec(report)?.[1];
    assert.equal(summary, `${'x'.repeat(159)}…`);
  });

  it('says how many secrets were redacted once, and shows the other warnings as notes', () => {
    const report = loggedReport({
      path: 'e.md',
      record: EMPTY,
      redactions: 2,
      warnings: ['2 secrets redacted before writing.', 'link [[<x>.md]] does not match any file'],
    });
    assert.equal(report.match(/redacted before writing/g)?.length, 1);
    assert.match(report, /_2 secrets redacted before writing\._/);
    assert.match(report, /_Note: link \[\[&lt;x&gt;\.md\]\] does not match any file_/);
  });

  it('gives the same on one line for a notification', () => {
    assert.equal(
      loggedNotice({ path: 'p.md', record }),
      'Session logged to p.md. Recorded: 3 files, 1 decision, 2 follow-ups. Next session hint: Refresh tokens next',
    );
    assert.equal(loggedNotice({ path: 'p.md', record: EMPTY }), 'Session logged to p.md. Recorded: 0 files, 0 decisions, 0 follow-ups.');
  });
});

describe('decisionPreview and decisionReport', () => {
  it('shows the title, status and the sections that have text', () => {
    const preview = decisionPreview(
      {
        title: 'Use JWT',
        context: 'Stateless API',
        decision: 'JWT with short expiry',
        alternatives: ['Sessions'],
        consequences: [],
        status: 'proposed',
      },
      'projects/app/decisions/',
      1,
    );
    assert.match(preview, /^\*\*ADR for `projects\/app\/decisions\/`\*\*/);
    assert.match(preview, /### Use JWT\n\n\*\*Status:\*\* proposed\n/);
    assert.match(preview, /\*\*Context\*\*\n\nStateless API\n/);
    assert.match(preview, /\*\*Decision\*\*\n\nJWT with short expiry\n/);
    assert.match(preview, /\*\*Alternatives considered\*\*\n\n- Sessions\n/);
    assert.doesNotMatch(preview, /Rationale|Consequences/);
    assert.match(preview, /_1 secret redacted before this preview\._/);
  });

  it('reports the recorded ADR on one line', () => {
    assert.equal(
      decisionReport({ id: 'ADR-007', title: 'Use <JWT>', status: 'accepted', date: '2026-01-11', path: 'projects/app/decisions/ADR-007-use-jwt.md' }),
      'Decision recorded: **ADR-007** Use &lt;JWT&gt; (accepted, 2026-01-11) in `projects/app/decisions/ADR-007-use-jwt.md`.',
    );
  });

  it('inline puts text on one line without raw HTML', () => {
    assert.equal(inline('  a\n  b <i>\n'), 'a b &lt;i&gt;');
  });
});

describe('splitTags', () => {
  it('takes a run of tags off the end and keeps the word of a tag inside the sentence', () => {
    assert.deepEqual(splitTags('Fixed the #token refresh race #auth #bugfix'), { message: 'Fixed the token refresh race', tags: ['token', 'auth', 'bugfix'] });
    assert.deepEqual(splitTags('#auth Fixed it'), { message: 'auth Fixed it', tags: ['auth'] });
  });

  it('takes no number, no # inside a word and no bare # for a tag', () => {
    assert.deepEqual(splitTags('Closed #123 and issue#4, see # here'), { message: 'Closed #123 and issue#4, see # here', tags: [] });
  });
});
