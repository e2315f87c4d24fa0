import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FileContentIndex1796471230002 implements MigrationInterface {
  name = 'FileContentIndex1796471230002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "files_user_id_sha256_idx" ON "files" ("user_id", "sha256") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."files_user_id_sha256_idx"`);
  }
}
