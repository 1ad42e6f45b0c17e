// `npm run db:seed`: loads db/content/*.md into DATABASE_PATH. Idempotent; the server also
// runs it at start.
import { closeDb } from '../db/index';
import { prepareDatabase } from '../db/prepare';

prepareDatabase();
closeDb();
