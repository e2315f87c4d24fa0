import type { MigrationInterface, QueryRunner } from 'typeorm';

/** TypeORM records generated columns per database name; use the one being migrated. */
async function currentDatabase(queryRunner: QueryRunner): Promise<string> {
  const [row] = (await queryRunner.query('SELECT current_database() AS name')) as Array<{ name: string }>;
  return row.name;
}

export class ConversationSearch1796500000101 implements MigrationInterface {
  name = 'ConversationSearch1796500000101';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const database = await currentDatabase(queryRunner);
    await queryRunner.query(`ALTER TABLE "threads" ADD "title_search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A')) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES ($1, $2, $3, $4, $5, $6)`, [database, "public", "threads", "GENERATED_COLUMN", "title_search_vector", "setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A')"]);
    await queryRunner.query(`ALTER TABLE "messages" ADD "search_vector" tsvector GENERATED ALWAYS AS (CASE WHEN status = 'streaming' THEN ''::tsvector ELSE to_tsvector('simple'::regconfig, left(content, 100000)) END) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES ($1, $2, $3, $4, $5, $6)`, [database, "public", "messages", "GENERATED_COLUMN", "search_vector", "CASE WHEN status = 'streaming' THEN ''::tsvector ELSE to_tsvector('simple'::regconfig, left(content, 100000)) END"]);
    await queryRunner.query(`CREATE INDEX "threads_title_search_vector_idx" ON "threads" USING gin ("title_search_vector") `);
    await queryRunner.query(`CREATE INDEX "messages_search_vector_idx" ON "messages" USING gin ("search_vector") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const database = await currentDatabase(queryRunner);
    await queryRunner.query(`DROP INDEX "public"."messages_search_vector_idx"`);
    await queryRunner.query(`DROP INDEX "public"."threads_title_search_vector_idx"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = $3 AND "schema" = $4 AND "table" = $5`, ["GENERATED_COLUMN", "search_vector", database, "public", "messages"]);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "search_vector"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = $3 AND "schema" = $4 AND "table" = $5`, ["GENERATED_COLUMN", "title_search_vector", database, "public", "threads"]);
    await queryRunner.query(`ALTER TABLE "threads" DROP COLUMN "title_search_vector"`);
  }
}
