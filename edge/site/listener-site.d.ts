// The SvelteKit worker that `npm run build:site` writes (adapter-cloudflare), reached through the
// `dmp-listener-site` alias in the root wrangler.toml.
declare module 'dmp-listener-site' {
  const site: { fetch: ExportedHandlerFetchHandler<Cloudflare.Env> };
  export default site;
}
