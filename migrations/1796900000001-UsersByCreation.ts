import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The accounts' list (administration) in its order, oldest first: a page reads only its rows. */
export class UsersByCreation1796900000001 implements MigrationInterface {
  name = 'UsersByCreation1796900000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "users_created_at_id_idx" ON "users" ("created_at", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."users_created_at_id_idx"`);
  }
}
