import { describe, expect, it } from 'vitest';
import { readAllText } from './body.js';
import { memoryStorage } from './memory-storage.js';
import { describeBlobStorage } from './testing/index.js';

describeBlobStorage('memory', async () => ({ storage: memoryStorage() }));

describe('memoryStorage', () => {
  it('is not persistent and forgets everything on close', async () => {
    const storage = memoryStorage();
    expect(storage.capabilities).toEqual({ persistent: false, signedUrls: false });
    await storage.put('a', 'x');
    await storage.close?.();
    expect(await storage.get('a')).toBeNull();
  });

  it('copies input bytes, so later changes to the caller buffer do not leak in', async () => {
    const storage = memoryStorage();
    const bytes = new TextEncoder().encode('stable');
    await storage.put('copy', bytes);
    bytes.fill(0);
    expect(await readAllText((await storage.get('copy'))!.body)).toBe('stable');
  });
});
