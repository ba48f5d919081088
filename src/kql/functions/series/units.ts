/**
 * Unit conversions: convert_energy, convert_force, convert_length, convert_mass, convert_speed,
 * convert_temperature, convert_volume(value, from, to). Unit names are the ones the docs list
 * (UnitsNet's names, matched exactly); "invalid units return null" (docs).
 *
 * Each unit is a factor to the base unit (joule, newton, metre, kilogram, metre per second, cubic
 * metre), taken from the definitions Kusto's conversions follow (UnitsNet): the docs examples pin
 * them, e.g. 1.2 m³ = 0.0009728568 acre-feet because an acre-foot is 1 / 0.000810714 m³, not the exact
 * 1233.48183754752 m³. Temperatures are affine and have their own table.
 */
import type { ScalarFunction } from '../registry.js';
import { NUMBER, STRING, simpleScalar } from '../common.js';

type FactorTable = Record<string, number>;

const LIGHT_YEAR = 9.46073047258e15;
const PARSEC = 3.08567758128e16;
const INCH = 2.54e-2;
const FOOT = 0.3048;
const US_SURVEY_FOOT = 1200 / 3937;

const LENGTH: FactorTable = {
  Angstrom: 1e-10, AstronomicalUnit: 1.4959787070e11, Centimeter: 1e-2, Chain: 20.1168, DataMile: 1828.8,
  Decameter: 10, Decimeter: 1e-1, DtpPica: INCH / 6, DtpPoint: INCH / 72, Fathom: 1.8288, Foot: FOOT,
  Hand: 1.016e-1, Hectometer: 100, Inch: INCH, KilolightYear: LIGHT_YEAR * 1e3, Kilometer: 1e3,
  Kiloparsec: PARSEC * 1e3, LightYear: LIGHT_YEAR, MegalightYear: LIGHT_YEAR * 1e6, Megaparsec: PARSEC * 1e6,
  Meter: 1, Microinch: INCH * 1e-6, Micrometer: 1e-6, Mil: INCH * 1e-3, Mile: 1609.344, Millimeter: 1e-3,
  Nanometer: 1e-9, NauticalMile: 1852, Parsec: PARSEC, PrinterPica: 1 / 237.106301584,
  PrinterPoint: INCH / 72.27, Shackle: 27.432, SolarRadius: 6.95510000e8, Twip: 1 / 56692.913385826,
  UsSurveyFoot: US_SURVEY_FOOT, Yard: 0.9144,
};

const BTU = 1055.05585262;
const ELECTRON_VOLT = 1.602176565e-19;
const THERM_EC = 1.05505585262e8;
const THERM_IMPERIAL = 1.05505585257348e8;
const THERM_US = 1.054804e8;

const ENERGY: FactorTable = {
  BritishThermalUnit: BTU, Calorie: 4.184, DecathermEc: THERM_EC * 10, DecathermImperial: THERM_IMPERIAL * 10,
  DecathermUs: THERM_US * 10, ElectronVolt: ELECTRON_VOLT, Erg: 1e-7, FootPound: 1.355817948,
  GigabritishThermalUnit: BTU * 1e9, GigaelectronVolt: ELECTRON_VOLT * 1e9, Gigajoule: 1e9, GigawattDay: 24 * 3600 * 1e9,
  GigawattHour: 3600 * 1e9, HorsepowerHour: 2.6845195377e6, Joule: 1, KilobritishThermalUnit: BTU * 1e3,
  Kilocalorie: 4.184e3, KiloelectronVolt: ELECTRON_VOLT * 1e3, Kilojoule: 1e3, KilowattDay: 24 * 3600 * 1e3,
  KilowattHour: 3600 * 1e3, MegabritishThermalUnit: BTU * 1e6, Megacalorie: 4.184e6, MegaelectronVolt: ELECTRON_VOLT * 1e6,
  Megajoule: 1e6, MegawattDay: 24 * 3600 * 1e6, MegawattHour: 3600 * 1e6, Millijoule: 1e-3,
  TeraelectronVolt: ELECTRON_VOLT * 1e12, TerawattDay: 24 * 3600 * 1e12, TerawattHour: 3600 * 1e12,
  ThermEc: THERM_EC, ThermImperial: THERM_IMPERIAL, ThermUs: THERM_US, WattDay: 24 * 3600, WattHour: 3600,
};

