import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ThreadMetadata1796471230003 implements MigrationInterface {
  name = 'ThreadMetadata1796471230003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "threads" ADD "metadata" jsonb NOT NULL DEFAULT '{}'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "threads" DROP COLUMN "metadata"`);
  }
}
