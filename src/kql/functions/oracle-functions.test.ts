/**
 * The new functions' typing checked against Kusto's own language service: for each call below, our
 * `bind` must accept exactly what Kusto.Language accepts and give the same result type; aggregates must
 * also give Kusto's automatic column names.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArgInfo } from './registry.js';
import type { DynamicValue, ScalarType } from '../values/types.js';
import { SCALAR_TYPES } from '../values/types.js';
import { kustoResultColumns } from '../../testing/kusto-oracle.js';
import { BUILTINS } from './builtins.js';

const COLUMN: Record<string, ScalarType> = {
  b: 'bool', i: 'int', l: 'long', r: 'real', m: 'decimal', s: 'string', d: 'datetime', t: 'timespan', g: 'guid', y: 'dynamic',
};
const TABLE = { T: SCALAR_TYPES.map((type) => ({ name: Object.keys(COLUMN).find((k) => COLUMN[k] === type)!, type })) };

/** One argument written in KQL: a column letter, a literal, or typeof(T). */
function argInfo(text: string): ArgInfo {
  if (COLUMN[text]) return { type: COLUMN[text]!, columnName: text };
  const typeOf = /^typeof\((\w+)\)$/.exec(text);
  if (typeOf) return { type: typeOf[1] as ScalarType, typeLiteral: typeOf[1] as ScalarType };
  if (/^".*"$/.test(text)) return { type: 'string', constant: { value: JSON.parse(text) as string } };
  if (/^-?\d+$/.test(text)) return { type: 'long', constant: { value: Number(text) } };
  if (/^-?\d+\.\d+$/.test(text)) return { type: 'real', constant: { value: Number(text) } };
  if (text === 'true' || text === 'false') return { type: 'bool', constant: { value: text === 'true' } };
  const dyn = /^dynamic\((.*)\)$/.exec(text);
  if (dyn) return { type: 'dynamic', constant: { value: JSON.parse(dyn[1]!) as DynamicValue } };
  const span = /^(\d+)h$/.exec(text);
  if (span) return { type: 'timespan', constant: { value: BigInt(span[1]!) * 36_000_000_000n } };
  throw new Error(`unknown argument form ${text}`);
}

