// Build time only (vite.config.ts): the 53 district outlines of NRW from
// ../seeds/data/nrw_districts.geojson (WGS84) as SVG paths, so the browser
// gets a few KB of path data instead of 150 KB of GeoJSON and projects
// nothing but the event points. Equirectangular, longitudes scaled by
// cos(51.5°) (the middle of NRW), north up; whole units of a 1000-wide
// view box (about 250 m), each ring as relative steps.
import { readFileSync } from "node:fs";
import type { MapData } from "./src/map-geometry";

type Ring = [number, number][];
type Geometry = { type: "Polygon"; coordinates: Ring[] } | { type: "MultiPolygon"; coordinates: Ring[][] };
type Feature = { properties: { district_key: string; district: string }; geometry: Geometry };

export function districtMap(geojsonPath: string, width = 1000, margin = 10): MapData {
  const { features } = JSON.parse(readFileSync(geojsonPath, "utf8")) as { features: Feature[] };
  const polygons = (g: Geometry) => (g.type === "Polygon" ? [g.coordinates] : g.coordinates);
  const points = features.flatMap((f) => polygons(f.geometry).flat(2));
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const cos = Math.cos((51.5 * Math.PI) / 180);
  const [west, east, south, north] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const ky = (width - 2 * margin) / ((east - west) * cos);
  const kx = ky * cos;
  const height = Math.ceil((north - south) * ky + 2 * margin);
  const project = ([lon, lat]: [number, number]) =>
    [Math.round((lon - west) * kx + margin), Math.round((north - lat) * ky + margin)] as const;

  const ringPath = (ring: Ring) => {
    const steps: string[] = [];
    let [x, y] = project(ring[0]!);
    const start = `M${x} ${y}`;
    for (const point of ring.slice(1)) {
      const [nx, ny] = project(point);
      if (nx === x && ny === y) continue;
      steps.push(`${nx - x} ${ny - y}`);
      [x, y] = [nx, ny];
    }
    return `${start}l${steps.join(" ")}z`;
  };

  return {
    width,
    height,
    projection: { west: west - margin / kx, north: north + margin / ky, kx, ky },
    districts: features.map((f) => ({
      key: f.properties.district_key,
      name: f.properties.district,
      path: polygons(f.geometry)
        .flatMap((polygon) => polygon.map(ringPath))
        .join(""),
    })),
  };
}
