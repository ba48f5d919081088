import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonFieldScanner } from './json-fields.js';

const KEYS = ['a', 'b', 'c', 'nested', 'é'];

/** Scans `line` for KEYS and returns the outcome and the decoded value of every key. */
function scan(line: string, scanner = new JsonFieldScanner(KEYS)): { outcome: string; values: Record<string, unknown> } {
  const bytes = Buffer.from(line, 'utf8');
  const outcome = scanner.scanLine(bytes, 0, bytes.length);
  const values: Record<string, unknown> = {};
  if (outcome === 'record') KEYS.forEach((key, slot) => (values[key] = scanner.value(slot)));
  return { outcome, values };
}

/** What JSON.parse makes of the line, restricted to KEYS (undefined when absent). */
function parsed(line: string): Record<string, unknown> {
  const record = JSON.parse(line) as Record<string, unknown>;
  return Object.fromEntries(KEYS.map((key) => [key, Object.hasOwn(record, key) ? record[key] : undefined]));
}

function assertLikeJsonParse(line: string): void {
  const { outcome, values } = scan(line);
  assert.equal(outcome, 'record', line);
  assert.deepEqual(values, parsed(line), line);
}

test('plain values decode as JSON.parse decodes them', () => {
  assertLikeJsonParse('{"a":"x","b":12,"c":true}');
  assertLikeJsonParse('{"a":null,"b":false,"c":-0}');
  assertLikeJsonParse('{"b":-12.5e+3,"c":0.000001,"a":"1E400"}');
  assertLikeJsonParse('{"b":12345678901234567890}');
  assertLikeJsonParse('  { "a" : "spaced" ,\t"b" : 1 }  ');
  assertLikeJsonParse('{}');
});

test('escapes, \\u escapes and surrogate pairs decode exactly', () => {
  assertLikeJsonParse(String.raw`{"a":"C:\\Users\\Public\\x.zip","b":"quote \" slash \/ tab \t nl \n cr \r bs \b ff \f"}`);
  assertLikeJsonParse(String.raw`{"a":"\u0041\u00e9\u4e2d","b":"\ud83d\ude00 pair","c":"lone \ud800 high"}`);
  assertLikeJsonParse(String.raw`{"a":"\udc00 lone low","b":"\\u0041 is not an escape"}`);
  assertLikeJsonParse('{"a":"raw UTF-8: é 中 😀","é":"key beyond ASCII"}');
});

test('escaped keys are matched by their decoded name', () => {
  assertLikeJsonParse(String.raw`{"\u0061":"escaped a","\u00e9":"escaped é"}`);
});

test('nested objects and arrays are skipped, or decoded whole when wanted', () => {
  assertLikeJsonParse('{"x":{"a":"inner, not top-level"},"a":"top","nested":{"k":[1,{"z":null}],"s":"}"}}');
  assertLikeJsonParse('{"nested":[],"b":[[[]]],"c":{}}');
});

test('missing keys read as undefined', () => {
  const { values } = scan('{"a":"only a"}');
  assert.equal(values['a'], 'only a');
  assert.equal(values['b'], undefined);
});

test('a duplicate key keeps its last value, as JSON.parse does', () => {
  assertLikeJsonParse('{"a":"first","b":1,"a":"second"}');
  assertLikeJsonParse('{"a":"first","a":null}');
});

test('blank lines and a trailing CR', () => {
  assert.equal(scan('').outcome, 'blank');
  assert.equal(scan(' \t\r').outcome, 'blank');
  assertLikeJsonParse('{"a":"crlf"}\r');
});

test('anything JSON.parse refuses, or that is not an object, is left to the general path', () => {
  const broken = [
    '{"a":1,}', "{'a':1}", '{"a":"tab\there"}', '{"a":"\\x"}', '{"a":"\\u12G4"}', '{"a":01}', '{"a":1.}',
    '{"a":.5}', '{"a":+1}', '{"a":NaN}', '{"a":"unterminated}', '{"a":1} x', '{"a" 1}', '{"a":tru}',
    '[1,2]', '"text"', '5', 'null', '{"a":[1,]}', '{"a":{"b":1,}}', '{"a":1', '\u00a0', '{"a":-}', '{"a":1e}',
  ];
  for (const line of broken) assert.equal(scan(line).outcome, 'other', line);
});

