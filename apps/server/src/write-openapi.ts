import { writeFile } from 'node:fs/promises';
import { openDatabase } from '@scormflow/db';
import { memoryStorage } from '@scormflow/storage';
import { createApp, openApiDocument } from './app.js';

/**
 * The OpenAPI document as committed in `apps/server/openapi.json`: built from the routes of an app
 * over an unopened in-memory database (declaring routes touches no backend).
 */
export async function renderOpenApi(): Promise<string> {
  const db = openDatabase(':memory:');
  try {
    const app = createApp({ db, storage: memoryStorage(), rateLimiter: null });
    return `${JSON.stringify(openApiDocument(app), null, 2)}\n`;
  } finally {
    await db.close();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const target = new URL('../openapi.json', import.meta.url);
  await writeFile(target, await renderOpenApi());
  console.log(`wrote ${target.pathname}`);
}
