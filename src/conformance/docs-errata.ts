/**
 * Docs examples whose output table is wrong about its own query: the table shows another input than the
 * query has, a display artefact of the docs' markdown, or values written by hand that Kusto cannot
 * return. Each entry names the page, a fragment that identifies the query on it, and what the docs get
 * wrong; such a case is reported as "not comparable" with that reason (never as a pass).
 *
 * An entry belongs here only when the rest of the table agrees with our result and the difference is
 * provably the docs' (checked against the query text itself or against another page of the same docs).
 */
import type { DocsCase } from './compare.js';

export interface DocsErratum {
  /** The docs page, relative to `data-explorer/kusto/query/`. */
  page: string;
  /** Text of the query that identifies the example on its page. */
  query: string;
  /** `query` is how the query ends (so a longer example that continues it is not meant). */
  endsQuery?: boolean;
  /** How many examples the page has with this query (the same query shown with different outputs); 1 if absent. */
  runs?: number;
  reason: string;
}

export const DOCS_ERRATA: DocsErratum[] = [
  ...['series-acos-function.md', 'series-cos-function.md', 'series-sin-function.md', 'series-tan-function.md'].map((page) => ({
    page,
    query: 'print arr = dynamic([-1',
    reason: 'docs error: the table shows arr as [-6.5,0,8.2], the query prints [-1, 0, 1] (the function column agrees)',
  })),
  {
    page: 'series-asin-function.md',
    query: 'series_asin(arr)',
    reason: 'docs error: the table shows the asin results -1.5707963267948966 and 1.5707963267948966 as quoted strings; series_asin returns reals',
  },
  ...['replace-regex-function.md', 'replace-string-function.md'].map((page) => ({
    page,
    query: "strcat('Number is ', tostring(x))",
    reason: 'docs error: the table shows tostring(x) as "1.000000"; x of range … step 1 is a long, and tostring(1) is "1"',
  })),
  {
    page: 'strcat-function.md',
    query: 'MultiLineString',
    reason: 'docs display artefact: the multi-line string is shown as a numbered list of its lines, prefixed with the column name',
  },
  {
    page: 'toguid-function.md',
    query: 'a string that is not a guid',
    reason: 'docs error: the table shows the input "a string that isn\'t a guid", the datatable holds "a string that is not a guid"',
  },
  {
    page: 'trim-start-function.md',
    query: 'let substring = "https://"',
    reason: 'docs display artefact: the URL cell is a markdown autolink, `<https://bing.com>`',
  },
  {
    page: 'url-encode-component-function.md',
    query: "@'https://www.bing.com/hello world/'",
    reason: 'docs error: the encoded cell leaves out the trailing "/" of the URL the query encodes (%2f)',
  },
  {
    page: 'url-encode-function.md',
    query: "@'https://www.bing.com/hello world'",
    reason: 'docs error: the table shows the original URL with a trailing "/", the query\'s URL has none',
  },
  {
    page: 'gzip-base64-decompress.md',
    query: 'H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==',
    reason: 'docs error: the table wraps the result in quotes; the compressed payload is 1234567890qwertyuiop without them',
  },
  {
    page: 'base64-decode-toguid-function.md',
    query: 'JpbpECu8dUy7Pv5gbeJXAA==',
    reason: 'docs error: the third guid group shows 754c; the bytes 75 4c read as a little-endian group (as base64_encode_fromguid on the '
      + 'same docs writes them) give 4c75',
  },
  {
    page: 'mv-apply-operator.md',
    query: 'top 2 by NewArr2',
    reason: 'docs typo: the first NewArr1 cell is ["A2\',"A1"], which is not JSON',
  },
  {
    page: 'parse-url-function.md',
    query: 'parse_url("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")',
    reason: 'docs error: the bag is written by hand, with "Query Parameters" as a quoted string of unbalanced quotes (not JSON)',
  },
  {
    page: 'parse-url-query-function.md',
    query: 'parse_urlquery("k1=v1&k2=v2&k3=v3")',
    reason: 'docs error: the bag is written by hand, with "Query Parameters" as a quoted string of unbalanced quotes (not JSON)',
  },
  {
    page: 'range-function.md',
    query: 'print range(1h, 5h)',
    reason: 'docs table damaged: it shows a row "1,000,000" and the array in backticks',
  },
  {
    page: 'range-operator.md',
    query: 'union Range1, Range2',
    reason: 'docs error: the table shows only the last 7 of the 10 days the two ranges produce',
  },
  {
    page: 'sliding-window-counts-plugin.md',
    query: 'let start = datetime(2017 - 08 - 01);',
    reason: 'docs error: a formatter put spaces inside every datetime literal (datetime(2017 - 08 - 01)); the table is the output '
      + 'for the literals as written 2017-08-01 … (with them, the plugin gives exactly that table)',
  },
  {
    page: 'series-iir-function.md',
    query: 'series_iir(x, dynamic([1]), dynamic([1,-1]))',
    reason: 'docs error: the table shows only the first 4 of the 10 rows mv-expand makes of range(1.0, 10, 1) (those 4 agree)',
  },
  {
    page: 'datetime-local-to-utc-function.md',
    query: "datetime_local_to_utc(Local, 'Europe/Brussels')",
    reason: 'docs error: the rows for 01:00 and 02:00 are swapped; range emits its rows in order (the values all agree)',
  },
  {
    page: 'join-innerunique.md',
    query: 'X | join Y on Key',
    reason: 'arbitrary row: innerunique keeps one left row per key, which one is not fixed (the same page shows one query run twice '
      + 'keeping different left rows)',
  },
  {
    page: 'join-innerunique.md',
    query: '| join kind = innerunique\n    t2\n    on key',
    endsQuery: true,
    runs: 2,
    reason: 'arbitrary row: the page shows this query twice with different outputs (innerunique keeps a random left row per key)',
  },
];

/** The docs' fault for this case, or undefined. */
export function docsErratum(c: DocsCase): string | undefined {
  const page = c.source_path.replace(/^.*\/kusto\/query\//, '');
  const query = c.query.replace(/[ \t]+$/gm, '').trimEnd();
  return DOCS_ERRATA.find((e) => e.page === page && (e.endsQuery ? query.endsWith(e.query) : query.includes(e.query)))?.reason;
}