const POUND_FORCE = 4.4482216152605;
const STANDARD_GRAVITY = 9.80665;

const FORCE: FactorTable = {
  Decanewton: 10, Dyn: 1e-5, KilogramForce: STANDARD_GRAVITY, Kilonewton: 1e3, KiloPond: STANDARD_GRAVITY,
  KilopoundForce: POUND_FORCE * 1e3, Meganewton: 1e6, Micronewton: 1e-6, Millinewton: 1e-3, Newton: 1,
  OunceForce: POUND_FORCE / 16, Poundal: 0.138254954376, PoundForce: POUND_FORCE, ShortTonForce: POUND_FORCE * 2000,
  TonneForce: STANDARD_GRAVITY * 1e3,
};

const POUND = 0.45359237;

const MASS: FactorTable = {
  Centigram: 1e-5, Decagram: 1e-2, Decigram: 1e-4, EarthMass: 5.9722e24, Grain: 64.79891e-6, Gram: 1e-3,
  Hectogram: 0.1, Kilogram: 1, Kilopound: POUND * 1e3, Kilotonne: 1e6, LongHundredweight: POUND * 112,
  LongTon: POUND * 2240, Megapound: POUND * 1e6, Megatonne: 1e9, Microgram: 1e-9, Milligram: 1e-6,
  Nanogram: 1e-12, Ounce: POUND / 16, Pound: POUND, ShortHundredweight: POUND * 100, ShortTon: POUND * 2000,
  Slug: 14.593902937206, SolarMass: 1.98947e30, Stone: POUND * 14, Tonne: 1e3,
};

/** Speeds: every "<length>Per<time>" combination the docs list, plus the knot. */
function speedTable(): FactorTable {
  const lengths: FactorTable = {
    Centimeter: 1e-2, Decimeter: 1e-1, Foot: FOOT, Inch: INCH, Kilometer: 1e3, Meter: 1, Micrometer: 1e-6,
    Mile: 1609.344, Millimeter: 1e-3, Nanometer: 1e-9, UsSurveyFoot: US_SURVEY_FOOT, Yard: 0.9144,
  };
  const times: FactorTable = { Hour: 3600, Minute: 60, Second: 1 };
  const listed = [
    'CentimeterPerHour', 'CentimeterPerMinute', 'CentimeterPerSecond', 'DecimeterPerMinute', 'DecimeterPerSecond',
    'FootPerHour', 'FootPerMinute', 'FootPerSecond', 'InchPerHour', 'InchPerMinute', 'InchPerSecond',
    'KilometerPerHour', 'KilometerPerMinute', 'KilometerPerSecond', 'MeterPerHour', 'MeterPerMinute', 'MeterPerSecond',
    'MicrometerPerMinute', 'MicrometerPerSecond', 'MilePerHour', 'MillimeterPerHour', 'MillimeterPerMinute',
    'MillimeterPerSecond', 'NanometerPerMinute', 'NanometerPerSecond', 'UsSurveyFootPerHour', 'UsSurveyFootPerMinute',
    'UsSurveyFootPerSecond', 'YardPerHour', 'YardPerMinute', 'YardPerSecond',
  ];
  const table: FactorTable = { Knot: 1852 / 3600 };
  for (const unit of listed) {
    const [length, time] = unit.split('Per') as [string, string];
    table[unit] = lengths[length]! / times[time]!;
  }
  return table;
}

const US_GALLON = 0.00378541;
const IMPERIAL_GALLON = 0.00454609000000181429905810072407;
const CUBIC_FOOT = 0.0283168;

