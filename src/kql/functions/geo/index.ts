/**
 * Kusto's geospatial functions (geo_*): measurements, predicates and constructions over GeoJSON
 * shapes on a spherical Earth (see sphere.ts), and the geohash, S2 and H3 cell systems.
 * Invalid coordinates, shapes or parameters give null (an empty string for string results), as in Kusto.
 */
import type { ScalarFunction } from '../registry.js';
import { measureFunctions } from './measure-functions.js';
import { constructionFunctions } from './construction-functions.js';
import { cellFunctions } from './cell-functions.js';

export function geoFunctions(): ScalarFunction[] {
  return [...measureFunctions(), ...constructionFunctions(), ...cellFunctions()];
}
