import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ThreadsMessagesRuns1795327529190 implements MigrationInterface {
  name = 'ThreadsMessagesRuns1795327529190';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "threads" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "assistant_id" uuid, "title" character varying(200), "is_archived" boolean NOT NULL DEFAULT false, "summary" text, "summary_message_count" integer NOT NULL DEFAULT '0', "summary_through_seq" bigint, "summary_updated_at" TIMESTAMP WITH TIME ZONE, "message_count" integer NOT NULL DEFAULT '0', "input_tokens" bigint NOT NULL DEFAULT '0', "output_tokens" bigint NOT NULL DEFAULT '0', "total_cost" numeric(14,6) NOT NULL DEFAULT '0', "last_message_at" TIMESTAMP WITH TIME ZONE, "last_activity_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d8a74804c34fc3900502cd27275" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "threads_user_id_assistant_id_idx" ON "threads"  ("user_id", "assistant_id") `);
    await queryRunner.query(`CREATE INDEX "threads_user_id_archived_activity_idx" ON "threads"  ("user_id", "is_archived", "last_activity_at") `);
    await queryRunner.query(`CREATE TABLE "runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "thread_id" uuid NOT NULL, "user_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "user_message_id" uuid, "assistant_message_id" uuid, "cancel_requested" boolean NOT NULL DEFAULT false, "error_code" character varying(64), "heartbeat_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_46d6a1e257c38ba58f1a3c30836" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "runs_user_id_started_at_idx" ON "runs"  ("user_id", "started_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "runs_one_running_per_thread" ON "runs"  ("thread_id") WHERE status = 'running'`);
    await queryRunner.query(`CREATE TABLE "messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "thread_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role" character varying(16) NOT NULL, "content" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'completed', "status_reason" character varying(200), "reply_to_id" uuid, "file_ids" jsonb NOT NULL DEFAULT '[]', "citations" jsonb NOT NULL DEFAULT '[]', "assistant_id" uuid, "model" character varying(128), "input_tokens" integer, "output_tokens" integer, "cost" numeric(14,6), "upstream_response_id" character varying(128), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "messages_user_id_created_at_idx" ON "messages"  ("user_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "messages_thread_id_seq_idx" ON "messages"  ("thread_id", "seq") `);
    await queryRunner.query(`ALTER TABLE "threads" ADD CONSTRAINT "threads_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "threads" ADD CONSTRAINT "threads_assistant_id_fkey" FOREIGN KEY ("assistant_id") REFERENCES "assistants"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "runs" ADD CONSTRAINT "runs_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "messages" ADD CONSTRAINT "messages_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "messages_thread_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "runs" DROP CONSTRAINT "runs_thread_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "threads" DROP CONSTRAINT "threads_assistant_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "threads" DROP CONSTRAINT "threads_user_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."messages_thread_id_seq_idx"`);
    await queryRunner.query(`DROP INDEX "public"."messages_user_id_created_at_idx"`);
    await queryRunner.query(`DROP TABLE "messages"`);
    await queryRunner.query(`DROP INDEX "public"."runs_one_running_per_thread"`);
    await queryRunner.query(`DROP INDEX "public"."runs_user_id_started_at_idx"`);
    await queryRunner.query(`DROP TABLE "runs"`);
    await queryRunner.query(`DROP INDEX "public"."threads_user_id_archived_activity_idx"`);
    await queryRunner.query(`DROP INDEX "public"."threads_user_id_assistant_id_idx"`);
    await queryRunner.query(`DROP TABLE "threads"`);
  }
}
