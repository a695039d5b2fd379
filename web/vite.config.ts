import { defineConfig, type Plugin } from "vite";
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

export default defineConfig({
  plugins: [htmlTexts],
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  server: { proxy: { "/graphql": api } },
  preview: { proxy: { "/graphql": api } },
  build: { target: "es2022" },
});
