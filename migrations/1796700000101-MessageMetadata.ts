import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MessageMetadata1796700000101 implements MigrationInterface {
  name = 'MessageMetadata1796700000101';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" ADD "metadata" jsonb NOT NULL DEFAULT '{}'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "metadata"`);
  }
}
