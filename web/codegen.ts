import type { CodegenConfig } from "@graphql-codegen/cli";

// Typed operations from the GraphQL contract in ../schema. An operation in
// src/operations.graphql that no longer matches the schema fails codegen, and
// a changed result type fails `tsc --noEmit`: both run in `npm run build`.
const config: CodegenConfig = {
  schema: "../schema/*.graphqls",
  documents: ["src/operations.graphql"],
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        // Documents as plain strings: no GraphQL library in the bundle.
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: { DateTime: "string", Date: "string" },
      },
    },
  },
};

export default config;
