import { loadEnv } from '../env.js';
import { isServerError } from '../errors.js';
import { startServer } from '../serve.js';
import { type CliIo, CliUsageError, parse } from './run.js';

/**
 * `scormflow serve [--port N] [--host H]`: starts the engine and keeps running until SIGINT or
 * SIGTERM, then closes the server and the backends.
 */
export async function serveCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { port: { type: 'string' }, host: { type: 'string' } });
  if (positionals.length > 0) throw new CliUsageError('serve takes no positional arguments.');
  let env: ReturnType<typeof loadEnv>;
  try {
    env = loadEnv({
      ...process.env,
      ...(values.port === undefined ? {} : { PORT: values.port }),
      ...(values.host === undefined ? {} : { HOST: values.host }),
    });
  } catch (error) {
    if (isServerError(error)) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const server = await startServer(env, (line) => io.stdout(`${line}\n`));
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.stdout('Shutting down.\n');
  await server.close();
  return 0;
}
