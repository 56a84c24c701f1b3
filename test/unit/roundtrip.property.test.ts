/**
 * Property: whatever a writer gives, reading the entry back gives the same record (in its
 * normalized form), and sessions never run into each other.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normalizeItem, normalizeText } from '../../src/core/format/escape';
import { indexEntry, parseEntry } from '../../src/core/format/parse';
import { isMarkerLine } from '../../src/core/format/escape';
import { renderNewEntry, renderSection } from '../../src/core/format/render';
import type { Decision, FollowUp, SessionRecord } from '../../src/core/model/session';
import { headingTime, parseHeadingTime } from '../../src/core/model/time';
import { cleanItems, cleanLinks, cleanTags } from '../../src/core/model/validate';
import { logSession } from '../../src/core/usecases/logSession';
import { tempDir } from '../support/files';
import { coreDeps } from '../support/core';

/** Lines the reader could take for structure, and other awkward ones. */
const TRICKY_LINES = [
  '## 2026-01-11 10:30 UTC',
  '## heading',
  '##',
  '##\tx',
  '\\## escaped already',
  '\\\\## two backslashes',
  '### Decisions',
  '### Files modified',
  '### Follow-ups',
  '### Next session',
  '### Decisions  ',
  '### Other',
  '#tag',
  '#a #b',
  '#a\t#b ',
  '#',
  '# #',
  '# Title',
  '\\#tag',
  '#tag text',
  'Related: [[x]]',
  'Related: [[a.md]], [[b.md]]',
  'Related:',
  'Related\\: x',
  'Related\\\\: y',
  'related: [[lower]]',
  '- item',
  '- [ ] task',
  '- [x] done',
  '  - Rationale: r',
  '* star',
  '---',
  '...',
  '```',
  '`code`',
  '\\',
  '\\\\',
  '',
  '   ',
  '\t',
  '\u00a0',
  'héllo wörld',
  '日本語のテキスト',
  '🙂 emoji 👩‍💻',
  'a\u2028b',
  'tab\there',
  'trailing  ',
];

const char = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('#', '\\', '`', '[', ']', ':', '-', ' ', '\t', '\r', '*', '|', '\u00a0', 'é', '😀', '中') },
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);
const freeLine = fc.string({ unit: char, maxLength: 30 });
const line = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...TRICKY_LINES) }, { weight: 3, arbitrary: freeLine });
const text = fc.array(line, { maxLength: 8 }).map((lines) => lines.join('\n'));
const message = text.filter((value) => normalizeText(value) !== '');
const item = fc.oneof(fc.constantFrom(...TRICKY_LINES), freeLine, text);

const tagChar = fc.oneof(
  fc.constantFrom('a', 'b', 'z', 'Q', '0', '9', '-', '_', '/', '.', 'é', '中', '\\', '`', ':'),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
);
const tag = fc.string({ unit: tagChar, minLength: 1, maxLength: 10 }).filter((value) => /^#*[^\s#,[\]]+$/u.test(value));

const segment = fc
  .string({ unit: fc.constantFrom('a', 'b', 'x', '-', '_', '.', ' ', 'é', '1'), minLength: 1, maxLength: 8 })
  .filter((value) => value.trim() !== '' && value.trim() !== '..' && value.trim() !== '.');
const link = fc
  .tuple(fc.array(segment, { minLength: 1, maxLength: 3 }), fc.constantFrom('', '.md'), fc.constantFrom('', '|Title', '#Heading', '|a, b'))
  .map(([parts, ext, suffix]) => `${parts.join('/')}${ext}${suffix}`);

const decision: fc.Arbitrary<Decision> = fc.record(
  { decision: item.filter((value) => normalizeItem(value) !== ''), rationale: fc.option(item, { nil: undefined }) },
  { requiredKeys: ['decision'] },
);
const followUp: fc.Arbitrary<FollowUp> = fc.record({ text: item.filter((value) => normalizeItem(value) !== ''), done: fc.boolean() });

const record: fc.Arbitrary<SessionRecord> = fc.record(
  {
    message,
    tags: fc.array(tag, { maxLength: 4 }),
    links: fc.array(link, { maxLength: 3 }),
    files: fc.array(item, { maxLength: 4 }),
    decisions: fc.array(decision, { maxLength: 3 }),
    followUps: fc.array(followUp, { maxLength: 3 }),
    next: fc.option(text, { nil: undefined }),
  },
  { requiredKeys: ['message', 'tags', 'links', 'files', 'decisions', 'followUps'] },
);

/** The record as logSession cleans it before writing: what a reader must give back. */
function normalized(input: SessionRecord): SessionRecord {
  const decisions = input.decisions.map(({ decision: d, rationale }) => {
    const r = normalizeItem(rationale ?? '');
    return r ? { decision: normalizeItem(d), rationale: r } : { decision: normalizeItem(d) };
  });
  const next = normalizeText(input.next ?? '');
  return {
    message: normalizeText(input.message),
    tags: cleanTags(input.tags),
    links: cleanLinks(input.links),
    files: cleanItems(input.files),
    decisions,
    followUps: input.followUps.map(({ text: t, done }) => ({ text: normalizeItem(t), done })),
    ...(next ? { next } : {}),
  };
}

function readBack(session: SessionRecord): SessionRecord {
  const { message: m, tags, links, files, decisions, followUps, next } = session;
  return { message: m, tags, links, files, decisions, followUps, ...(next !== undefined ? { next } : {}) };
}

const when = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });

