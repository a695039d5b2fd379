import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { districtMap } from "./map-data";
import { texts } from "./src/texts";

// The GraphQL server that `vite` and `vite preview` pass /graphql to.
const api = process.env.API_URL ?? "http://127.0.0.1:8080";

// index.html takes its few texts (%title% …) from src/texts.ts, so that all
// German texts stay in one file.
const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const htmlTexts: Plugin = {
  name: "cyberlotse-html-texts",
  transformIndexHtml: (html) =>
    html.replace(/%(title|description|noscript)%/g, (_, key: "title" | "description" | "noscript") =>
      escapeHtml(texts.app[key]),
    ),
};

// The map of the manager area draws NRW's districts from the seed GeoJSON,
// projected to SVG paths at build time (map-data.ts). The app imports it
// lazily, so only the map page loads it.
const districtsId = "virtual:nrw-districts";
const districtsFile = fileURLToPath(new URL("../seeds/data/nrw_districts.geojson", import.meta.url));
const nrwDistricts: Plugin = {
  name: "cyberlotse-nrw-districts",
  resolveId: (id) => (id === districtsId ? `\0${districtsId}` : undefined),
  load(id) {
    if (id !== `\0${districtsId}`) return undefined;
    this.addWatchFile(districtsFile);
    return `export default ${JSON.stringify(districtMap(districtsFile))};`;
  },
};

export default defineConfig({
  plugins: [htmlTexts, nrwDistricts],
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  server: { proxy: { "/graphql": api } },
  preview: { proxy: { "/graphql": api } },
  build: { target: "es2022" },
});
