/**
 * Tuning: allowlist entries for the seed page's false-positive families. An entry matches an evidence
 * row on the acting process's image PATH (a glob, never a bare name — so C:\Users\Public\msiexec.exe
 * is not C:\Windows\System32\msiexec.exe), optionally its signer (compared when the row carries
 * one), its parent's image path and the staging folder. Expired entries stop suppressing and warn.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RE2JS } from 're2js';
import { RULES_DIR } from './builtin-rules.js';
import { parseValidatedYaml } from './validate.js';

export interface ImageMatch {
  path: string;
  signer?: string;
}

export interface AllowlistEntry {
  id: string;
  family: string;
  reason: string;
  owner: string;
  expires?: string;
  rules?: string[];
  process: ImageMatch;
  parent?: ImageMatch;
  stagingFolder?: string;
  devices?: string[];
}

export interface TuningFile {
  description?: string;
  allowlist: AllowlistEntry[];
}

/** What a tuning entry is compared with: the acting process and the staging folder of one evidence row. */
export interface TuningSubject {
  rule: string;
  device: string;
  processPath: string;
  processSigner: string;
  parentPath: string;
  stagingFolder: string;
}

export const TUNING_SCHEMA_FILE = join(RULES_DIR, 'schema', 'tuning.schema.json');

export class Tuning {
  private readonly active: AllowlistEntry[];
  readonly expired: AllowlistEntry[];

  constructor(readonly file: string, readonly entries: AllowlistEntry[], today: string) {
    this.expired = entries.filter((e) => e.expires !== undefined && e.expires < today);
    this.active = entries.filter((e) => !this.expired.includes(e));
  }

  warnings(): string[] {
    return this.expired.map((e) => `${this.file}: allowlist entry ${e.id} expired on ${e.expires} and no longer suppresses — owner ${e.owner}: renew or remove it`);
  }

  /** The first active entry that allowlists the subject, if any. */
  match(subject: TuningSubject): AllowlistEntry | undefined {
    return this.active.find((entry) => entryMatches(entry, subject));
  }
}

export function loadTuning(file: string, today: string = new Date().toISOString().slice(0, 10)): Tuning {
  const parsed = parseValidatedYaml<TuningFile>(readFileSync(file, 'utf8'), file, TUNING_SCHEMA_FILE);
  return new Tuning(file, parsed.allowlist, today);
}

function entryMatches(entry: AllowlistEntry, s: TuningSubject): boolean {
  if (entry.rules && !entry.rules.includes(s.rule)) return false;
  if (entry.devices && !entry.devices.some((d) => globMatches(d, s.device))) return false;
  if (!imageMatches(entry.process, s.processPath, s.processSigner)) return false;
  if (entry.parent && !imageMatches(entry.parent, s.parentPath, '')) return false;
  if (entry.stagingFolder && !globMatches(entry.stagingFolder, s.stagingFolder)) return false;
  return true;
}

/** A path that is empty never matches: without the image path a name alone could be anyone's. */
function imageMatches(match: ImageMatch, path: string, signer: string): boolean {
  if (path === '' || !globMatches(match.path, path)) return false;
  return match.signer === undefined || signer === '' || match.signer.toLowerCase() === signer.toLowerCase();
}

const compiledGlobs = new Map<string, RE2JS>();

/** Case-insensitive glob: `*` within one folder, `**` across folders, `?` one character; `\` and `/` are the same. */
export function globMatches(glob: string, text: string): boolean {
  let regex = compiledGlobs.get(glob);
  if (!regex) {
    regex = RE2JS.compile(globToRegex(glob), RE2JS.CASE_INSENSITIVE);
    compiledGlobs.set(glob, regex);
  }
  return regex.matcher(text).matches();
}

export function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (c === '*') out += '[^\\\\/]*';
    else if (c === '?') out += '[^\\\\/]';
    else if (c === '\\' || c === '/') out += '[\\\\/]';
    else out += /[A-Za-z0-9 _:-]/.test(c) ? c : `\\${c}`;
  }
  return out;
}
