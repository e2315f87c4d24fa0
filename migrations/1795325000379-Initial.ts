import type { MigrationInterface, QueryRunner } from 'typeorm';

/** TypeORM records generated columns per database name; use the one being migrated. */
async function currentDatabase(queryRunner: QueryRunner): Promise<string> {
  const [row] = (await queryRunner.query('SELECT current_database() AS name')) as Array<{ name: string }>;
  return row.name;
}

export class Initial1795325000379 implements MigrationInterface {
  name = 'Initial1795325000379';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const database = await currentDatabase(queryRunner);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES ($1, $2, $3, $4, $5, $6)`, [database, "public", "session", "GENERATED_COLUMN", "user_id", "((sess ->> 'userId'))::uuid"]);
    await queryRunner.query(`CREATE TABLE "session" ("sid" character varying(255) NOT NULL, "sess" json NOT NULL, "expire" TIMESTAMP(6) NOT NULL, "user_id" uuid GENERATED ALWAYS AS (((sess ->> 'userId'))::uuid) STORED, CONSTRAINT "session_pkey" PRIMARY KEY ("sid"))`);
    await queryRunner.query(`CREATE INDEX "session_user_id_idx" ON "session"  ("user_id") `);
    await queryRunner.query(`CREATE INDEX "session_expire_idx" ON "session"  ("expire") `);
    await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(320) NOT NULL, "name" character varying(200), "password_hash" character varying(100) NOT NULL, "api_key_ciphertext" text, "api_key_key_id" character varying(32), "api_key_hint" character varying(16), "api_key_version" integer NOT NULL DEFAULT '0', "default_assistant_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_key" ON "users"  ("email") `);
    await queryRunner.query(`CREATE TABLE "rate_limit_counters" ("key" character varying(80) NOT NULL, "count" integer NOT NULL, "reset_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_ad665f1998311a7bd0e8265365d" PRIMARY KEY ("key"))`);
    await queryRunner.query(`CREATE INDEX "rate_limit_counters_reset_at_idx" ON "rate_limit_counters"  ("reset_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const database = await currentDatabase(queryRunner);
    await queryRunner.query(`DROP INDEX "public"."rate_limit_counters_reset_at_idx"`);
    await queryRunner.query(`DROP TABLE "rate_limit_counters"`);
    await queryRunner.query(`DROP INDEX "public"."users_email_key"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP INDEX "public"."session_expire_idx"`);
    await queryRunner.query(`DROP INDEX "public"."session_user_id_idx"`);
    await queryRunner.query(`DROP TABLE "session"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = $3 AND "schema" = $4 AND "table" = $5`, ["GENERATED_COLUMN", "user_id", database, "public", "session"]);
  }
}
