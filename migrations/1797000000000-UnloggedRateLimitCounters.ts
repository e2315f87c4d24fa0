import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters live for a minute or a quarter of an hour and are
 * written on every counted request (each chat turn, each sign-in): they are
 * kept out of the write-ahead log, so counting costs no flush to disk. After a
 * crash of PostgreSQL (or on a standby promoted by failover) they start empty.
 */
export class UnloggedRateLimitCounters1797000000000 implements MigrationInterface {
  name = 'UnloggedRateLimitCounters1797000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rate_limit_counters" SET UNLOGGED`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rate_limit_counters" SET LOGGED`);
  }
}
