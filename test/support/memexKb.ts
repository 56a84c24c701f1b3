/** The memex fixtures and a knowledge base holding one of them: what the memex compatibility tests share. */
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { FIXTURES } from './paths';
import { tempDir, write } from './files';

/** Files in each form memex-kb 0.1.1 really writes. */
export const MEMEX = path.join(FIXTURES, 'memex-0.1.1');

/** A knowledge base whose .kbcontext points at `entry`, holding `text` there. */
export function kbWith(t: TestContext, entry: string, text: string): { root: string; file: string } {
  const root = tempDir(t);
  write(path.join(root, '.kbcontext'), `project: mx\nsession_entry: ${entry}\n`);
  return { root, file: write(path.join(root, entry), text) };
}

/** The frontmatter, fences included. */
export const frontmatterOf = (text: string): string => text.slice(0, text.indexOf('\n---', 4) + 4);
