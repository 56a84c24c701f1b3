/**
 * The stemmer, behind `stem()` in analysis.ts: bundled apart (dist/search.js) and loaded on first
 * search, so logging and every other command start without it. The Porter stemmer, so
 * "authenticate" meets "authentication".
 *
 * The index and the ranking are our own (segments.ts, engine.ts) rather than a search library's:
 * the pure-JavaScript libraries (MiniSearch, FlexSearch, Lunr) keep an index in memory and load it
 * whole, which at 100,000 sessions meant reading 84 MB before every `sessionlog search`. Ours is
 * stored so a query reads only its own terms' postings and its hits' blocks.
 */
import { stemmer } from 'stemmer';

export { stemmer };