const SCALAR_CALLS = [
  'extract("a(b)", 1, s)', 'extract("a(b)", 1, s, typeof(long))', 'extract("a(b)", 1, l)', 'extract_all("(a)", s)', 'extract_all("(a)(b)", dynamic([1]), s)',
  'replace_regex(s, "a", "b")', 'replace(s, "a", "b")', 'indexof(s, "a")', 'indexof(l, "a", 1, 2, 1)', 'indexof_regex(s, "a")', 'reverse(s)', 'reverse(d)',
  'countof(s, "a")', 'countof(s, "a", "regex")', 'strcat_delim("-", s, l)', 'strcat_array(y, ",")', 'string_size(s)', 'isascii(s)', 'strcmp(s, s)',
  'strrep(s, 2)', 'translate("a", "b", s)', 'has_any_index(s, y)', 'unicode_codepoints_to_string(l)', 'unicode_codepoints_from_string(s)',
  'url_encode(s)', 'url_encode_component(s)', 'url_decode(s)', 'base64_encode_tostring(s)', 'base64_decode_tostring(s)', 'base64_decode_toarray(s)',
  'base64_encode_fromguid(g)', 'base64_decode_toguid(s)', 'parse_path(s)', 'parse_url(s)', 'parse_urlquery(s)', 'parse_command_line(s, "windows")',
  'parse_version(s)', 'parse_xml(s)', 'parse_csv(s)', 'format_datetime(d, "yyyy")', 'format_timespan(t, "hh")', 'datetime_diff("day", d, d)',
  'datetime_add("day", 1, d)', 'datetime_part("day", d)', 'startofday(d)', 'startofweek(d)', 'startofmonth(d)', 'startofyear(d)', 'endofday(d)',
  'endofweek(d)', 'endofmonth(d)', 'endofyear(d, 1)', 'dayofweek(d)', 'dayofmonth(d)', 'dayofyear(d)', 'hourofday(d)', 'getmonth(d)', 'getyear(d)',
  'monthofyear(d)', 'weekofyear(d)', 'week_of_year(d)', 'make_datetime(2017, 1, 1)', 'make_timespan(1, 2)', 'unixtime_seconds_todatetime(l)',
  'unixtime_milliseconds_todatetime(r)', 'unixtime_microseconds_todatetime(l)', 'unixtime_nanoseconds_todatetime(l)', 'todecimal(s)', 'toguid(s)',
  'tohex(l)', 'tohex(i, 8)', 'hash(s)', 'hash(d, 10)', 'hash_sha256(s)', 'hash_md5(d)', 'hash_sha1(s)', 'ipv4_is_private(s)',
  'ipv4_is_in_range(s, "10.0.0.0/8")', 'ipv4_is_in_any_range(s, "10.0.0.0/8", "1.1.1.1")', 'ipv4_compare(s, s)', 'ipv4_is_match(s, s, 24)',
  'parse_ipv4(s)', 'parse_ipv4_mask(s, 24)', 'format_ipv4(l)', 'format_ipv4_mask(s, 24)', 'has_ipv4(s, "1.1.1.1")', 'has_ipv4_prefix(s, "1.1.")',
  'has_any_ipv4(s, "1.1.1.1")', 'parse_ipv6(s)', 'ipv6_compare(s, s)', 'ipv6_is_match(s, s)', 'ipv6_is_in_range(s, s)', 'array_concat(y, y)',
  'array_slice(y, 1, 2)', 'array_index_of(y, s)', 'array_sort_asc(y)', 'array_sort_desc(y, false)', 'array_reverse(y)', 'array_rotate_left(y, 1)',
  'array_shift_right(y, 1)', 'array_split(y, 1)', 'array_sum(y)', 'array_iff(y, 1, 2)', 'zip(y, y)', 'set_has_element(y, s)', 'set_union(y, y)',
  'set_intersect(y, y)', 'set_difference(y, y)', 'jaccard_index(y, y)', 'bag_keys(y)', 'bag_pack("a", l)', 'pack("a", s)', 'pack_dictionary("a", d)',
  'bag_merge(y, y)', 'bag_has_key(y, "a")', 'bag_remove_keys(y, y)', 'bag_set_key(y, "a", l)', 'bag_pack_columns(s, l)', 'dynamic_to_json(y)',
  'extract_json("$.a", s)', 'extract_json("$.a", s, typeof(long))', 'extractjson("$.a", s)', 'gettype(l)', 'range(1, 5)', 'range(d, d, 1h)',
  'isascii(l)', 'not(b)', 'binary_and(l, i)', 'binary_or(l, l)', 'binary_xor(i, i)', 'binary_not(l)', 'binary_shift_left(l, 2)',
  'binary_shift_right(l, 2)', 'bitset_count_ones(l)', 'min_of(l, i)', 'max_of(r, l)', 'min_of(d, d)', 'sqrt(l)', 'pow(l, 2)', 'log(r)', 'exp(i)',
  'ceiling(r)', 'ceiling(i)', 'sign(l)', 'isnan(r)', 'isinf(r)', 'format_bytes(l)', 'format_bytes(r, 2)', 'new_guid()', 'ingestion_time()',
  'estimate_data_size(s, l)', 'rand()', 'rand(10)', 'strcat_delim(s, l, d)', 'around(l, 1, 2)', 'around(d, d, 1h)', 'around(t, t, 1h)',
  // bin_at, sketches, compression, punycode, hashing, time zones, environment
  'bin_at(l, 2, 3)', 'bin_at(i, 2, 3)', 'bin_at(r, 2, 3)', 'bin_at(l, 2.5, 3)', 'bin_at(m, 1, 2)', 'bin_at(d, 1h, d)', 'bin_at(t, 1h, t)',
  'bin_at(t, 1h, d)', 'bin_at(d, 1h, l)', 'percentile_tdigest(y, 50)', 'percentile_tdigest(y, 50, typeof(long))',
  'percentiles_array_tdigest(y, 50, 90)', 'percentiles_array_tdigest(y, dynamic([50]))', 'rank_tdigest(y, 5)', 'rank_tdigest(y, d)',
  'merge_tdigest(y, y)', 'merge_tdigest(y)', 'tdigest_merge(y, y, y)', 'hll_merge(y, y)', 'hll_merge(y)', 'dcount_hll(y)', 'dcount_hll(s)',
  'zlib_compress_to_base64_string(s)', 'zlib_decompress_from_base64_string(s)', 'gzip_compress_to_base64_string(s)',
  'gzip_decompress_from_base64_string(s)', 'zlib_compress_to_base64_string(l)', 'punycode_from_string(s)', 'punycode_to_string(s)',
  'punycode_domain_from_string(s)', 'punycode_domain_to_string(s)', 'punycode_from_string(l)', 'hash_many(s, l)', 'hash_many(s)',
  'hash_combine(l, l)', 'hash_combine(l, l, i)', 'hash_combine(l)', 'assert(b, "m")', 'assert(l, "m")', 'datetime_local_to_utc(d, s)',
  'datetime_utc_to_local(d, s)', 'datetime_local_to_utc(s, s)', 'current_principal_is_member_of("a")',
  'current_principal_is_member_of("a", "b")', 'current_principal_is_member_of(dynamic(["a"]))', 'current_principal_is_member_of(l)',
];

