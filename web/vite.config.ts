import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { districtMap } from "./map-data";
import { graphiqlTexts, texts } from "./src/texts";

// The GraphQL server that `vite` and `vite preview` pass /graphql to.
const api = process.env.API_URL ?? "http://127.0.0.1:8080";

// index.html and graphiql.html take their few texts (%title% …) from
// src/texts.ts, so that all German texts stay in one file.
const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const htmlTexts: Plugin = {
  name: "cyberlotse-html-texts",
  transformIndexHtml: (html, { path }) => {
    const page: Record<string, unknown> = path.endsWith("/graphiql.html") ? graphiqlTexts : texts.app;
    return html.replace(/%(\w+)%/g, (placeholder, key: string) => {
      const text = page[key];
      if (typeof text !== "string") throw new Error(`${path}: src/texts.ts has no text for ${placeholder}`);
      return escapeHtml(text);
    });
  },
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

// Two pages, each from its own build into dist/: the app (index.html), and
// with `--mode graphiql` GraphiQL (graphiql.html, served at /graphiql).
// Separate builds share no chunk, so the app's bundle is what it would be
// without GraphiQL, whose React and Monaco load only on its page.
export default defineConfig(({ mode }) => ({
  plugins: [htmlTexts, nrwDistricts],
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  server: { proxy: { "/graphql": api } },
  preview: { proxy: { "/graphql": api } },
  build: {
    target: "es2022",
    ...(mode === "graphiql" && {
      emptyOutDir: false,
      copyPublicDir: false,
      rollupOptions: {
        input: fileURLToPath(new URL("graphiql.html", import.meta.url)),
        // GraphiQL's React libraries mark modules "use client" for React
        // Server Components; in a browser bundle that means nothing.
        onwarn(warning, warn) {
          if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
        },
      },
      // Monaco and its workers are large; they load on this page only.
      chunkSizeWarningLimit: 4096,
    }),
  },
  // Monaco's workers (GraphiQL's editors) import shared chunks, which only
  // module workers can.
  worker: { format: "es" },
}));
