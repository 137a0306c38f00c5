// A script whose last step is `await db.close()` with the checkpoint worker running: it must print
// "closed" and exit 0 (the close keeps the process alive until the worker has stopped).
import { openDatabase, type SqliteDatabase } from '../src/index.js';

const db = openDatabase(process.argv[2]!, { walCheckpoint: 'worker' }) as SqliteDatabase;
const client = db.drizzle.$client;
client.exec('create table filler (id integer primary key, body blob not null)');
client.prepare('insert into filler (body) values (?)').run(Buffer.alloc(1024, 7));
// Starts the worker (a checkpoint asks it).
await db.checkpoint();
await db.close();
console.log('closed');
