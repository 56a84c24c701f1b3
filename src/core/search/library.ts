/**
 * The search libraries, behind `searchLibrary()`: bundled apart (dist/search.js) and loaded on first
 * search, so logging and every other command start without them.
 *
 * MiniSearch: BM25 ranking, prefix and fuzzy matching, field boosts, AND/OR/AND_NOT query trees and a
 * serializable index with discard/vacuum for incremental updates, in plain JavaScript with no
 * dependencies (the VSIX stays platform-neutral). stemmer: the Porter stemmer, so "authenticate"
 * meets "authentication".
 */
import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';

export { MiniSearch, stemmer };
