// The NRW map of the manager area: district outlines projected at build time
// (../map-data.ts, loaded as "virtual:nrw-districts") and the same projection
// for points such as the places of events.

export type MapData = {
  width: number;
  height: number;
  /** x = (lon - west) * kx, y = (north - lat) * ky */
  projection: { west: number; north: number; kx: number; ky: number };
  /** Kreisschlüssel, name and SVG path of each of the 53 districts. */
  districts: { key: string; name: string; path: string }[];
};

export function project(map: MapData, lat: number, lon: number): { x: number; y: number } {
  const { west, north, kx, ky } = map.projection;
  return { x: Math.round((lon - west) * kx), y: Math.round((north - lat) * ky) };
}
