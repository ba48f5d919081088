/** Locations tests read from: the repository itself and the shared data beside it. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/testing/repo.js → the repository root, two levels up. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `../shared` beside the repository (real telemetry, docs, conformance cases). */
export const SHARED_DIR = resolve(REPO_ROOT, '..', 'shared');

export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}

/** Path inside ../shared, or undefined when it is absent (tests then skip with a visible message). */
export function sharedPath(...parts: string[]): string | undefined {
  const p = join(SHARED_DIR, ...parts);
  return existsSync(p) ? p : undefined;
}
