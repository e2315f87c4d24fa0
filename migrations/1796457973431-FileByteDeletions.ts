import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FileByteDeletions1796457973431 implements MigrationInterface {
  name = 'FileByteDeletions1796457973431';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "file_byte_deletions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "file_id" uuid, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "file_byte_deletions_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "file_byte_deletions_next_attempt_at_idx" ON "file_byte_deletions" ("next_attempt_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."file_byte_deletions_next_attempt_at_idx"`);
    await queryRunner.query(`DROP TABLE "file_byte_deletions"`);
  }
}
