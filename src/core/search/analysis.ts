import type * as Library from './library';
import type { SearchDoc } from './documents';

let library: typeof Library | undefined;

/** The stemmer, loaded on first use (see library.ts). */
function stem(word: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (library ??= require('./library') as typeof Library).stemmer(word);
}

/** The indexed fields, in the order the index stores them, and how much a match in each counts. */
export const FIELDS = ['title', 'tagText', 'body'] as const;
export const BOOSTS = [3, 2, 1] as const;
export type FieldCounts = [number, number, number];

/** Words too common to tell sessions apart; dropped from the index and from queries. */
const STOP_WORDS = new Set('a an and are as at be by for from in into is it of on or so that the this to was we were with'.split(' '));

/** Spaces and punctuation end a word. */
const SEPARATOR = /[\n\r\p{Z}\p{P}]+/u;

/** A word as the index compares it: lower case, stemmed; undefined for a stop word. */
export function analyse(word: string): string | undefined {
  const lower = word.toLowerCase();
  return STOP_WORDS.has(lower) ? undefined : stem(lower);
}

/**
 * The terms a word gives, in the index and in queries alike: its stem, so every form of a word meets
 * every other, and the word itself when it differs, so the exact form ranks first and a typo is
 * forgiven against the word as written ("invalidaton" is one edit from "invalidation", four from "invalid").
 */
function termsOf(word: string): string[] {
  let terms = known.get(word);
  if (terms === undefined) {
    const analysed = analyse(word);
    const lower = word.toLowerCase();
    terms = analysed === undefined ? [] : analysed === lower ? [analysed] : [analysed, lower];
    // Words repeat far more than they vary: stemming each once is most of what indexing a rebuild costs.
    if (known.size >= 200_000) known.clear();
    known.set(word, terms);
  }
  return terms;
}

const known = new Map<string, string[]>();

/**
 * The query terms of what was typed as one word, per word it splits into where the index splits text
 * (`zebra-stripe` is two words): each word's stem and, when it differs, the word as written.
 */
export function queryWords(typed: string): string[][] {
  return typed.split(SEPARATOR).flatMap((word) => {
    const terms = word === '' ? [] : termsOf(word);
    return terms.length === 0 ? [] : [terms];
  });
}

/** The query terms of what was typed as one word, all together. */
export function queryTerms(typed: string): string[] {
  return queryWords(typed).flat();
}

/** What a document gives the index: each term's frequency per field, and each field's length in words. */
interface Analysed {
  terms: Map<string, FieldCounts>;
  lengths: FieldCounts;
}

export function analyseDoc(doc: Pick<SearchDoc, 'title' | 'tags' | 'body'>): Analysed {
  const terms = new Map<string, FieldCounts>();
  const lengths: FieldCounts = [0, 0, 0];
  [doc.title, doc.tags.join(' '), doc.body].forEach((text, field) => {
    const words = text.split(SEPARATOR);
    // A field's length is its count of distinct words: repeating a word does not dilute the field.
    const distinct = new Set(words);
    distinct.delete('');
    lengths[field] = distinct.size;
    for (const word of words) {
      if (word === '') continue;
      for (const term of termsOf(word)) {
        let counts = terms.get(term);
        if (!counts) terms.set(term, (counts = [0, 0, 0]));
        counts[field]!++;
      }
    }
  });
  return { terms, lengths };
}

/** Whether `a` becomes `b` by one insertion, deletion or substitution. */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
