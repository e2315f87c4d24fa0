import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The thread list's index: a user's threads outside the trash in the list's
 * order, so a page is the first rows of one range and the list's total a
 * count of index entries, whatever the number of threads. It replaces the
 * one on (user_id, is_archived, last_activity_at).
 */
export class ThreadListIndex1796900000000 implements MigrationInterface {
  name = 'ThreadListIndex1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "threads_user_id_listed_idx" ON "threads" ("user_id", "is_archived", "last_activity_at" DESC, "id" DESC) WHERE "deleted_at" IS NULL`,
    );
    await queryRunner.query(`DROP INDEX "public"."threads_user_id_archived_activity_idx"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "threads_user_id_archived_activity_idx" ON "threads" ("user_id", "is_archived", "last_activity_at")`);
    await queryRunner.query(`DROP INDEX "public"."threads_user_id_listed_idx"`);
  }
}
