/**
 * Well-known text (OGC simple features) to GeoJSON, for geo_from_wkt(): POINT, LINESTRING, POLYGON,
 * MULTIPOINT, MULTILINESTRING, MULTIPOLYGON and GEOMETRYCOLLECTION. Malformed text gives undefined.
 * Coordinates are validated as GeoJSON positions (longitude then latitude, in range).
 */
import type { DynamicValue } from '../../values/types.js';
import { parseLines, parsePolygons, validCoordinate } from './shapes.js';

type Position = [number, number];

class WktReader {
  private pos = 0;
  constructor(private readonly text: string) {}

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  word(): string | undefined {
    this.skipSpace();
    const m = /^[A-Za-z]+/.exec(this.text.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0].toUpperCase();
  }

  accept(ch: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] !== ch) return false;
    this.pos++;
    return true;
  }

  number(): number | undefined {
    this.skipSpace();
    const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return Number(m[0]);
  }

  /** `x y` (an optional z is read and dropped). */
  position(): Position | undefined {
    const x = this.number();
    const y = this.number();
    if (x === undefined || y === undefined || !validCoordinate(x, y)) return undefined;
    this.number();
    return [x, y];
  }

  /** `( item, item, … )` */
  list<T>(item: () => T | undefined): T[] | undefined {
    if (!this.accept('(')) return undefined;
    const out: T[] = [];
    do {
      const value = item();
      if (value === undefined) return undefined;
      out.push(value);
    } while (this.accept(','));
    return this.accept(')') ? out : undefined;
  }

  /** A MULTIPOINT member may be written `(x y)` or `x y`. */
  multiPointMember(): Position | undefined {
    if (this.accept('(')) {
      const p = this.position();
      return p && this.accept(')') ? p : undefined;
    }
    return this.position();
  }

  geometry(): DynamicValue | undefined {
    const kind = this.word();
    switch (kind) {
      case 'POINT': {
        const p = this.list(() => this.position());
        return p && p.length === 1 ? { type: 'Point', coordinates: p[0]! } : undefined;
      }
      case 'LINESTRING':
        return this.shape('LineString', this.list(() => this.position()));
      case 'POLYGON':
        return this.shape('Polygon', this.list(() => this.list(() => this.position())));
      case 'MULTIPOINT':
        return this.shape('MultiPoint', this.list(() => this.multiPointMember()));
      case 'MULTILINESTRING':
        return this.shape('MultiLineString', this.list(() => this.list(() => this.position())));
      case 'MULTIPOLYGON':
        return this.shape('MultiPolygon', this.list(() => this.list(() => this.list(() => this.position()))));
      case 'GEOMETRYCOLLECTION': {
        const geometries = this.list(() => this.geometry());
        return geometries ? { type: 'GeometryCollection', geometries } : undefined;
      }
      default:
        return undefined;
    }
  }

  private shape(type: string, coordinates: DynamicValue[] | undefined): DynamicValue | undefined {
    return coordinates ? { type, coordinates } : undefined;
  }
}

/** Lines and polygons must also be valid shapes (a line has two points, a ring is closed, …). */
function valid(shape: DynamicValue): boolean {
  if (shape === null || typeof shape !== 'object' || Array.isArray(shape)) return false;
  switch (shape['type']) {
    case 'LineString':
    case 'MultiLineString':
      return parseLines(shape) !== undefined;
    case 'Polygon':
    case 'MultiPolygon':
      return parsePolygons(shape) !== undefined;
    case 'GeometryCollection':
      return (shape['geometries'] as DynamicValue[]).every(valid);
    default:
      return true;
  }
}

export function wktToGeoJson(text: string): DynamicValue | undefined {
  const reader = new WktReader(text);
  const shape = reader.geometry();
  if (shape === undefined || !reader.atEnd()) return undefined;
  return valid(shape) ? shape : undefined;
}
