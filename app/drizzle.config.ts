import { defineConfig } from 'drizzle-kit';

/** `npx drizzle-kit generate` writes SQL migrations to app/drizzle from the schema. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/lib/server/db/schema.ts',
  out: './drizzle',
});
