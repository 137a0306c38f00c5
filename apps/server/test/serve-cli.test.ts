import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run.js';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  return { code, stdout, stderr };
}

describe('scormflow serve', () => {
  it('is listed in the help', async () => {
    expect((await cli('help')).stdout).toMatch(/^ {2}serve {10,}Start the engine/m);
  });

  it('refuses positional arguments and unknown options', async () => {
    expect(await cli('serve', 'now')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('serve takes no'),
    });
    expect((await cli('serve', '--verbose')).code).toBe(1);
  });

  it('refuses to start with a bad configuration and says which variable is wrong', async () => {
    const saved = process.env.STORAGE_DRIVER;
    process.env.STORAGE_DRIVER = 'floppy';
    try {
      const result = await cli('serve', '--port', '70000');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('PORT must be at most 65535');
      expect(result.stderr).toContain('STORAGE_DRIVER must be one of local, s3, memory');
      expect(result.stdout).toBe('');
    } finally {
      if (saved === undefined) delete process.env.STORAGE_DRIVER;
      else process.env.STORAGE_DRIVER = saved;
    }
  });
});
