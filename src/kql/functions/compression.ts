/**
 * Compression and IDN encodings of strings: zlib_compress_to_base64_string /
 * zlib_decompress_from_base64_string, gzip_compress_to_base64_string /
 * gzip_decompress_from_base64_string, punycode_from_string / punycode_to_string and
 * punycode_domain_from_string / punycode_domain_to_string. Every failure gives "" (the docs:
 * "Returns an empty result if … failed"; zlib_decompress_from_base64_string("x0x0x0") = "").
 *
 * Compression reproduces the documented outputs byte for byte: Kusto's streams carry the text in a
 * stored (uncompressed) deflate block — zlib header 78 01 (docs: "1234567890qwertyuiop" →
 * "eAEBFADr/zEyMzQ1…OAkGdw=="), and a gzip header with no timestamp, XFL 0 and OS 255 ("unknown",
 * docs: "H4sIAAAAAAAA/wEUAOv/…FAAAAA=="). [UNCERTAIN] Both examples are short; whether Kusto stores
 * longer texts too is not documented. Any valid stream decompresses, whatever its encoder.
 */
import { deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import type { ScalarFunction } from './registry.js';
import { STRING, simpleScalar } from './common.js';
import { punycodeDecode, punycodeEncode } from './punycode.js';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** RFC 1952 header bytes 8 (XFL) and 9 (OS) as Kusto writes them. */
const GZIP_XFL = 0;
const GZIP_OS_UNKNOWN = 255;

function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  return compact.length % 4 === 0 && BASE64.test(compact) ? Buffer.from(compact, 'base64') : undefined;
}

/** Runs a decoder on base64 text; "" when the text, the stream or the UTF-8 inside is invalid. */
function decompressText(text: string, decode: (bytes: Buffer) => Buffer): string {
  const bytes = decodeBase64(text);
  if (!bytes || bytes.length === 0) return '';
  try {
    return STRICT_UTF8.decode(decode(bytes));
  } catch {
    return '';
  }
}

function zlibCompress(text: string): string {
  return deflateSync(Buffer.from(text, 'utf8'), { level: 0 }).toString('base64');
}

function gzipCompress(text: string): string {
  const stream = gzipSync(Buffer.from(text, 'utf8'), { level: 0 });
  stream[8] = GZIP_XFL;
  stream[9] = GZIP_OS_UNKNOWN;
  return stream.toString('base64');
}

/** Encodes each dot-separated label that is not plain ASCII as "xn--" + its Punycode. */
function punycodeDomainEncode(domain: string): string | undefined {
  const labels = domain.split('.').map((label) => {
    if (/^[\x00-\x7f]*$/.test(label)) return label;
    const encoded = punycodeEncode(label);
    return encoded === undefined ? undefined : `xn--${encoded}`;
  });
  return labels.includes(undefined) ? undefined : labels.join('.');
}

/** Decodes each "xn--" label of a domain. */
function punycodeDomainDecode(domain: string): string | undefined {
  const labels = domain.split('.').map((label) => (/^xn--/i.test(label) ? punycodeDecode(label.slice(4)) : label));
  return labels.includes(undefined) ? undefined : labels.join('.');
}

function stringToString(name: string, f: (s: string) => string | undefined): ScalarFunction {
  return simpleScalar({ name, params: [STRING], result: 'string', kernel: () => ([s]) => f(s as string) ?? '' });
}

export function compressionFunctions(): ScalarFunction[] {
  return [
    stringToString('zlib_compress_to_base64_string', zlibCompress),
    stringToString('zlib_decompress_from_base64_string', (s) => decompressText(s, inflateSync)),
    stringToString('gzip_compress_to_base64_string', gzipCompress),
    stringToString('gzip_decompress_from_base64_string', (s) => decompressText(s, gunzipSync)),
    stringToString('punycode_from_string', punycodeEncode),
    stringToString('punycode_to_string', punycodeDecode),
    stringToString('punycode_domain_from_string', punycodeDomainEncode),
    stringToString('punycode_domain_to_string', punycodeDomainDecode),
  ];
}
