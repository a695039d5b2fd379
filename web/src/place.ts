// What a person types as their place, as the API's PlaceInput.
import type { PlaceInput } from "./gql/graphql";

/** ort is what was typed; ags is set once a candidate of an ambiguous place was picked. */
export function placeInput(ort: string, ags: string | null): PlaceInput {
  if (ags) return { ags };
  const value = ort.trim();
  if (/^\d{5}$/.test(value)) return { postcode: value };
  if (/^\d{8}$/.test(value)) return { ags: value };
  return { town: value };
}
