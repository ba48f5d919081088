/**
 * Rule timespans (`5m`, `1h`, `24h`, `1d` in rule.yaml) in the forms the targets want: Sentinel's
 * content-repository YAML (`1h`, `1d`) and ISO 8601 durations for ARM (`PT1H`, `P1D`).
 */
import { timespanMs } from '../detections/rules.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The largest of d/h/m that divides the span evenly: `24h` → `1d`, `90m` → `90m`, `36h` → `36h`. */
export function sentinelDuration(text: string): string {
  const ms = timespanMs(text);
  for (const [suffix, unit] of [['d', DAY], ['h', HOUR], ['m', MINUTE]] as const) {
    if (ms % unit === 0) return `${ms / unit}${suffix}`;
  }
  throw new Error(`not a whole number of minutes: ${text}`);
}

/** ISO 8601: `24h` → `P1D`, `1h` → `PT1H`, `90m` → `PT1H30M`, `36h` → `P1DT12H`. */
export function isoDuration(text: string): string {
  const ms = timespanMs(text);
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}`;
  if (!days && !time) return 'PT0M';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
