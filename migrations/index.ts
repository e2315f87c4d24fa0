import { Initial1795325000379 } from './1795325000379-Initial.js';
import { Assistants1795325239329 } from './1795325239329-Assistants.js';

/** Every migration, oldest first. `npm run migration:generate` appends new ones here. */
export const MIGRATIONS: Function[] = [
  Initial1795325000379,
  Assistants1795325239329,
];
