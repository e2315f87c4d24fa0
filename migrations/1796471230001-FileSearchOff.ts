import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FileSearchOff1796471230001 implements MigrationInterface {
  name = 'FileSearchOff1796471230001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assistants" ADD "file_search_off" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assistants" DROP COLUMN "file_search_off"`);
  }
}
