import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AdminsSignupAudit1796600000001 implements MigrationInterface {
  name = 'AdminsSignupAudit1796600000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_log" ("id" BIGSERIAL NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "action" character varying(64) NOT NULL, "actor_id" uuid, "actor_email" character varying(320), "target_id" uuid, "target_email" character varying(320), "address" character varying(64), "detail" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "audit_log_actor_id_created_at_idx" ON "audit_log"  ("actor_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "audit_log_action_created_at_idx" ON "audit_log"  ("action", "created_at") `);
    await queryRunner.query(`CREATE INDEX "audit_log_created_at_idx" ON "audit_log"  ("created_at") `);
    await queryRunner.query(`CREATE TABLE "invites" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" bytea NOT NULL, "max_uses" integer NOT NULL, "uses" integer NOT NULL DEFAULT '0', "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "invites_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "invites_token_hash_key" ON "invites"  ("token_hash") `);
    await queryRunner.query(`CREATE TABLE "signup_settings" ("id" smallint NOT NULL, "policy" character varying(16) NOT NULL, "domains" text array NOT NULL DEFAULT '{}', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "signup_settings_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`ALTER TABLE "users" ADD "role" character varying(16) NOT NULL DEFAULT 'user'`);
    await queryRunner.query(`ALTER TABLE "users" ADD "disabled_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "users" ADD "must_change_password" boolean NOT NULL DEFAULT false`);
    // An installation that already has accounts: its first account administers it.
    await queryRunner.query(`UPDATE "users" SET "role" = 'admin' WHERE "id" = (SELECT "id" FROM "users" ORDER BY "created_at", "id" LIMIT 1)`);
    await queryRunner.query(`ALTER TABLE "invites" ADD CONSTRAINT "invites_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "invites" DROP CONSTRAINT "invites_created_by_fkey"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "must_change_password"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "disabled_at"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "role"`);
    await queryRunner.query(`DROP TABLE "signup_settings"`);
    await queryRunner.query(`DROP INDEX "public"."invites_token_hash_key"`);
    await queryRunner.query(`DROP TABLE "invites"`);
    await queryRunner.query(`DROP INDEX "public"."audit_log_created_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_log_action_created_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_log_actor_id_created_at_idx"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
