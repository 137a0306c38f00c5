import { memoryLrsStore } from './memory-lrs-store.js';
import { describeLrsStore } from './testing/index.js';

describeLrsStore('memory', async () => ({ store: memoryLrsStore() }));