describe('render then parse', () => {
  it('gives back the normalized record', () => {
    fc.assert(
      fc.property(record, when, (input, date) => {
        const clean = normalized(input);
        const section = renderSection(headingTime(date), clean);
        const entry = parseEntry(renderNewEntry({ project: 'p', projectTag: 'p', created: '2026-01-01T00:00:00Z' }, section));
        assert.equal(entry.sessions.length, 1, section);
        assert.deepEqual(readBack(entry.sessions[0]!), clean, section);
        assert.equal(entry.sessions[0]!.heading, headingTime(date));
      }),
      { numRuns: 600 },
    );
  });

  it('keeps several sections of one entry apart, same headings included', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(record, when), { minLength: 1, maxLength: 6 }), fc.boolean(), (items, crlf) => {
        const cleans = items.map(([input]) => normalized(input));
        const headings = items.map(([, date], index) => (index % 2 === 1 ? headingTime(items[0]![1]) : headingTime(date)));
        let text = renderNewEntry({ project: 'p', projectTag: 'p', created: '2026-01-01T00:00:00Z' }, renderSection(headings[0], cleans[0]!));
        for (let i = 1; i < cleans.length; i++) text = `${text.trimEnd()}\n\n${renderSection(headings[i], cleans[i]!)}`;
        if (crlf) text = `\uFEFF${text.replace(/\n/g, '\r\n')}`;
        const entry = parseEntry(text);
        assert.deepEqual(
          entry.sessions.map((session) => session.heading),
          headings,
        );
        assert.deepEqual(entry.sessions.map(readBack), cleans);
        assert.deepEqual(entry.frontmatter, { title: 'p Sessions', tags: ['p', 'sessions'], created: '2026-01-01T00:00:00Z' });
      }),
      { numRuns: 300 },
    );
  });

  it('reads the same sessions through the index, one at a time, newest first, as a page does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(record, when), { minLength: 0, maxLength: 6 }), (items) => {
        const sections = items.map(([input, date]) => renderSection(headingTime(date), normalized(input)).trimEnd());
        const text = renderNewEntry({ project: 'p', projectTag: 'p', created: '2026-01-01T00:00:00Z' }, `${sections.join('\n\n')}\n`);
        const whole = parseEntry(text);
        const index = indexEntry(text);
        assert.equal(index.count, whole.sessions.length);
        for (let i = index.count - 1; i >= 0; i--) assert.deepEqual(index.session(i), whole.sessions[i]);
        assert.equal(index.preamble, whole.preamble);
        const withFollowUps = whole.sessions.filter((session) => session.followUps.length > 0);
        assert.deepEqual(
          indexEntry(text).sessionsWithLine((line) => isMarkerLine(line) === 'followUps'),
          withFollowUps,
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('logSession then read the file', () => {
  it('gives back every record written to a real entry, in order', async (t) => {
    const root = tempDir(t);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 4 }), async (records) => {
        const kb = path.join(root, String(run++));
        fs.mkdirSync(kb);
        const deps = coreDeps({ cwd: kb, env: { MEMEX_KB_ROOT: kb }, now: '2026-03-04T05:06:07Z' });
        for (const input of records) {
          await logSession(deps, { ...input, followUps: input.followUps, entry: 'projects/p/sessions.md', redact: false, cwd: kb });
        }
        const entry = parseEntry(fs.readFileSync(path.join(kb, 'projects/p/sessions.md'), 'utf8'));
        assert.deepEqual(entry.sessions.map(readBack), records.map(normalized));
        assert.equal(entry.frontmatter.updated, records.length > 1 ? '2026-03-04T05:06:07' : undefined);
      }),
      { numRuns: 60 },
    );
  });
});

describe('heading times', () => {
  it('read as Date reads them, rolling over out-of-range days and times as it always has', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.option(fc.integer({ min: 0, max: 61 })),
        (y, mo, d, h, mi, s) => {
          const heading = `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)} ${two(h)}:${two(mi)}${s === null ? '' : `:${two(s)}`} UTC`;
          const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s ?? 0));
          const expected = Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
          assert.equal(parseHeadingTime(heading), expected, heading);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
