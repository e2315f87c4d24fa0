import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The search indexes lead with the owner (btree_gin lets a GIN index hold a
 * uuid): a search reads the postings of one user's messages and titles only,
 * however many other accounts use the same words.
 */
export class SearchByUser1796700000200 implements MigrationInterface {
  name = 'SearchByUser1796700000200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await queryRunner.query(`DROP INDEX "public"."messages_search_vector_idx"`);
    await queryRunner.query(`DROP INDEX "public"."threads_title_search_vector_idx"`);
    await queryRunner.query(`CREATE INDEX "messages_user_id_search_vector_idx" ON "messages" USING GIN ("user_id", "search_vector") `);
    await queryRunner.query(`CREATE INDEX "threads_user_id_title_search_vector_idx" ON "threads" USING GIN ("user_id", "title_search_vector") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."threads_user_id_title_search_vector_idx"`);
    await queryRunner.query(`DROP INDEX "public"."messages_user_id_search_vector_idx"`);
    await queryRunner.query(`CREATE INDEX "threads_title_search_vector_idx" ON "threads" USING gin ("title_search_vector") `);
    await queryRunner.query(`CREATE INDEX "messages_search_vector_idx" ON "messages" USING gin ("search_vector") `);
  }
}