test('nesting too deep for the stack is left to the general path', () => {
  const deep = `{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
  assert.equal(scan(deep).outcome, 'other');
});

/** mulberry32 */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('mutated lines: the scanner accepts only what JSON.parse accepts, with the same values', () => {
  const random = prng(7);
  const base = String.raw`{"a":"C:\\Temp\\x \u00e9","b":[1,{"c":"}"}],"c":-1.5e3,"nested":{"a":null},"é":true,"z":"😀"}`;
  const alphabet = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', 'u', '0', '-', 'e', '.', 'a', '\t', 'é', 'n'];
  let accepted = 0;
  for (let round = 0; round < 5000; round++) {
    const chars = [...base];
    const edits = 1 + Math.floor(random() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(random() * chars.length);
      const choice = random();
      if (choice < 0.4) chars.splice(at, 1);
      else if (choice < 0.7) chars.splice(at, 0, alphabet[Math.floor(random() * alphabet.length)]!);
      else chars[at] = alphabet[Math.floor(random() * alphabet.length)]!;
    }
    const line = chars.join('');
    let reference: unknown;
    try {
      reference = JSON.parse(line);
    } catch {
      reference = undefined;
    }
    const { outcome, values } = scan(line);
    if (outcome === 'record') {
      accepted++;
      assert.ok(reference !== undefined && typeof reference === 'object' && !Array.isArray(reference) && reference !== null, line);
      assert.deepEqual(values, parsed(line), line);
    }
  }
  assert.ok(accepted > 100, `only ${accepted} mutated lines were valid: the test would prove little`);
});

test('keys in a different order on every line are still found', () => {
  const scanner = new JsonFieldScanner(KEYS);
  for (const line of ['{"a":1,"b":2,"c":3}', '{"c":30,"a":10,"b":20}', '{"b":200,"x":0,"c":300,"a":100}']) {
    assert.deepEqual(scan(line, scanner).values, parsed(line));
  }
});

test('unknownKeyPresent: a key outside the known names with a value', () => {
  const scanner = new JsonFieldScanner(['a'], ['known']);
  const flag = (line: string) => {
    const bytes = Buffer.from(line);
    scanner.scanLine(bytes, 0, bytes.length);
    return scanner.unknownKeyPresent;
  };
  assert.equal(flag('{"a":1,"known":"x"}'), false);
  assert.equal(flag('{"a":1,"other":null,"another":""}'), false);
  assert.equal(flag('{"a":1,"other":"value"}'), true);
  assert.equal(flag('{"a":1,"nested":{"other":"v"}}'), true);
  scanner.ignoreKey('other');
  assert.equal(flag('{"a":1,"other":"value"}'), false);
});

test('plainInteger reads plain integers from bytes and declines anything else', () => {
  const scanner = new JsonFieldScanner(['n']);
  const integer = (text: string) => {
    const bytes = Buffer.from(`{"n":${text}}`);
    scanner.scanLine(bytes, 0, bytes.length);
    return scanner.plainInteger(0);
  };
  assert.equal(integer('0'), 0);
  assert.equal(integer('-42'), -42);
  assert.equal(integer('999999999999999'), 999999999999999);
  assert.ok(Number.isNaN(integer('9999999999999999')));
  assert.ok(Number.isNaN(integer('1.5')));
  assert.ok(Number.isNaN(integer('1e3')));
  assert.ok(Number.isNaN(integer('"7"')));
});

test('plainString returns equal text for repeated values and tells different values apart', () => {
  const scanner = new JsonFieldScanner(['s']);
  const text = (line: string) => {
    const bytes = Buffer.from(line);
    scanner.scanLine(bytes, 0, bytes.length);
    return scanner.plainString(0);
  };
  for (let round = 0; round < 3; round++) {
    assert.equal(text(String.raw`{"s":"C:\\Temp\\a"}`), 'C:\\Temp\\a');
    assert.equal(text('{"s":"C:/Temp/a"}'), 'C:/Temp/a');
    assert.equal(text(String.raw`{"s":"C:\/Temp\/a"}`), 'C:/Temp/a');
    assert.equal(text('{"s":"host-1"}'), 'host-1');
  }
  assert.equal(text(String.raw`{"s":"\u0041"}`), 'A');
  assert.equal(text('{"s":"é"}'), undefined, 'beyond ASCII: decoded by value()');
  // Many distinct values switch the cache off; values stay right.
  for (let i = 0; i < 20_000; i++) assert.equal(text(`{"s":"file${i}"}`), `file${i}`);
});