const VOLUME: FactorTable = {
  AcreFoot: 1 / 0.000810714, AuTablespoon: 2e-5, BoardFoot: 2.3597372158e-3, Centiliter: 1e-5,
  CubicCentimeter: 1e-6, CubicDecimeter: 1e-3, CubicFoot: CUBIC_FOOT, CubicHectometer: 1e6, CubicInch: 1.6387e-5,
  CubicKilometer: 1e9, CubicMeter: 1, CubicMicrometer: 1e-18, CubicMile: 4.16818182544058e9, CubicMillimeter: 1e-9,
  CubicYard: 0.764554858, Decaliter: 1e-2, DecausGallon: US_GALLON * 10, Deciliter: 1e-4, DeciusGallon: US_GALLON / 10,
  HectocubicFoot: CUBIC_FOOT * 100, HectocubicMeter: 100, Hectoliter: 0.1, HectousGallon: US_GALLON * 100,
  ImperialBeerBarrel: 0.16365924, ImperialGallon: IMPERIAL_GALLON, ImperialOunce: 2.8413062499962901241875439064617e-5,
  ImperialPint: 5.6826125e-4, KilocubicFoot: CUBIC_FOOT * 1e3, KilocubicMeter: 1e3, KiloimperialGallon: IMPERIAL_GALLON * 1e3,
  Kiloliter: 1, KilousGallon: US_GALLON * 1e3, Liter: 1e-3, MegacubicFoot: CUBIC_FOOT * 1e6,
  MegaimperialGallon: IMPERIAL_GALLON * 1e6, Megaliter: 1e3, MegausGallon: US_GALLON * 1e6, MetricCup: 0.00025,
  MetricTeaspoon: 0.5e-5, Microliter: 1e-9, Milliliter: 1e-6, OilBarrel: 0.158987294928, UkTablespoon: 1.5e-5,
  UsBeerBarrel: 0.1173477658, UsCustomaryCup: 0.0002365882365, UsGallon: US_GALLON, UsLegalCup: 0.00024,
  UsOunce: 2.957352956253760505068307980135e-5, UsPint: 4.73176473e-4, UsQuart: 9.46352946e-4,
  UsTablespoon: 1.478676478125e-5, UsTeaspoon: 4.92892159375e-6,
};

/** Temperature scales as (to kelvin, from kelvin) pairs. */
const TEMPERATURE: Record<string, [(x: number) => number, (k: number) => number]> = {
  Kelvin: [(x) => x, (k) => k],
  DegreeCelsius: [(x) => x + 273.15, (k) => k - 273.15],
  MillidegreeCelsius: [(x) => x / 1000 + 273.15, (k) => (k - 273.15) * 1000],
  DegreeDelisle: [(x) => (x * -2) / 3 + 373.15, (k) => ((k - 373.15) * -3) / 2],
  DegreeFahrenheit: [(x) => (x * 5) / 9 + (459.67 * 5) / 9, (k) => ((k - (459.67 * 5) / 9) * 9) / 5],
  DegreeNewton: [(x) => (x * 100) / 33 + 273.15, (k) => ((k - 273.15) * 33) / 100],
  DegreeRankine: [(x) => (x * 5) / 9, (k) => (k * 9) / 5],
  DegreeReaumur: [(x) => (x * 5) / 4 + 273.15, (k) => ((k - 273.15) * 4) / 5],
  DegreeRoemer: [(x) => (x * 40) / 21 + 273.15 - (7.5 * 40) / 21, (k) => ((k - (273.15 - (7.5 * 40) / 21)) * 21) / 40],
  SolarTemperature: [(x) => x * 5778, (k) => k / 5778],
};

export function convertByFactors(table: FactorTable, value: number, from: string, to: string): number | null {
  const [f, t] = [table[from], table[to]];
  if (f === undefined || t === undefined || !Object.hasOwn(table, from) || !Object.hasOwn(table, to)) return null;
  return from === to ? value : (value * f) / t;
}

export function convertTemperature(value: number, from: string, to: string): number | null {
  if (!Object.hasOwn(TEMPERATURE, from) || !Object.hasOwn(TEMPERATURE, to)) return null;
  return from === to ? value : TEMPERATURE[to]![1](TEMPERATURE[from]![0](value));
}

export function unitFunctions(): ScalarFunction[] {
  const converter = (name: string, convert: (value: number, from: string, to: string) => number | null) => simpleScalar({
    name,
    params: [NUMBER, STRING, STRING],
    result: 'real',
    kernel: () => ([value, from, to]) => convert(value as number, from as string, to as string),
  });
  const byTable = (table: FactorTable) => (value: number, from: string, to: string) => convertByFactors(table, value, from, to);
  return [
    converter('convert_energy', byTable(ENERGY)),
    converter('convert_force', byTable(FORCE)),
    converter('convert_length', byTable(LENGTH)),
    converter('convert_mass', byTable(MASS)),
    converter('convert_speed', byTable(speedTable())),
    converter('convert_volume', byTable(VOLUME)),
    converter('convert_temperature', convertTemperature),
  ];
}
