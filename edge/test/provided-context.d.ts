// Values the edge globalSetup provides to tests (vitest's inject).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    mediaNodeUrl: string;
    mediaNodeSecret: string;
    /** Test-only control server: `POST /kill-worker/:index`. */
    controlUrl: string;
  }
}
