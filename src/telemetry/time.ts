/**
 * Event times as 100 ns ticks since the Unix epoch (UTC), the unit of `WindowsEvent.timeCreated`,
 * and their Defender text form: ISO 8601 with exactly 7 fractional digits (`2019-07-19T14:54:16.7826670Z`).
 * Sources write times many ways (`2019-07-19 14:54:16.782667` from python-evtx, 9 digits from
 * Sysmon for Linux, `…Z` or `+02:00` from JSON shippers); text without a zone is UTC, as every
 * Windows event time is. Digits past the 7th are truncated: Kusto keeps 100 ns, no finer.
 */
const TICKS_PER_MS = 10_000n;
const TICKS_PER_SECOND = 10_000_000n;

const TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses an event time; undefined when the text is not one. */
export function parseEventTime(text: string): bigint | undefined {
  const m = TIME_TEXT.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) {
    return undefined;
  }
  let ticks = BigInt(ms) * TICKS_PER_MS + BigInt((fraction ?? '').slice(0, 7).padEnd(7, '0'));
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1n : 1n;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    ticks -= sign * offsetMinutes * 60n * TICKS_PER_SECOND;
  }
  return ticks;
}

/** Seconds since the epoch with a decimal fraction (auditd `audit(1492037291.036:59)`) → ticks. */
export function epochSecondsToTicks(text: string): bigint | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return undefined;
  return BigInt(m[1]!) * TICKS_PER_SECOND + BigInt((m[2] ?? '').slice(0, 7).padEnd(7, '0'));
}

/** Ticks → `YYYY-MM-DDThh:mm:ss.fffffffZ` (always 7 digits, as Defender exports write them). */
export function formatEventTime(ticks: bigint): string {
  let fraction = ticks % TICKS_PER_SECOND;
  let seconds = ticks / TICKS_PER_SECOND;
  if (fraction < 0n) {
    fraction += TICKS_PER_SECOND;
    seconds -= 1n;
  }
  const iso = new Date(Number(seconds) * 1000).toISOString(); // 2019-07-19T14:54:16.000Z
  return `${iso.slice(0, 19)}.${fraction.toString().padStart(7, '0')}Z`;
}
