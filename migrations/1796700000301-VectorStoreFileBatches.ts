import type { MigrationInterface, QueryRunner } from 'typeorm';

export class VectorStoreFileBatches1796700000301 implements MigrationInterface {
  name = 'VectorStoreFileBatches1796700000301';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "vector_store_file_batches" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "vector_store_id" uuid NOT NULL, "user_id" uuid NOT NULL, "file_ids" uuid array NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "vector_store_file_batches_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "vector_store_file_batches_vector_store_id_user_id_idx" ON "vector_store_file_batches"  ("vector_store_id", "user_id") `);
    await queryRunner.query(`ALTER TABLE "vector_store_file_batches" ADD CONSTRAINT "vector_store_file_batches_vector_store_id_fkey" FOREIGN KEY ("vector_store_id") REFERENCES "vector_stores"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "vector_store_file_batches" DROP CONSTRAINT "vector_store_file_batches_vector_store_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."vector_store_file_batches_vector_store_id_user_id_idx"`);
    await queryRunner.query(`DROP TABLE "vector_store_file_batches"`);
  }
}
