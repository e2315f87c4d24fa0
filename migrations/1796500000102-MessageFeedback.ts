import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MessageFeedback1796500000102 implements MigrationInterface {
  name = 'MessageFeedback1796500000102';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "message_feedback" ("message_id" uuid NOT NULL, "user_id" uuid NOT NULL, "thread_id" uuid NOT NULL, "rating" character varying(8) NOT NULL, "comment" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "message_feedback_pkey" PRIMARY KEY ("message_id"))`);
    await queryRunner.query(`CREATE INDEX "message_feedback_thread_id_idx" ON "message_feedback"  ("thread_id") `);
    await queryRunner.query(`CREATE INDEX "message_feedback_user_id_updated_at_idx" ON "message_feedback"  ("user_id", "updated_at") `);
    await queryRunner.query(`ALTER TABLE "message_feedback" ADD CONSTRAINT "message_feedback_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "message_feedback" ADD CONSTRAINT "message_feedback_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "message_feedback" DROP CONSTRAINT "message_feedback_thread_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "message_feedback" DROP CONSTRAINT "message_feedback_message_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."message_feedback_user_id_updated_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."message_feedback_thread_id_idx"`);
    await queryRunner.query(`DROP TABLE "message_feedback"`);
  }
}
