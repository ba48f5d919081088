/**
 * IP functions (ipv4-*, ipv6-*, has_ipv4* docs). An address may carry a CIDR suffix (`10.0.0.0/8`),
 * which masks it. Text that is not an address makes the result null (bool/long) or "" (string).
 * IPv4 values are unsigned 32-bit numbers; IPv6 values are 128-bit bigints, IPv4 text read as the
 * IPv4-mapped address `::ffff:a.b.c.d` (prefix + 96).
 */
import type { ScalarFunction } from './registry.js';
import type { DynamicValue, Value } from '../values/types.js';
import { flattenDynamic } from '../values/dynamic.js';
import { ANY, INTEGER, STRING_OR_DYNAMIC, simpleScalar, textOf } from './common.js';

export interface Ipv4 {
  address: number;
  prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** `a.b.c.d[/n]` → address (masked by n) and prefix; null when invalid. */
export function parseIpv4(text: string): Ipv4 | null {
  const [ip, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || ip === undefined) return null;
  const octets = ip.split('.');
  if (octets.length !== 4 || !octets.every((o) => OCTET.test(o))) return null;
  let prefix = 32;
  if (prefixText !== undefined) {
    if (!/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) return null;
    prefix = Number(prefixText);
  }
  const address = octets.reduce((acc, o) => acc * 256 + Number(o), 0);
  return { address: maskIpv4(address, prefix), prefix };
}

export function maskIpv4(address: number, prefix: number): number {
  if (prefix <= 0) return 0;
  return Number(BigInt(address) & ((0xffffffffn << BigInt(32 - prefix)) & 0xffffffffn));
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((r) => parseIpv4(r)!);

function inRange(ip: Ipv4, range: Ipv4): boolean {
  const prefix = Math.min(ip.prefix, range.prefix);
  return prefix >= range.prefix && maskIpv4(ip.address, range.prefix) === range.address;
}

/** Compares two addresses on the shortest of their prefixes and the optional prefix argument. */
function compareIpv4(a: Ipv4, b: Ipv4, prefix = 32): number {
  const bits = Math.min(a.prefix, b.prefix, prefix);
  const [x, y] = [maskIpv4(a.address, bits), maskIpv4(b.address, bits)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A value read as IPv4: text, or (for format_ipv4) a long holding the address. */
function ipv4Of(value: Value, type: string): Ipv4 | null {
  if ((type === 'long' || type === 'int') && typeof value === 'number') {
    return value >= 0 && value <= 0xffffffff && Number.isInteger(value) ? { address: value, prefix: 32 } : null;
  }
  return parseIpv4(textOf(value, type as 'string'));
}

const IP_TEXT = STRING_OR_DYNAMIC;

function ipv4Predicates(): ScalarFunction[] {
  return [
    simpleScalar({
      name: 'ipv4_is_private',
      params: [IP_TEXT],
      result: 'bool',
      kernel: (args) => ([v]) => {
        const ip = parseIpv4(textOf(v!, args[0]!.type));
        return ip === null ? null : PRIVATE_RANGES.some((r) => inRange(ip, r));
      },
    }),
    simpleScalar({
      name: 'ipv4_is_in_range',
      params: [IP_TEXT, IP_TEXT],
      result: 'bool',
      kernel: (args) => ([v, r]) => {
        const [ip, range] = [parseIpv4(textOf(v!, args[0]!.type)), parseIpv4(textOf(r!, args[1]!.type))];
        return ip === null || range === null ? null : inRange(ip, range);
      },
    }),
    simpleScalar({
      name: 'ipv4_is_in_any_range',
      params: [IP_TEXT, ANY],
      rest: ANY,
      maxArgs: 64,
      result: 'bool',
      kernel: (args) => (values) => {
        const ip = parseIpv4(textOf(values[0]!, args[0]!.type));
        if (ip === null) return null;
        return rangeTexts(values.slice(1), args.slice(1).map((a) => a.type)).some((text) => {
          const range = parseIpv4(text);
          return range !== null && inRange(ip, range);
        });
      },
    }),
    simpleScalar({
      name: 'ipv4_compare',
      params: [IP_TEXT, IP_TEXT, INTEGER],
      optional: 1,
      result: 'long',
      kernel: (args) => ([a, b, p]) => {
        const [x, y] = [parseIpv4(textOf(a!, args[0]!.type)), parseIpv4(textOf(b!, args[1]!.type))];
        if (x === null || y === null || (p !== undefined && ((p as number) < 0 || (p as number) > 32))) return null;
        return compareIpv4(x, y, p === undefined ? 32 : (p as number));
      },
    }),
    simpleScalar({
      name: 'ipv4_is_match',
      params: [IP_TEXT, IP_TEXT, INTEGER],
      optional: 1,
      result: 'bool',
      kernel: (args) => ([a, b, p]) => {
        const [x, y] = [parseIpv4(textOf(a!, args[0]!.type)), parseIpv4(textOf(b!, args[1]!.type))];
        if (x === null || y === null || (p !== undefined && ((p as number) < 0 || (p as number) > 32))) return null;
        return compareIpv4(x, y, p === undefined ? 32 : (p as number)) === 0;
      },
    }),
  ];
}

/** Range arguments: texts, or dynamic arrays of texts (ipv4_is_in_any_range docs). */
function rangeTexts(values: Value[], types: string[]): string[] {
  return values.flatMap((v, i) => (types[i] === 'dynamic' ? flattenDynamic(v as DynamicValue) : [v as DynamicValue]))
    .filter((v) => v !== null)
    .map((v) => textOf(v, 'dynamic'));
}

function ipv4Conversions(): ScalarFunction[] {
  const masked = (value: Value, type: string, prefix: Value | undefined): Ipv4 | null => {
    const ip = ipv4Of(value, type);
    if (ip === null) return null;
    if (prefix === undefined) return ip;
    const p = prefix as number;
    if (p < 0 || p > 32) return null;
    const bits = Math.min(ip.prefix, p);
    return { address: maskIpv4(ip.address, bits), prefix: bits };
  };
  return [
    simpleScalar({
      name: 'parse_ipv4',
      params: [IP_TEXT],
      result: 'long',
      kernel: (args) => ([v]) => parseIpv4(textOf(v!, args[0]!.type))?.address ?? null,
    }),
    simpleScalar({
      name: 'parse_ipv4_mask',
      params: [IP_TEXT, INTEGER],
      result: 'long',
      kernel: (args) => ([v, p]) => masked(v!, args[0]!.type, p!)?.address ?? null,
    }),
    simpleScalar({
      name: 'format_ipv4',
      params: [{ types: ['string', 'dynamic', 'int', 'long'], description: 'string or long' }, INTEGER],
      optional: 1,
      result: 'string',
      kernel: (args) => ([v, p]) => {
        const ip = masked(v!, args[0]!.type, p);
        return ip === null ? '' : formatIpv4(ip.address);
      },
    }),
    simpleScalar({
      name: 'format_ipv4_mask',
      params: [{ types: ['string', 'dynamic', 'int', 'long'], description: 'string or long' }, INTEGER],
      optional: 1,
      result: 'string',
      kernel: (args) => ([v, p]) => {
        const ip = masked(v!, args[0]!.type, p);
        return ip === null ? '' : `${formatIpv4(ip.address)}/${ip.prefix}`;
      },
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// IPv4 addresses inside text: has_ipv4, has_ipv4_prefix, has_any_ipv4, has_any_ipv4_prefix.

/** Candidate addresses of a text: runs of digits and dots delimited by other characters, not letters. */
function ipv4Tokens(text: string): string[] {
  return text.split(/[^A-Za-z0-9.]+/).filter((t) => /^[\d.]+$/.test(t) && parseIpv4(t) !== null);
}

/** A valid search prefix: 1–3 complete octets each followed by a dot, or a whole address. */
function validIpv4Prefix(prefix: string): boolean {
  if (parseIpv4(prefix) !== null && !prefix.includes('/')) return true;
  return /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){1,3}$/.test(prefix);
}

function ipv4TextSearch(name: string, prefixSearch: boolean, many: boolean): ScalarFunction {
  return simpleScalar({
    name,
    params: [STRING_OR_DYNAMIC, ANY],
    rest: many ? ANY : undefined,
    maxArgs: many ? 64 : 2,
    result: 'bool',
    kernel: (args) => (values) => {
      const tokens = ipv4Tokens(textOf(values[0]!, args[0]!.type));
      const needles = rangeTexts(values.slice(1), args.slice(1).map((a) => a.type));
      return needles.some((needle) => {
        if (prefixSearch) return validIpv4Prefix(needle) && tokens.some((t) => t.startsWith(needle));
        const ip = parseIpv4(needle);
        return ip !== null && !needle.includes('/') && tokens.includes(needle.trim());
      });
    },
  });
}

// ---------------------------------------------------------------------------------------------
// IPv6

export interface Ipv6 {
  address: bigint;
  prefix: number;
}

const MASK128 = (1n << 128n) - 1n;

function maskIpv6(address: bigint, prefix: number): bigint {
  if (prefix <= 0) return 0n;
  return address & ((MASK128 << BigInt(128 - prefix)) & MASK128);
}

/** Parses IPv6 text (with `::`, an embedded IPv4 tail, or plain IPv4 as mapped) and a /prefix. */
export function parseIpv6(text: string): Ipv6 | null {
  const [ip, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || !ip) return null;
  // `::a.b.c.d` and `::ffff:a.b.c.d` are IPv4 addresses written as IPv6: Kusto reads them (and their
  // /prefix, counted over the 32 IPv4 bits) as the IPv4-mapped address, as plain IPv4 text.
  const v4 = parseIpv4(/^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1] ?? ip);
  let address: bigint | null;
  let maxPrefix = 128;
  if (v4 !== null) {
    address = (0xffffn << 32n) | BigInt(v4.address);
    maxPrefix = 32;
  } else address = ipv6Groups(ip);
  if (address === null) return null;
  let prefix = 128;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) return null;
    prefix = Number(prefixText) + (v4 !== null ? 96 : 0);
  }
  return { address: maskIpv6(address, prefix), prefix };
}

function ipv6Groups(ip: string): bigint | null {
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const words = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === null || v4.prefix !== 32) return null;
        out.push(Math.floor(v4.address / 65536), v4.address % 65536);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) out.push(parseInt(piece, 16));
      else return null;
    }
    return out;
  };
  const head = words(halves[0]!);
  const tail = halves.length === 2 ? words(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  return [...head, ...Array<number>(missing).fill(0), ...tail].reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

function formatIpv6(address: bigint): string {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((address >> shift) & 0xffffn).toString(16).padStart(4, '0'));
  return groups.join(':');
}

function compareIpv6(a: Ipv6, b: Ipv6, prefix = 128): number {
  const bits = Math.min(a.prefix, b.prefix, prefix);
  const [x, y] = [maskIpv6(a.address, bits), maskIpv6(b.address, bits)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function ipv6Functions(): ScalarFunction[] {
  const pair = (args: { type: string }[], a: Value, b: Value) =>
    [parseIpv6(textOf(a, args[0]!.type as 'string')), parseIpv6(textOf(b, args[1]!.type as 'string'))] as const;
  const inRange6 = (ip: Ipv6, range: Ipv6) => compareIpv6(ip, range, range.prefix) === 0 && ip.prefix >= range.prefix;
  return [
    simpleScalar({
      name: 'parse_ipv6',
      params: [IP_TEXT],
      result: 'string',
      kernel: (args) => ([v]) => {
        const ip = parseIpv6(textOf(v!, args[0]!.type));
        return ip === null ? '' : formatIpv6(ip.address);
      },
    }),
    simpleScalar({
      name: 'parse_ipv6_mask',
      params: [IP_TEXT, INTEGER],
      result: 'string',
      kernel: (args) => ([v, p]) => {
        const ip = parseIpv6(textOf(v!, args[0]!.type));
        const bits = p as number;
        if (ip === null || bits < 0 || bits > 128) return '';
        return formatIpv6(maskIpv6(ip.address, Math.min(ip.prefix, bits)));
      },
    }),
    simpleScalar({
      name: 'ipv6_compare',
      params: [IP_TEXT, IP_TEXT, INTEGER],
      optional: 1,
      result: 'long',
      kernel: (args) => ([a, b, p]) => {
        const [x, y] = pair(args, a!, b!);
        return x === null || y === null ? null : compareIpv6(x, y, p === undefined ? 128 : (p as number));
      },
    }),
    simpleScalar({
      name: 'ipv6_is_match',
      params: [IP_TEXT, IP_TEXT, INTEGER],
      optional: 1,
      result: 'bool',
      kernel: (args) => ([a, b, p]) => {
        const [x, y] = pair(args, a!, b!);
        return x === null || y === null ? null : compareIpv6(x, y, p === undefined ? 128 : (p as number)) === 0;
      },
    }),
    simpleScalar({
      name: 'ipv6_is_in_range',
      params: [IP_TEXT, IP_TEXT],
      result: 'bool',
      kernel: (args) => ([a, b]) => {
        const [ip, range] = pair(args, a!, b!);
        return ip === null || range === null ? null : inRange6(ip, range);
      },
    }),
    simpleScalar({
      name: 'ipv6_is_in_any_range',
      params: [IP_TEXT, ANY],
      rest: ANY,
      maxArgs: 64,
      result: 'bool',
      kernel: (args) => (values) => {
        const ip = parseIpv6(textOf(values[0]!, args[0]!.type));
        if (ip === null) return null;
        return rangeTexts(values.slice(1), args.slice(1).map((a) => a.type)).some((t) => {
          const range = parseIpv6(t);
          return range !== null && inRange6(ip, range);
        });
      },
    }),
  ];
}

export function ipFunctions(): ScalarFunction[] {
  return [
    ...ipv4Predicates(), ...ipv4Conversions(), ...ipv6Functions(),
    ipv4TextSearch('has_ipv4', false, false),
    ipv4TextSearch('has_ipv4_prefix', true, false),
    ipv4TextSearch('has_any_ipv4', false, true),
    ipv4TextSearch('has_any_ipv4_prefix', true, true),
  ];
}