function ourResult(fn: string, args: ArgInfo[]): { accepted: boolean; type?: string; detail: string } {
  const entry = BUILTINS.scalar(fn);
  if (!entry) return { accepted: false, detail: 'not registered' };
  if (args.length < entry.minArgs || args.length > entry.maxArgs) return { accepted: false, detail: 'arity' };
  const bound = entry.bind(args);
  return 'error' in bound ? { accepted: false, detail: bound.error } : { accepted: true, type: bound.type, detail: '' };
}

function splitArgs(inner: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  let quoted = false;
  for (const c of inner) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && depth === 0 && !quoted) {
      out.push(current.trim());
      current = '';
      continue;
    }
    if (c === '(' || c === '[') depth++;
    if (c === ')' || c === ']') depth--;
    current += c;
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

describe('new scalar functions type like Kusto.Language', () => {
  test('every call: accepted alike, same result type', () => {
    const problems: string[] = [];
    for (const call of SCALAR_CALLS) {
      const m = /^(\w+)\((.*)\)$/.exec(call)!;
      const args = splitArgs(m[2]!).map(argInfo);
      const kusto = kustoResultColumns(`T | project x = ${call}`, TABLE);
      const kustoOk = kusto.diagnostics.length === 0;
      const mine = ourResult(m[1]!, args);
      if (kustoOk !== mine.accepted || (kustoOk && kusto.columns[0]?.type !== mine.type)) {
        problems.push(`${call}: Kusto ${kustoOk ? kusto.columns[0]?.type : `rejects (${kusto.diagnostics.map((d) => d.message).join('; ')})`}, ours ${mine.accepted ? mine.type : `rejects (${mine.detail})`}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});

describe('new aggregates: types and automatic names like Kusto.Language', () => {
  const CALLS = [
    'count_distinct(s)', 'count_distinctif(s, b)', 'make_bag(y)', 'make_bag_if(y, b)', 'make_list_with_nulls(l)', 'percentile(l, 50)',
    'percentile(r, 99.5)', 'percentile(d, 50)', 'percentiles(l, 50, 95)', 'percentiles_array(l, 50, 95)', 'stdev(l)', 'stdevif(r, b)', 'stdevp(i)',
    'variance(r)', 'varianceif(l, b)', 'variancep(l)', 'take_anyif(s, b)', 'binary_all_and(l)', 'binary_all_or(i)', 'binary_all_xor(l)',
    'dcountif(s, b)', 'avgif(l, b)', 'maxif(d, b)', 'minif(r, b)', 'make_set_if(s, b)', 'make_list_if(l, b)', 'any(s)', 'makeset(s)', 'makelist(l)',
    'tdigest(l)', 'tdigest(r, l)', 'tdigest(d)', 'hll(s)', 'hll(l, 2)', 'hll_if(l, b)', 'hll_if(l, b, 3)', 'hll_merge(y)', 'tdigest_merge(y)',
    'merge_tdigest(y)', 'percentilew(l, l, 50)', 'percentilew(r, i, 50)', 'percentilew(i, l, 50)', 'percentilew(m, i, 50)',
    'percentilesw(d, l, 50, 99.9)', 'percentilesw_array(l, l, 50, 99.9)', 'percentilesw_array(l, l, dynamic([50]))', 'covariance(l, r)',
    'covariancep(i, i)', 'covarianceif(l, l, b)', 'covariancepif(r, r, b)', 'buildschema(y)',
  ];
  test('every aggregate call', () => {
    const problems: string[] = [];
    for (const call of CALLS) {
      const m = /^(\w+)\((.*)\)$/.exec(call)!;
      const argTexts = splitArgs(m[2]!);
      const args = argTexts.map(argInfo);
      const agg = BUILTINS.aggregate(m[1]!);
      if (!agg) {
        problems.push(`${call}: not registered`);
        continue;
      }
      const kusto = kustoResultColumns(`T | summarize ${call}`, TABLE);
      const bound = agg.bind(args);
      if ('error' in bound) {
        problems.push(`${call}: ours rejects (${bound.error})`);
        continue;
      }
      const types = 'types' in bound ? bound.types : [bound.type];
      const argNames = argTexts.map((a) => (COLUMN[a] ? a : undefined));
      const names = types.map((_, i) => agg.outputName?.(i, argNames, args) ??
        (agg.outputNaming === 'arguments' ? argNames[i] ?? '' : `${agg.resultNamePrefix}_${argNames[0] ?? ''}`));
      const expected = kusto.columns.map((c) => `${c.name}:${c.type}`).join(',');
      const actual = names.map((n, i) => `${n}:${types[i]}`).join(',');
      if (kusto.diagnostics.length > 0 || expected !== actual) {
        problems.push(`${call}: Kusto ${expected || kusto.diagnostics.map((d) => d.message).join('; ')}, ours ${actual}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
