/**
 * The stemmer, behind `stem()` in analysis.ts: bundled apart (dist/search.js) and loaded on first
 * search, so logging and every other command start without it. The Porter stemmer, so
 * "authenticate" meets "authentication".
 */
import { stemmer } from 'stemmer';

export { stemmer };
