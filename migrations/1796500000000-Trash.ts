import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Trash1796500000000 implements MigrationInterface {
  name = 'Trash1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "threads" ADD "deleted_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "assistants" ADD "deleted_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "threads_deleted_at_idx" ON "threads" ("deleted_at") `);
    await queryRunner.query(`CREATE INDEX "assistants_deleted_at_idx" ON "assistants" ("deleted_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."assistants_deleted_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."threads_deleted_at_idx"`);
    await queryRunner.query(`ALTER TABLE "assistants" DROP COLUMN "deleted_at"`);
    await queryRunner.query(`ALTER TABLE "threads" DROP COLUMN "deleted_at"`);
  }
}
