/** Rejected records and warnings: counted, located, reported once, and summarised for people. */

/** A record that could not be used. `line`: 1-based line (NDJSON, CSV) or record number (JSON documents, `tables` rows). */
export interface RejectedRecord { file: string; line: number; reason: string }

export interface DataIssues {
  /** Records rejected so far (each counted once, however often its table is scanned). */
  rejected: number;
  /** Rejections handed to the `onReject` callback (0 when there is none). */
  reportsShown: number;
  warnings: string[];
}

export interface LoadOptions {
  onReject?: (r: RejectedRecord) => void;
  onWarning?: (message: string) => void;
  /**
   * Asked for a data file that would feed a table without a built-in schema (`sysmon.json`): true
   * hands it to `otherFiles()` instead, for a caller that reads raw telemetry.
   */
  isRawTelemetry?: (path: string) => Promise<boolean>;
}

/**
 * Collects the issues of one catalog. A table may be scanned several times by one query (a self-join,
 * a `union` of the same table); its records are then rejected again, but reported and counted once:
 * per file, only lines beyond the last one already reported are new.
 */
export class IssueLog {
  private rejectedCount = 0;
  private shownCount = 0;
  private readonly warningList: string[] = [];
  private readonly warned = new Set<string>();
  private readonly reportedUpTo = new Map<string, number>();

  constructor(private readonly options: LoadOptions = {}) {}

  reject(record: RejectedRecord): void {
    if (record.line <= (this.reportedUpTo.get(record.file) ?? 0)) return;
    this.reportedUpTo.set(record.file, record.line);
    this.rejectedCount++;
    if (this.options.onReject) {
      this.shownCount++;
      this.options.onReject(record);
    }
  }

  /**
   * A column the table's schema lacks has a value at `line`; `message` says so. A scan in a worker
   * thread passes this on as it is (its line is relative to the part of the file the worker reads).
   */
  unknownColumn(name: string, line: number, message: string): void {
    void name;
    void line;
    this.warn(message);
  }

  /** Reports a warning once (the same text again is ignored). */
  warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.warningList.push(message);
    this.options.onWarning?.(message);
  }

  snapshot(): DataIssues {
    return { rejected: this.rejectedCount, reportsShown: this.shownCount, warnings: [...this.warningList] };
  }
}

export interface RejectReporter {
  onReject: (r: RejectedRecord) => void;
  /** "" when nothing was rejected; else the total, and how many were not printed. */
  summary(): string;
  /** Rejections seen so far. */
  count(): number;
}

/** Prints the first `maxShown` rejections as `file:line: reason` and keeps count of the rest. */
export function createRejectReporter(stream: NodeJS.WritableStream, maxShown = 20): RejectReporter {
  let total = 0;
  return {
    onReject(r) {
      total++;
      if (total <= maxShown) stream.write(`${r.file}:${r.line}: ${r.reason}\n`);
    },
    summary() {
      if (total === 0) return '';
      const inTotal = `${total} record${total === 1 ? '' : 's'} rejected in total`;
      const hidden = total - maxShown;
      return hidden > 0 ? `… and ${hidden} more; ${inTotal}` : inTotal;
    },
    count: () => total,
  };
}
