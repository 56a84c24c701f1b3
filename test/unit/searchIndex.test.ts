/** The search index in-process: what a changed file costs it, and what it finds after. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentsOf } from '../../src/core/search/documents';
import { SearchIndex } from '../../src/core/search/engine';
import { parseQuery, resolveFilters } from '../../src/core/search/query';

const HEAD = '---\ntitle: app Sessions\ntags:\n  - app\ncreated: 2026-03-01T09:00:00\n---\n\n# Session Log\n';
const section = (n: number) => `\n## 2026-03-01 10:${String(n).padStart(2, '0')} UTC\n\nFed the capybara, round ${n}.\n`;
const entry = (count: number) => HEAD + Array.from({ length: count }, (_, n) => section(n)).join('');

describe('search index', () => {
  it('indexes again only the sections a change touched, change after change', async () => {
    const index = new SearchIndex();
    const file = 'projects/app/sessions.md';
    await index.setFile(file, { size: 1, mtimeMs: 1 }, documentsOf(file, entry(50)));
    assert.equal(index.memory.docs.length, 50);
    for (let days = 51; days <= 53; days++) {
      await index.setFile(file, { size: days, mtimeMs: days }, documentsOf(file, entry(days)));
    }
    assert.equal(index.memory.docs.length, 53, 'each append added its one section, nothing else');
    assert.equal(index.memory.live, 53);
    // A line added above every section moves them all: each is indexed again, once.
    await index.setFile(file, { size: 99, mtimeMs: 99 }, documentsOf(file, entry(53).replace('created:', 'updated: 2026-03-02T00:00:00\ncreated:')));
    assert.equal(index.memory.docs.length, 106);
    assert.equal(index.memory.live, 53);
    const hits = await index.search(
      parseQuery('capybara 52 '),
      resolveFilters({}, new Date(), (field) => field),
      5,
    );
    assert.equal(hits[0]?.doc.heading, '2026-03-01 10:52 UTC');
    assert.equal(hits.length, 5);
  });

  it('counts a word once, in whatever forms a document holds it: every word matched ranks above one word twice', async () => {
    const index = new SearchIndex();
    const file = 'projects/app/sessions.md';
    const text = `${HEAD}\n## 2026-03-01 10:00 UTC\n\nThe retry loop: retry, retry, retry.\n\n## 2026-03-01 11:00 UTC\n\nRetries hold the lock now.\n`;
    await index.setFile(file, { size: 1, mtimeMs: 1 }, documentsOf(file, text));
    const hits = await index.search(
      parseQuery('lock retry '),
      resolveFilters({}, new Date(), (field) => field),
      5,
    );
    assert.deepEqual(
      hits.map((hit) => hit.doc.heading),
      ['2026-03-01 11:00 UTC', '2026-03-01 10:00 UTC'],
    );
  });
});
