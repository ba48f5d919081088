/**
 * Event times for generated telemetry, as Defender exports print them: ISO 8601 UTC with exactly seven
 * fractional digits (100 ns ticks), e.g. `2026-11-27T10:00:00.1234567Z`.
 * Times are tick offsets (plain numbers: a window of years in ticks stays far below 2^53) from the
 * window start, which is a whole second.
 */
export const TICKS_PER_SECOND = 10_000_000;
export const TICKS_PER_MILLISECOND = 10_000;

export interface TimeWindow {
  /** Milliseconds since the epoch of the window start (a whole second). */
  startMs: number;
  /** Window length in ticks. */
  lengthTicks: number;
}

/** The window of `lengthTicks` ending at `end` (which must be a whole second, so every tick prints exactly). */
export function windowEndingAt(end: Date, lengthTicks: number): TimeWindow {
  const endMs = end.getTime();
  if (Number.isNaN(endMs)) throw new Error('window end is not a valid date');
  if (endMs % 1000 !== 0) throw new Error('window end must be a whole second');
  if (!(lengthTicks > 0) || lengthTicks % TICKS_PER_SECOND !== 0) throw new Error('window length must be a positive number of whole seconds');
  return { startMs: endMs - lengthTicks / TICKS_PER_MILLISECOND, lengthTicks };
}

/** `1d`, `24h`, `90m`, `3600s` → ticks. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*(d|h|m|s)$/i.exec(text.trim());
  if (!match) throw new Error(`'${text}' is not a duration like 1d, 24h, 90m or 3600s`);
  const seconds = { d: 86400, h: 3600, m: 60, s: 1 }[match[2]!.toLowerCase() as 'd' | 'h' | 'm' | 's'];
  const ticks = Number(match[1]) * seconds * TICKS_PER_SECOND;
  if (ticks <= 0) throw new Error(`duration '${text}' must be positive`);
  return ticks;
}

/** Formats `window.start + offsetTicks` with seven fractional digits. Offsets may be negative. */
export function formatTicks(window: TimeWindow, offsetTicks: number): string {
  const whole = Math.floor(offsetTicks / TICKS_PER_SECOND);
  const fraction = offsetTicks - whole * TICKS_PER_SECOND;
  const seconds = new Date(window.startMs + whole * 1000).toISOString().slice(0, 19);
  return `${seconds}.${String(fraction).padStart(7, '0')}Z`;
}
