// Modules that vite.config.ts generates at build time.
declare module "virtual:nrw-districts" {
  const map: import("./map-geometry").MapData;
  export default map;
}
