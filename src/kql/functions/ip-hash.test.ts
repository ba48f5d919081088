/** IP and hash functions; expected values from the Kusto docs pages cited per test. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDatetime } from '../values/datetime.js';
import { xxHash64 } from './hashing.js';
import { bindError, bindScalar, callScalar, resultType } from './test-support.js';

const s = (v: string): [string, 'string'] => [v, 'string'];
const l = (v: number): [number, 'long'] => [v, 'long'];
const dyn = (v: unknown): [never, 'dynamic'] => [v as never, 'dynamic'];

describe('IPv4', () => {
  test('ipv4_is_private (ipv4-is-private-function.md)', () => {
    assert.equal(callScalar('ipv4_is_private', [s('10.1.2.3')]), true);
    assert.equal(callScalar('ipv4_is_private', [s('192.168.1.1/24')]), true);
    assert.equal(callScalar('ipv4_is_private', [s('127.0.0.1')]), false);
    assert.equal(callScalar('ipv4_is_private', [s('172.31.255.255')]), true);
    assert.equal(callScalar('ipv4_is_private', [s('172.32.0.1')]), false);
    assert.equal(callScalar('ipv4_is_private', [s('not an ip')]), null);
    assert.equal(callScalar('ipv4_is_private', [s('10.0.0.256')]), null);
  });
  test('ipv4_is_in_range / ipv4_is_in_any_range (their docs pages)', () => {
    assert.equal(callScalar('ipv4_is_in_range', [s('10.1.2.3'), s('10.1.2.3')]), true);
    assert.equal(callScalar('ipv4_is_in_range', [s('192.168.1.6'), s('192.168.1.1/24')]), true);
    assert.equal(callScalar('ipv4_is_in_range', [s('192.168.1.1'), s('192.168.2.1/24')]), false);
    assert.equal(callScalar('ipv4_is_in_range', [s('192.168.1.1/24'), s('192.168.2.1/24')]), false);
    assert.equal(callScalar('ipv4_is_in_range', [s('x'), s('192.168.2.1/24')]), null);
    assert.equal(callScalar('ipv4_is_in_any_range', [s('192.168.1.6'), s('192.168.1.1/24'), s('10.0.0.1/8'), s('127.1.0.1/16')]), true);
    assert.equal(callScalar('ipv4_is_in_any_range', [s('127.0.0.1'), dyn(['127.0.0.1', '192.168.1.1'])]), true);
    const local = dyn(['192.168.1.1/16', '127.0.0.1/8', '10.0.0.1/8']);
    assert.equal(callScalar('ipv4_is_in_any_range', [s('10.1.2.3'), local]), true);
    assert.equal(callScalar('ipv4_is_in_any_range', [s('192.168.1.5'), local]), true);
    assert.equal(callScalar('ipv4_is_in_any_range', [s('123.1.11.21'), local]), false);
  });
  test('ipv4_compare / ipv4_is_match use the shortest prefix (ipv4-compare-function.md, ipv4-is-match-function.md)', () => {
    const pairs: [string, string][] = [['192.168.1.0', '192.168.1.0'], ['192.168.1.1/24', '192.168.1.255'], ['192.168.1.1', '192.168.1.255/24'], ['192.168.1.1/30', '192.168.1.255/24']];
    for (const [a, b] of pairs) {
      assert.equal(callScalar('ipv4_compare', [s(a), s(b)]), 0, `${a} vs ${b}`);
      assert.equal(callScalar('ipv4_is_match', [s(a), s(b)]), true, `${a} vs ${b}`);
    }
    assert.equal(callScalar('ipv4_compare', [s('192.168.1.1'), s('192.168.1.0'), l(31)]), 0);
    assert.equal(callScalar('ipv4_compare', [s('192.168.1.1/24'), s('192.168.1.255'), l(31)]), 0);
    assert.equal(callScalar('ipv4_compare', [s('192.168.1.1'), s('192.168.1.255'), l(24)]), 0);
    assert.equal(callScalar('ipv4_compare', [s('192.168.1.1'), s('192.168.1.2')]), -1);
    assert.equal(callScalar('ipv4_compare', [s('10.0.0.1'), s('9.255.255.255')]), 1);
    assert.equal(callScalar('ipv4_is_match', [s('192.168.1.1'), s('192.168.1.2')]), false);
    assert.equal(resultType(bindScalar('ipv4_compare', ['string', 'string'])), 'long');
  });
  test('parse_ipv4 / parse_ipv4_mask / format_ipv4 / format_ipv4_mask (their docs pages)', () => {
    assert.equal(callScalar('parse_ipv4', [s('127.0.0.1')]), 2130706433);
    assert.equal(callScalar('parse_ipv4', [s('192.1.168.1')]), 3221334017);
    assert.equal(callScalar('parse_ipv4', [s('192.1.168.1/24')]), 3221334016);
    assert.equal(callScalar('parse_ipv4', [s('192.1.168')]), null);
    assert.equal(callScalar('parse_ipv4_mask', [s('10.1.2.3'), l(24)]), 167838208);
    const rows: [string, number, string, string][] = [
      ['192.168.1.1', 24, '192.168.1.0', '192.168.1.0/24'], ['192.168.1.1', 32, '192.168.1.1', '192.168.1.1/32'],
      ['192.168.1.1/24', 32, '192.168.1.0', '192.168.1.0/24'], ['192.168.1.1/24', -1, '', ''],
    ];
    for (const [ip, mask, plain, masked] of rows) {
      assert.equal(callScalar('format_ipv4', [s(ip), l(mask)]), plain);
      assert.equal(callScalar('format_ipv4_mask', [s(ip), l(mask)]), masked);
    }
    assert.equal(callScalar('format_ipv4', [l(3232235777)]), '192.168.1.1');
  });
  test('has_ipv4 family: addresses delimited by non-alphanumerics (has-ipv4-function.md, has-any-ipv4*.md)', () => {
    const log = '05:04:54 127.0.0.1 GET /favicon.ico 404';
    assert.equal(callScalar('has_ipv4', [s(log), s('127.0.0.1')]), true);
    assert.equal(callScalar('has_ipv4', [s('05:04:54 127.0.0.256 GET /favicon.ico 404'), s('127.0.0.256')]), false);
    assert.equal(callScalar('has_ipv4', [s('05:04:54127.0.0.1 GET /favicon.ico 404'), s('127.0.0.1')]), false);
    assert.equal(callScalar('has_ipv4_prefix', [s(log), s('127.0.')]), true);
    assert.equal(callScalar('has_ipv4_prefix', [s(log), s('127.0')]), false);
    assert.equal(callScalar('has_any_ipv4', [s(log), s('127.0.0.1'), s('127.0.0.2')]), true);
    assert.equal(callScalar('has_any_ipv4', [s(log), dyn(['127.0.0.1', '127.0.0.2'])]), true);
    assert.equal(callScalar('has_any_ipv4_prefix', [s(log), dyn(['127.0.', '192.168.'])]), true);
    assert.equal(callScalar('has_any_ipv4_prefix', [s('05:04:54127.0.0.1 GET /favicon.ico 404'), s('127.0.'), s('192.')]), false);
  });
});

describe('IPv6', () => {
  test('parse_ipv6 (parse-ipv6-function.md)', () => {
    assert.equal(callScalar('parse_ipv6', [s('192.168.255.255')]), '0000:0000:0000:0000:0000:ffff:c0a8:ffff');
    assert.equal(callScalar('parse_ipv6', [s('192.168.255.255/24')]), '0000:0000:0000:0000:0000:ffff:c0a8:ff00');
    assert.equal(callScalar('parse_ipv6', [s('fe80::85d:e82c:9446:7994')]), 'fe80:0000:0000:0000:085d:e82c:9446:7994');
    assert.equal(callScalar('parse_ipv6', [s('fe80::85d:e82c:9446:7994/120')]), 'fe80:0000:0000:0000:085d:e82c:9446:7900');
    assert.equal(callScalar('parse_ipv6', [s('::ffff:c0a8:ffff/120')]), '0000:0000:0000:0000:0000:ffff:c0a8:ff00');
    assert.equal(callScalar('parse_ipv6', [s('1::2::3')]), '');
  });
  test('parse_ipv6_mask: IPv4 written as ::a.b.c.d is the mapped address, its /prefix counts IPv4 bits', () => {
    assert.equal(callScalar('parse_ipv6_mask', [s('::192.168.255.255'), l(128)]), '0000:0000:0000:0000:0000:ffff:c0a8:ffff');
    assert.equal(callScalar('parse_ipv6_mask', [s('::192.168.255.255/24'), l(128)]), '0000:0000:0000:0000:0000:ffff:c0a8:ff00');
    assert.equal(callScalar('parse_ipv6_mask', [s('::ffff:192.168.255.255'), l(120)]), '0000:0000:0000:0000:0000:ffff:c0a8:ff00');
    assert.equal(callScalar('parse_ipv6_mask', [s('192.168.255.255/24'), l(124)]), '0000:0000:0000:0000:0000:ffff:c0a8:ff00');
    assert.equal(callScalar('parse_ipv6_mask', [s('::192.168.255.255/33'), l(128)]), '');
    assert.equal(callScalar('parse_ipv6_mask', [s('fe80::1'), l(129)]), '');
  });
  test('ipv6_compare / ipv6_is_match / ipv6_is_in_range (their docs pages)', () => {
    assert.equal(callScalar('ipv6_is_match', [s('fe80::85d:e82c:9446:7994/120'), s('fe80::85d:e82c:9446:7998')]), true);
    assert.equal(callScalar('ipv6_is_match', [s('192.168.1.1/24'), s('::ffff:c0a8:01ff'), l(127)]), true);
    assert.equal(callScalar('ipv6_compare', [s('fe80::85d:e82c:9446:7994'), s('fe80::85d:e82c:9446:7995')]), -1);
    assert.equal(callScalar('ipv6_compare', [s('fe80::85d:e82c:9446:7994'), s('fe80::85d:e82c:9446:7995'), l(127)]), 0);
    assert.equal(callScalar('ipv6_is_in_range', [s('a5e:f127:8a9d:146d:e102:b5d3:c755:abcd'), s('a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112')]), true);
    assert.equal(callScalar('ipv6_is_in_range', [s('a5e:f127:8a9d:146d:e102:b5d3:c755:abcd'), s('0:0:0:0:0:ffff:c0a8:ac/60')]), false);
    assert.equal(callScalar('ipv6_is_in_any_range', [s('a5e:f127:8a9d:146d:e102:b5d3:c756:abd1'), dyn(['a5e:f127:8a9d:146d:e102:b5d3:c755:f6cd/112', '0:0:0:0:0:ffff:c0a8:ac/60'])]), false);
  });
});

describe('hashes', () => {
  test('xxHash64 reference vectors (xxHash specification)', () => {
    assert.equal(xxHash64(new Uint8Array()), 0xef46db3751d8e999n);
    assert.equal(xxHash64(Buffer.from('a')), 0xd24ec4f1a98c6e5bn);
    assert.equal(xxHash64(Buffer.from('abc')), 0x44bc2cf5ad770999n);
    // 39 bytes: exercises the 32-byte stripe loop, the 8-byte, 4-byte and 1-byte tails.
    assert.equal(xxHash64(Buffer.from('Nobody inspects the spammish repetition')), 0xfbcea83c8a378bf1n);
  });
  test('hash (hash-function.md): xxhash64 of the UTF-8 text; mod gives 0 … mod-1', () => {
    assert.equal(callScalar('hash', [s('World')]), 1846988464401551951);
    assert.equal(callScalar('hash', [s('World'), l(100)]), 51);
    assert.equal(resultType(bindScalar('hash', ['datetime'])), 'long');
    assert.match(bindError(bindScalar('hash', ['string', 'string'])), /argument 2 must be an integer/);
  });
  test('hash_md5 / hash_sha256 / hash_sha1 (their docs pages; datetimes hash their round-trip text)', () => {
    const d: [bigint, 'datetime'] = [parseDatetime('2020-01-01')!, 'datetime'];
    assert.equal(callScalar('hash_md5', [s('World')]), 'f5a7924e621e84c9280a9a27e1bcb7f6');
    assert.equal(callScalar('hash_md5', [d]), '786c530672d1f8db31fee25ea8a9390b');
    assert.equal(callScalar('hash_sha256', [s('World')]), '78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524');
    assert.equal(callScalar('hash_sha256', [d]), 'ba666752dc1a20eb750b0eb64e780cc4c968bc9fb8813461c1d7e750f302d71d');
    assert.equal(callScalar('hash_sha1', [s('World')]), '70c07ec18ef89c5309bbb0937f3a6342411e1fdd');
  });
});
