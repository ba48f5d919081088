/**
 * erf, erfc, gamma, loggamma, cot, beta_* and convert_* on the Kusto docs examples.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bindError, bindScalar, callScalar, resultType } from '../test-support.js';

const real = (v: number): [number, 'real'] => [v, 'real'];
const long = (v: number): [number, 'long'] => [v, 'long'];
const str = (v: string): [string, 'string'] => [v, 'string'];

/** Equal to the digits the docs print (relative 1e-13 covers their 15 significant digits). */
function assertDigits(actual: unknown, expected: number, relative = 1e-13): void {
  assert.equal(typeof actual, 'number', `got ${String(actual)}`);
  const a = actual as number;
  assert.ok(Math.abs(a - expected) <= relative * Math.max(Math.abs(expected), 1e-300), `${a} ≈ ${expected}`);
}

describe('erf / erfc (docs: x from -3 to 3)', () => {
  const erfTable: [number, number][] = [
    [-3, -0.999977909503001], [-2, -0.995322265018953], [-1, -0.842700792949715], [0, 0],
    [1, 0.842700792949715], [2, 0.995322265018953], [3, 0.999977909503001],
  ];
  for (const [x, expected] of erfTable) test(`erf(${x})`, () => assertDigits(callScalar('erf', [long(x)]), expected, 1e-14));
  const erfcTable: [number, number][] = [
    [-3, 1.999977909503001], [-2, 1.995322265018953], [-1, 1.842700792949715], [0, 1],
    [1, 0.157299207050285], [2, 0.00467773498104727], [3, 2.20904969985854e-5],
  ];
  for (const [x, expected] of erfcTable) test(`erfc(${x})`, () => assertDigits(callScalar('erfc', [long(x)]), expected));
  test('far tails and NaN', () => {
    assert.equal(callScalar('erf', [real(40)]), 1);
    assert.equal(callScalar('erfc', [real(40)]), 0);
    assert.ok(Number.isNaN(callScalar('erf', [real(NaN)]) as number));
    assert.equal(resultType(bindScalar('erf', ['long'])), 'real');
    assert.match(bindError(bindScalar('erf', ['string'])), /argument 1 must be a number/);
  });
});

describe('gamma / loggamma / cot', () => {
  test('gamma(5) = 24 (docs); gamma(0.5) = √π; gamma(-0.5) = −2√π; poles are NaN', () => {
    assert.equal(callScalar('gamma', [long(5)]), 24);
    assertDigits(callScalar('gamma', [real(0.5)]), Math.sqrt(Math.PI));
    assertDigits(callScalar('gamma', [real(-0.5)]), -2 * Math.sqrt(Math.PI));
    assert.ok(Number.isNaN(callScalar('gamma', [long(0)]) as number));
  });
  test('loggamma(5) = 3.1780538303479458 (docs); loggamma(100) = ln(99!)', () => {
    assertDigits(callScalar('loggamma', [long(5)]), 3.1780538303479458, 1e-15);
    assertDigits(callScalar('loggamma', [long(100)]), 359.13420536957540);
  });
  test('cot(1) = 0.64209261593433065 (docs)', () => {
    assertDigits(callScalar('cot', [long(1)]), 0.64209261593433065, 1e-15);
  });
});

