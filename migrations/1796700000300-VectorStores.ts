import type { MigrationInterface, QueryRunner } from 'typeorm';

export class VectorStores1796700000300 implements MigrationInterface {
  name = 'VectorStores1796700000300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "vector_stores" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "name" character varying(256) NOT NULL DEFAULT '', "metadata" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "vector_stores_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "vector_stores_user_id_created_at_idx" ON "vector_stores"  ("user_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "vector_store_files" ("vector_store_id" uuid NOT NULL, "file_id" uuid NOT NULL, "user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "vector_store_files_pkey" PRIMARY KEY ("vector_store_id", "file_id"))`);
    await queryRunner.query(`CREATE INDEX "vector_store_files_file_id_user_id_idx" ON "vector_store_files"  ("file_id", "user_id") `);
    await queryRunner.query(`CREATE TABLE "assistant_vector_stores" ("assistant_id" uuid NOT NULL, "vector_store_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "assistant_vector_stores_pkey" PRIMARY KEY ("assistant_id"))`);
    await queryRunner.query(`CREATE INDEX "assistant_vector_stores_vector_store_id_user_id_idx" ON "assistant_vector_stores"  ("vector_store_id", "user_id") `);
    await queryRunner.query(`ALTER TABLE "vector_stores" ADD CONSTRAINT "vector_stores_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "vector_store_files" ADD CONSTRAINT "vector_store_files_vector_store_id_fkey" FOREIGN KEY ("vector_store_id") REFERENCES "vector_stores"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "vector_store_files" ADD CONSTRAINT "vector_store_files_file_id_fkey" FOREIGN KEY ("file_id") REFERENCES "files"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "assistant_vector_stores" ADD CONSTRAINT "assistant_vector_stores_assistant_id_fkey" FOREIGN KEY ("assistant_id") REFERENCES "assistants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "assistant_vector_stores" ADD CONSTRAINT "assistant_vector_stores_vector_store_id_fkey" FOREIGN KEY ("vector_store_id") REFERENCES "vector_stores"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assistant_vector_stores" DROP CONSTRAINT "assistant_vector_stores_vector_store_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "assistant_vector_stores" DROP CONSTRAINT "assistant_vector_stores_assistant_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "vector_store_files" DROP CONSTRAINT "vector_store_files_file_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "vector_store_files" DROP CONSTRAINT "vector_store_files_vector_store_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "vector_stores" DROP CONSTRAINT "vector_stores_user_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."assistant_vector_stores_vector_store_id_user_id_idx"`);
    await queryRunner.query(`DROP TABLE "assistant_vector_stores"`);
    await queryRunner.query(`DROP INDEX "public"."vector_store_files_file_id_user_id_idx"`);
    await queryRunner.query(`DROP TABLE "vector_store_files"`);
    await queryRunner.query(`DROP INDEX "public"."vector_stores_user_id_created_at_idx"`);
    await queryRunner.query(`DROP TABLE "vector_stores"`);
  }
}
