import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ModelCalls1796458077897 implements MigrationInterface {
  name = 'ModelCalls1796458077897';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "model_calls" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "thread_id" uuid NOT NULL, "assistant_id" uuid, "purpose" character varying(16) NOT NULL, "model" character varying(128) NOT NULL, "input_tokens" integer NOT NULL, "output_tokens" integer NOT NULL, "cost" numeric(14,6), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e2538384974b0960151a53380c1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "model_calls_user_id_created_at_idx" ON "model_calls" ("user_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "model_calls" ADD CONSTRAINT "model_calls_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_calls" DROP CONSTRAINT "model_calls_thread_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."model_calls_user_id_created_at_idx"`);
    await queryRunner.query(`DROP TABLE "model_calls"`);
  }
}
