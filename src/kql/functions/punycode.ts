/**
 * Punycode (RFC 3492, the Bootstring parameters for IDNA), used by punycode_from_string /
 * punycode_to_string and the punycode_domain_* functions. Written here because node:punycode is
 * deprecated. Works on Unicode code points, so characters outside the BMP count once.
 */
const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;
const DELIMITER = '-';
const MAX_CODE_POINT = 0x10ffff;

function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  let d = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / numPoints);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

/** 0–25 → a–z, 26–35 → 0–9. */
function digitChar(digit: number): string {
  return String.fromCharCode(digit < 26 ? 97 + digit : 22 + digit);
}

function digitValue(code: number): number | undefined {
  if (code >= 48 && code <= 57) return code - 22; // 0-9 → 26-35
  if (code >= 65 && code <= 90) return code - 65; // A-Z
  if (code >= 97 && code <= 122) return code - 97; // a-z
  return undefined;
}

function threshold(k: number, bias: number): number {
  return k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
}

/** The Punycode form of `input` (without an "xn--" prefix); undefined on arithmetic overflow. */
export function punycodeEncode(input: string): string | undefined {
  const codePoints = Array.from(input, (c) => c.codePointAt(0)!);
  let output = codePoints.filter((c) => c < 0x80).map((c) => String.fromCharCode(c)).join('');
  const basicCount = output.length;
  let handled = basicCount;
  if (basicCount > 0) output += DELIMITER;
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  while (handled < codePoints.length) {
    const m = Math.min(...codePoints.filter((c) => c >= n));
    delta += (m - n) * (handled + 1);
    if (!Number.isSafeInteger(delta)) return undefined;
    n = m;
    for (const c of codePoints) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = threshold(k, bias);
        if (q < t) break;
        output += digitChar(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
      }
      output += digitChar(q);
      bias = adapt(delta, handled + 1, handled === basicCount);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

/** The string a Punycode form stands for; undefined when it is not valid Punycode. */
export function punycodeDecode(input: string): string | undefined {
  const delimiterAt = input.lastIndexOf(DELIMITER);
  const basic = delimiterAt < 0 ? '' : input.slice(0, delimiterAt);
  if ([...basic].some((c) => c.charCodeAt(0) >= 0x80)) return undefined;
  const output = Array.from(basic, (c) => c.codePointAt(0)!);
  let n = INITIAL_N;
  let i = 0;
  let bias = INITIAL_BIAS;
  for (let at = delimiterAt < 0 ? 0 : delimiterAt + 1; at < input.length;) {
    const oldI = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (at >= input.length) return undefined;
      const digit = digitValue(input.charCodeAt(at++));
      if (digit === undefined) return undefined;
      i += digit * w;
      const t = threshold(k, bias);
      if (digit < t) break;
      w *= BASE - t;
      if (!Number.isSafeInteger(i) || !Number.isSafeInteger(w)) return undefined;
    }
    bias = adapt(i - oldI, output.length + 1, oldI === 0);
    n += Math.floor(i / (output.length + 1));
    i %= output.length + 1;
    if (n > MAX_CODE_POINT || (n >= 0xd800 && n <= 0xdfff)) return undefined;
    output.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...output);
}
