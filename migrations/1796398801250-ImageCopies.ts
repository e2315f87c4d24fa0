import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ImageCopies1796398801250 implements MigrationInterface {
  name = 'ImageCopies1796398801250';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "files" ADD "upstream_key_ref" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "files" ADD "upstream_expires_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "files" DROP COLUMN "upstream_expires_at"`);
    await queryRunner.query(`ALTER TABLE "files" DROP COLUMN "upstream_key_ref"`);
  }
}
