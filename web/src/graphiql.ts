// GraphiQL for /graphiql, built from npm into its own page (graphiql.html),
// so that it works offline and loads nothing from a CDN, and the app's
// bundle carries none of it. React renders it; the app itself is Preact,
// so this file uses createElement instead of JSX.
import { GraphiQL } from "graphiql";
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { createElement, type ComponentProps } from "react";
import { createRoot } from "react-dom/client";
import "./graphiql.css";
import { graphiqlTexts } from "./texts";

type Fetcher = ComponentProps<typeof GraphiQL>["fetcher"];

// POST /graphql on this origin; headers from GraphiQL's header editor
// (Authorization: Bearer … for the manager's queries) go along.
const fetcher: Fetcher = async (params, options) => {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/graphql-response+json, application/json",
      ...options?.headers,
    },
    body: JSON.stringify(params),
  });
  return response.json();
};

createRoot(document.getElementById("graphiql")!).render(
  createElement(GraphiQL, { fetcher, defaultQuery: graphiqlTexts.defaultQuery }),
);
