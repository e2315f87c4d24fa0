import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Assistants1795325239329 implements MigrationInterface {
  name = 'Assistants1795325239329';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "assistants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "name" character varying(256) NOT NULL, "description" character varying(512), "model" character varying(128) NOT NULL, "instructions" text, "temperature" real, "tools" jsonb NOT NULL DEFAULT '[]'::jsonb, "metadata" jsonb NOT NULL DEFAULT '{}'::jsonb, "is_active" boolean NOT NULL DEFAULT true, "vector_store_id" character varying(128), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_640d8c25456e38fc20f6081d754" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "assistants_user_id_created_at_idx" ON "assistants"  ("user_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "assistants" ADD CONSTRAINT "assistants_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assistants" DROP CONSTRAINT "assistants_user_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."assistants_user_id_created_at_idx"`);
    await queryRunner.query(`DROP TABLE "assistants"`);
  }
}
