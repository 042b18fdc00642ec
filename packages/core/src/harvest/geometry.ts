import type { MultiPolygon } from './mapped-dataset';

/**
 * Spatial coverage geometries from what remotes publish: GeoJSON (object or text; Polygon,
 * MultiPolygon, Feature, GeometryCollection), WKT (`POLYGON`, `MULTIPOLYGON`, optional `SRID=…;`,
 * Solr's `ENVELOPE`) and ArcGIS-style bounding boxes `W,S,E,N`. Every result is a MultiPolygon (the
 * shape udata stores); points, lines and anything unreadable give null.
 */

type Position = [number, number, ...number[]];
type Ring = Position[];
type Polygon = Ring[];

const MAX_POSITIONS = 100_000;

function isPosition(value: unknown): value is Position {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    value.length <= 4 &&
    value.every((coordinate) => typeof coordinate === 'number' && Number.isFinite(coordinate))
  );
}

function isRing(value: unknown): value is Ring {
  return Array.isArray(value) && value.length >= 4 && value.every(isPosition);
}

function isPolygon(value: unknown): value is Polygon {
  return Array.isArray(value) && value.length >= 1 && value.every(isRing);
}

function polygonsOfGeoJson(value: unknown, depth = 0): Polygon[] | null {
  if (depth > 3 || value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const object = value as Record<string, unknown>;
  switch (object.type) {
    case 'Polygon':
      return isPolygon(object.coordinates) ? [object.coordinates] : null;
    case 'MultiPolygon':
      return Array.isArray(object.coordinates) && object.coordinates.every(isPolygon)
        ? (object.coordinates as Polygon[])
        : null;
    case 'Feature':
      return polygonsOfGeoJson(object.geometry, depth + 1);
    case 'FeatureCollection':
    case 'GeometryCollection': {
      const members = object.type === 'FeatureCollection' ? object.features : object.geometries;
      if (!Array.isArray(members)) return null;
      const polygons = members.flatMap((member) => polygonsOfGeoJson(member, depth + 1) ?? []);
      return polygons.length ? polygons : null;
    }
    default:
      return null;
  }
}

function multi(polygons: Polygon[] | null): MultiPolygon | null {
  if (!polygons?.length) return null;
  const positions = polygons.reduce(
    (sum, polygon) => sum + polygon.reduce((n, ring) => n + ring.length, 0),
    0,
  );
  if (positions > MAX_POSITIONS) return null;
  return { type: 'MultiPolygon', coordinates: polygons };
}

export function geometryFromGeoJson(value: unknown): MultiPolygon | null {
  if (typeof value === 'string') {
    if (value.length > 5_000_000) return null;
    try {
      return multi(polygonsOfGeoJson(JSON.parse(value)));
    } catch {
      return null;
    }
  }
  return multi(polygonsOfGeoJson(value));
}

function bboxPolygon(west: number, south: number, east: number, north: number): Polygon | null {
  if (![west, south, east, north].every(Number.isFinite) || west >= east || south >= north) return null;
  return [
    [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ],
  ];
}

/** `W,S,E,N` (commas or spaces). */
export function geometryFromBbox(text: string): MultiPolygon | null {
  const parts = text.trim().split(/\s*[,\s]\s*/);
  if (parts.length !== 4 || !parts.every((part) => /^-?\d+(\.\d+)?$/.test(part))) return null;
  const [west, south, east, north] = parts.map(Number) as [number, number, number, number];
  return multi([bboxPolygon(west, south, east, north)].filter((p): p is Polygon => p !== null));
}

function ringsOfWkt(body: string): Polygon | null {
  const rings = body.match(/\(([^()]*)\)/g);
  if (!rings) return null;
  const polygon: Polygon = [];
  for (const ring of rings) {
    const positions = ring
      .slice(1, -1)
      .split(',')
      .map((pair) => pair.trim().split(/\s+/).map(Number));
    if (!isRing(positions)) return null;
    polygon.push(positions);
  }
  return polygon;
}

export function geometryFromWkt(raw: string): MultiPolygon | null {
  const text = raw
    .trim()
    .replace(/^SRID=\d+;\s*/i, '')
    .replace(/^<[^>]*>\s*/, '');
  if (text.length > 5_000_000) return null;
  const envelope =
    /^ENVELOPE\s*\(\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\)$/i.exec(text);
  if (envelope) {
    const [minX, maxX, maxY, minY] = envelope.slice(1).map(Number) as [number, number, number, number];
    return multi([bboxPolygon(minX, minY, maxX, maxY)].filter((p): p is Polygon => p !== null));
  }
  const polygon = /^POLYGON\s*\((.*)\)$/is.exec(text);
  if (polygon?.[1] !== undefined) {
    const rings = ringsOfWkt(polygon[1]);
    return rings ? multi([rings]) : null;
  }
  const multipolygon = /^MULTIPOLYGON\s*\((.*)\)$/is.exec(text);
  if (multipolygon?.[1] !== undefined) {
    const bodies = multipolygon[1].match(/\((\s*\([^()]*\)\s*,?\s*)+\)/g);
    if (!bodies) return null;
    const polygons: Polygon[] = [];
    for (const body of bodies) {
      const rings = ringsOfWkt(body.slice(1, -1));
      if (!rings) return null;
      polygons.push(rings);
    }
    return multi(polygons);
  }
  return null;
}

/** Whichever of the three the text is. */
export function geometryFromText(text: string): MultiPolygon | null {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return geometryFromGeoJson(trimmed);
  return geometryFromBbox(trimmed) ?? geometryFromWkt(trimmed);
}

/** Several geometries as one MultiPolygon (udata merges the polygons of a dataset's spatial nodes). */
export function mergeGeometries(geometries: readonly (MultiPolygon | null)[]): MultiPolygon | null {
  const polygons = geometries.flatMap((geometry) => (geometry ? (geometry.coordinates as Polygon[]) : []));
  return multi(polygons);
}
