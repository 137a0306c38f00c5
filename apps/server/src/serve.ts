import type { AddressInfo } from 'node:net';
import { serve as nodeServe } from '@hono/node-server';
import { type BuiltApp, buildApp } from './build-app.js';
import type { ServerEnv } from './env.js';

/** A listening engine. */
export interface RunningServer {
  built: BuiltApp;
  /** `http://host:port` it listens on. */
  url: string;
  /** Stops accepting connections, then closes the backends. */
  close(): Promise<void>;
}

/**
 * Builds the engine and listens on `env.host:env.port` with `@hono/node-server`; `log` receives the
 * start-up lines (where it listens, the first admin key on a new database, a generated JWT secret).
 */
export async function startServer(env: ServerEnv, log: (line: string) => void): Promise<RunningServer> {
  const built = await buildApp(env);
  if (built.bootstrap.created) {
    if (built.bootstrap.secret) {
      log('Created the default tenant. Its admin API key is shown this once; store it now:');
      log(`  ${built.bootstrap.secret}`);
    } else {
      log('Created the default tenant with SCORMFLOW_ADMIN_KEY as its admin API key.');
    }
  }
  if (!env.jwtSecret) {
    log(
      built.jwtSecretFile
        ? `JWT_SECRET is not set: using the generated secret in ${built.jwtSecretFile}.`
        : 'JWT_SECRET is not set: using a random secret for this process only.',
    );
  }
  const server = await new Promise<ReturnType<typeof nodeServe>>((resolve, reject) => {
    const s = nodeServe({ fetch: built.app.fetch, hostname: env.host, port: env.port }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log(`ScormFlow listening on ${url} (database: ${built.db.dialect}, storage: ${env.storage.driver})`);
  return {
    built,
    url,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would otherwise hold the close until they time out.
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      await closed;
      await built.close();
    },
  };
}
