import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ThreadShares1796500000103 implements MigrationInterface {
  name = 'ThreadShares1796500000103';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "thread_shares" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "thread_id" uuid NOT NULL, "token_hash" bytea NOT NULL, "title" character varying(200), "messages" jsonb NOT NULL, "message_count" integer NOT NULL, "include_files" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "thread_shares_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "thread_shares_token_hash_idx" ON "thread_shares"  ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "thread_shares_thread_id_idx" ON "thread_shares"  ("thread_id") `);
    await queryRunner.query(`CREATE INDEX "thread_shares_user_id_created_at_idx" ON "thread_shares"  ("user_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "thread_shares" ADD CONSTRAINT "thread_shares_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "thread_shares" DROP CONSTRAINT "thread_shares_thread_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."thread_shares_user_id_created_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."thread_shares_thread_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."thread_shares_token_hash_idx"`);
    await queryRunner.query(`DROP TABLE "thread_shares"`);
  }
}
