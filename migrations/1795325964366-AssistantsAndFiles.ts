import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AssistantsAndFiles1795325964366 implements MigrationInterface {
  name = 'AssistantsAndFiles1795325964366';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "assistants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "name" character varying(256) NOT NULL, "description" character varying(512), "model" character varying(128) NOT NULL, "instructions" text, "temperature" double precision, "tools" jsonb NOT NULL, "metadata" jsonb NOT NULL, "is_active" boolean NOT NULL DEFAULT true, "vector_store_id" character varying(128), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_640d8c25456e38fc20f6081d754" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "assistants_user_id_created_at_idx" ON "assistants"  ("user_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "files" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "filename" character varying(255) NOT NULL, "relative_path" character varying(1024), "mime_type" character varying(128) NOT NULL, "kind" character varying(16) NOT NULL, "size_bytes" integer NOT NULL, "sha256" character(64) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'ready', "status_error" text, "upstream_file_id" character varying(128), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6c16b9093a142e0e7613b04a3d9" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "files_user_id_created_at_idx" ON "files"  ("user_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "assistant_files" ("assistant_id" uuid NOT NULL, "file_id" uuid NOT NULL, "user_id" uuid NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'processing', "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "assistant_files_pkey" PRIMARY KEY ("assistant_id", "file_id"))`);
    await queryRunner.query(`CREATE INDEX "assistant_files_file_id_idx" ON "assistant_files"  ("file_id") `);
    await queryRunner.query(`CREATE INDEX "assistant_files_user_id_idx" ON "assistant_files"  ("user_id") `);
    await queryRunner.query(`CREATE TABLE "file_chunks" ("file_id" uuid NOT NULL, "seq" integer NOT NULL, "user_id" uuid NOT NULL, "data" bytea NOT NULL, CONSTRAINT "file_chunks_pkey" PRIMARY KEY ("file_id", "seq"))`);
    await queryRunner.query(`CREATE INDEX "file_chunks_user_id_idx" ON "file_chunks"  ("user_id") `);
    await queryRunner.query(`CREATE TABLE "upstream_jobs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "kind" character varying(32) NOT NULL, "payload" jsonb NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "run_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "locked_until" TIMESTAMP WITH TIME ZONE, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a8ac419cd2045f700ec44e87032" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "upstream_jobs_user_id_idx" ON "upstream_jobs"  ("user_id") `);
    await queryRunner.query(`CREATE INDEX "upstream_jobs_run_at_idx" ON "upstream_jobs"  ("run_at") `);
    await queryRunner.query(`ALTER TABLE "assistants" ADD CONSTRAINT "assistants_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "users_default_assistant_id_fkey" FOREIGN KEY ("default_assistant_id") REFERENCES "assistants"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "files" ADD CONSTRAINT "files_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "assistant_files" ADD CONSTRAINT "assistant_files_assistant_id_fkey" FOREIGN KEY ("assistant_id") REFERENCES "assistants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "assistant_files" ADD CONSTRAINT "assistant_files_file_id_fkey" FOREIGN KEY ("file_id") REFERENCES "files"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "file_chunks" ADD CONSTRAINT "file_chunks_file_id_fkey" FOREIGN KEY ("file_id") REFERENCES "files"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "upstream_jobs" ADD CONSTRAINT "upstream_jobs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "upstream_jobs" DROP CONSTRAINT "upstream_jobs_user_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "file_chunks" DROP CONSTRAINT "file_chunks_file_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "assistant_files" DROP CONSTRAINT "assistant_files_file_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "assistant_files" DROP CONSTRAINT "assistant_files_assistant_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "files" DROP CONSTRAINT "files_user_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_default_assistant_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "assistants" DROP CONSTRAINT "assistants_user_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."upstream_jobs_run_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."upstream_jobs_user_id_idx"`);
    await queryRunner.query(`DROP TABLE "upstream_jobs"`);
    await queryRunner.query(`DROP INDEX "public"."file_chunks_user_id_idx"`);
    await queryRunner.query(`DROP TABLE "file_chunks"`);
    await queryRunner.query(`DROP INDEX "public"."assistant_files_user_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."assistant_files_file_id_idx"`);
    await queryRunner.query(`DROP TABLE "assistant_files"`);
    await queryRunner.query(`DROP INDEX "public"."files_user_id_created_at_idx"`);
    await queryRunner.query(`DROP TABLE "files"`);
    await queryRunner.query(`DROP INDEX "public"."assistants_user_id_created_at_idx"`);
    await queryRunner.query(`DROP TABLE "assistants"`);
  }
}