describe('beta distribution (docs examples)', () => {
  test('beta_cdf(0.9, 10, 20) = 0.999999999999959; out of domain → NaN', () => {
    assertDigits(callScalar('beta_cdf', [real(0.9), real(10), real(20)]), 0.999999999999959);
    for (const args of [[1.5, 10, 20], [-10, 10, 20], [0.1, -1, 20]]) {
      assert.ok(Number.isNaN(callScalar('beta_cdf', args.map(real)) as number), args.join(','));
    }
  });
  test('beta_cdf(0.5, 2, 2) = 0.5 and beta_cdf(0.3, 1, 1) = 0.3 (closed forms)', () => {
    assertDigits(callScalar('beta_cdf', [real(0.5), real(2), real(2)]), 0.5);
    assertDigits(callScalar('beta_cdf', [real(0.3), real(1), real(1)]), 0.3);
  });
  test('beta_pdf(0.5, 10, 20) = 0.746176019310951; out of domain → NaN', () => {
    assertDigits(callScalar('beta_pdf', [real(0.5), real(10), real(20)]), 0.746176019310951, 1e-12);
    for (const args of [[1.5, 10, 20], [-10, 10, 20], [0.1, -1, 20]]) {
      assert.ok(Number.isNaN(callScalar('beta_pdf', args.map(real)) as number), args.join(','));
    }
  });
  test('beta_inv(0.1, 10, 20) = 0.226415022388749; p > 1 → null; alpha < 0 → NaN', () => {
    assertDigits(callScalar('beta_inv', [real(0.1), real(10), real(20)]), 0.226415022388749, 1e-12);
    assert.equal(callScalar('beta_inv', [real(1.5), real(10), real(20)]), null);
    assert.ok(Number.isNaN(callScalar('beta_inv', [real(0.1), real(-1), real(20)]) as number));
  });
  test('beta_inv inverts beta_cdf', () => {
    const x = callScalar('beta_inv', [real(0.7), real(2.5), real(4)]) as number;
    assertDigits(callScalar('beta_cdf', [real(x), real(2.5), real(4)]), 0.7, 1e-12);
  });
});

describe('unit conversions (docs examples)', () => {
  const cases: [string, string, string, number][] = [
    ['convert_energy', 'Joule', 'BritishThermalUnit', 0.00113738054437598],
    ['convert_force', 'Newton', 'Decanewton', 0.12],
    ['convert_length', 'Meter', 'Foot', 3.93700787401575],
    ['convert_mass', 'Kilogram', 'Pound', 2.64554714621853],
    ['convert_speed', 'MeterPerSecond', 'CentimeterPerHour', 432000],
    ['convert_temperature', 'Kelvin', 'DegreeCelsius', -271.95],
    ['convert_volume', 'CubicMeter', 'AcreFoot', 0.0009728568],
  ];
  for (const [fn, from, to, expected] of cases) {
    test(`${fn}(1.2, '${from}', '${to}') = ${expected}`, () => {
      assertDigits(callScalar(fn, [real(1.2), str(from), str(to)]), expected);
    });
  }
  test('temperature scales are affine: 212 °F = 100 °C = 80 °Ré = 671.67 °R', () => {
    assertDigits(callScalar('convert_temperature', [real(212), str('DegreeFahrenheit'), str('DegreeCelsius')]), 100);
    assertDigits(callScalar('convert_temperature', [real(100), str('DegreeCelsius'), str('DegreeReaumur')]), 80);
    assertDigits(callScalar('convert_temperature', [real(100), str('DegreeCelsius'), str('DegreeRankine')]), 671.67);
  });
  test('lengths: 1 mile = 5280 feet, 1 inch = 1000 mil; knots: 1 knot = 1.852 km/h', () => {
    assertDigits(callScalar('convert_length', [real(1), str('Mile'), str('Foot')]), 5280);
    assertDigits(callScalar('convert_length', [real(1), str('Inch'), str('Mil')]), 1000);
    assertDigits(callScalar('convert_speed', [real(1), str('Knot'), str('KilometerPerHour')]), 1.852);
  });
  test('invalid units give null (names are case-sensitive; inherited object keys are not units)', () => {
    assert.equal(callScalar('convert_length', [real(1), str('Meter'), str('Furlong')]), null);
    assert.equal(callScalar('convert_length', [real(1), str('meter'), str('Foot')]), null);
    assert.equal(callScalar('convert_mass', [real(1), str('constructor'), str('Gram')]), null);
    assert.equal(callScalar('convert_temperature', [real(1), str('toString'), str('Kelvin')]), null);
    assert.match(bindError(bindScalar('convert_length', ['real', 'long', 'string'])), /argument 2 must be string/);
  });
});
