/**
 * datetime and timespan: 100 ns ticks held in bigint (see types.ts), parsing and Kusto's printing.
 * (Signatures fixed; implementation pending.)
 */
export const TICKS_PER_MILLISECOND = 10_000n;
export const TICKS_PER_SECOND = 10_000_000n;
export const TICKS_PER_MINUTE = 600_000_000n;
export const TICKS_PER_HOUR = 36_000_000_000n;
export const TICKS_PER_DAY = 864_000_000_000n;

/** Parses the datetime forms Kusto and Defender/Sentinel exports use; null when unparsable. */
export function parseDatetime(text: string): bigint | null {
  throw new Error(`parseDatetime not implemented: ${text}`);
}

/** Kusto's printing: `2026-11-27T10:00:00Z`, up to 7 fractional digits, trailing zeros trimmed. */
export function formatDatetime(ticks: bigint): string {
  throw new Error(`formatDatetime not implemented: ${ticks}`);
}

/** Parses `[-][d.]hh:mm[:ss[.fffffff]]` and literal forms like `1d`, `1.5h`; null when unparsable. */
export function parseTimespan(text: string): bigint | null {
  throw new Error(`parseTimespan not implemented: ${text}`);
}

/** Kusto's printing: `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(ticks: bigint): string {
  throw new Error(`formatTimespan not implemented: ${ticks}`);
}

export function datetimeFromDate(date: Date): bigint {
  return BigInt(date.getTime()) * TICKS_PER_MILLISECOND;
}

/** Milliseconds since the epoch (sub-millisecond ticks truncated toward negative infinity). */
export function datetimeToMillis(ticks: bigint): number {
  const ms = ticks / TICKS_PER_MILLISECOND;
  return Number(ticks < 0n && ms * TICKS_PER_MILLISECOND !== ticks ? ms - 1n : ms);
}
