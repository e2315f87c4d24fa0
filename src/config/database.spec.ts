import { availableParallelism } from 'node:os';
import { defaultPoolSize, readDatabaseConfig } from './database.js';
import { ConfigError, EnvReader } from './env-reader.js';

const read = (env: Record<string, string>) => readDatabaseConfig(new EnvReader(env), '/data');

describe('database settings', () => {
  it('open twice as many connections per process as the machine has cores, at least 4', () => {
    expect(defaultPoolSize(1)).toBe(4);
    expect(defaultPoolSize(2)).toBe(4);
    expect(defaultPoolSize(8)).toBe(16);
    expect(read({}).poolSize).toBe(Math.max(4, 2 * availableParallelism()));
  });

  it('take DATABASE_POOL_SIZE as given, from 2 connections up', () => {
    expect(read({ DATABASE_POOL_SIZE: '10' }).poolSize).toBe(10);
    expect(read({ DATABASE_POOL_SIZE: '2' }).poolSize).toBe(2);
    expect(() => read({ DATABASE_POOL_SIZE: '1' })).toThrow(ConfigError);
  });
});
