// Lets `cloudflare:test` and `cloudflare:workers` see the edge's bindings.
type EdgeEnv = import('./src/env').Env;

declare namespace Cloudflare {
  interface Env extends EdgeEnv {}
}
