/**
 * One Windows event log record, whatever it was read from (EVTX, `wevtutil /f:xml` XML, Winlogbeat or
 * flattened JSON, Sysmon for Linux syslog XML): the common input of the Windows normalisers.
 */
export interface WindowsEvent {
  /** `Microsoft-Windows-Sysmon`, `Microsoft-Windows-Security-Auditing`, `Linux-Sysmon`, … */
  provider: string;
  eventId: number;
  version: number;
  /** `Microsoft-Windows-Sysmon/Operational`, `Security`, … ('' when the source does not say). */
  channel: string;
  /** Computer / Hostname as recorded. */
  computer: string;
  /** EventRecordID (0 when the source has none). */
  recordId: number;
  /** System/TimeCreated/@SystemTime as 100 ns ticks since the Unix epoch (UTC). */
  timeCreated: bigint;
  /** System/Security/@UserID (Windows) or @UserId (Sysmon for Linux), when present. */
  userId?: string;
  /** System/Execution/@ProcessID and @ThreadID, when present. */
  processId?: number;
  threadId?: number;
  /** System/Level, Task, Opcode (numbers) and Keywords (hex text such as `0x8020000000000000`), when present. */
  level?: number;
  task?: number;
  opcode?: number;
  keywords?: string;
  /**
   * EventData `<Data Name="…">value</Data>` pairs (UserData children flattened the same way), values
   * as rendered text exactly as Windows renders them (hex ints `0x…`, GUIDs `{…}`, SIDs `S-1-…`,
   * FILETIME/SYSTEMTIME as ISO `2019-07-19T14:54:16.7666670Z`). Unnamed Data items are `Data1`, `Data2`, ….
   */
  data: Record<string, string>;
  /** Where the record came from, for rejects and the stable ReportId. */
  source: { file: string; record: number };
}
