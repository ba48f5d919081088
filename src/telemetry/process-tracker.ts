/**
 * What a normaliser remembers about processes it saw start, to fill the `InitiatingProcess*`
 * columns of later events (a Sysmon FileCreate names only the creator's image and id; Defender also
 * gives its command line, account and start time). Bounded: past `capacity` entries the oldest go.
 */
export interface TrackedProcess {
  folderPath?: string;
  fileName?: string;
  commandLine?: string;
  processId?: number;
  creationTime?: string;
  accountDomain?: string;
  accountName?: string;
  accountSid?: string;
  integrityLevel?: string;
  tokenElevation?: string;
  logonId?: number;
  sha1?: string;
  sha256?: string;
  md5?: string;
  parentId?: number;
  parentFileName?: string;
  parentCreationTime?: string;
}

export class ProcessTracker {
  private readonly byKey = new Map<string, TrackedProcess>();

  constructor(private readonly capacity = 200_000) {}

  remember(keys: Array<string | undefined>, process: TrackedProcess): void {
    for (const key of keys) {
      if (!key) continue;
      this.byKey.delete(key); // re-insert so that it counts as newest
      this.byKey.set(key, process);
      if (this.byKey.size > this.capacity) this.byKey.delete(this.byKey.keys().next().value as string);
    }
  }

  find(...keys: Array<string | undefined>): TrackedProcess | undefined {
    for (const key of keys) {
      if (!key) continue;
      const found = this.byKey.get(key);
      if (found) return found;
    }
    return undefined;
  }
}
