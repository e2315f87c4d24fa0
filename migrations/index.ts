/** Every migration, oldest first. `npm run migration:generate` appends new ones here. */
export const MIGRATIONS: Function[] = [];
