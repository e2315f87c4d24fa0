import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Budgets1796700000000 implements MigrationInterface {
  name = 'Budgets1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "budget_settings" ("id" smallint NOT NULL, "period" character varying(8) NOT NULL, "time_zone" character varying(64) NOT NULL, "soft_percent" smallint NOT NULL, "default_tokens" bigint, "default_usd" numeric(14,6), "shared_tokens" bigint, "shared_usd" numeric(14,6), "shared_models" text array NOT NULL DEFAULT '{}', "shared_tools" text array NOT NULL DEFAULT '{}', "shared_max_output_tokens" integer, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "budget_settings_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "user_budgets" ("user_id" uuid NOT NULL, "tokens" bigint, "usd" numeric(14,6), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "user_budgets_pkey" PRIMARY KEY ("user_id"))`);
    await queryRunner.query(`CREATE TABLE "budget_reservations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "tokens" bigint NOT NULL, "usd" numeric(14,6) NOT NULL, "reserved_until" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "budget_reservations_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "budget_reservations_user_id_reserved_until_idx" ON "budget_reservations" ("user_id", "reserved_until") `);
    await queryRunner.query(`CREATE TABLE "budget_spend" ("user_id" uuid NOT NULL, "bucket" TIMESTAMP WITH TIME ZONE NOT NULL, "tokens" bigint NOT NULL DEFAULT '0', "usd" numeric(14,6) NOT NULL DEFAULT '0', CONSTRAINT "budget_spend_pkey" PRIMARY KEY ("user_id", "bucket"))`);
    await queryRunner.query(`ALTER TABLE "user_budgets" ADD CONSTRAINT "user_budgets_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "budget_reservations" ADD CONSTRAINT "budget_reservations_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "budget_spend" ADD CONSTRAINT "budget_spend_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    // What was spent in the last two months counts from the start: replies (kept on the reply) and other calls, per quarter hour.
    await queryRunner.query(`INSERT INTO "budget_spend" ("user_id", "bucket", "tokens", "usd")
      SELECT s.user_id, to_timestamp(floor(extract(epoch FROM s.created_at) / 900) * 900), sum(s.tokens), COALESCE(sum(s.cost), 0)
      FROM (
        SELECT m.user_id, m.created_at, m.input_tokens + COALESCE(m.output_tokens, 0) AS tokens, m.cost FROM "messages" m
        WHERE m.role = 'assistant' AND m.input_tokens IS NOT NULL AND m.created_at > now() - interval '62 days'
        UNION ALL
        SELECT c.user_id, c.created_at, c.input_tokens + c.output_tokens, c.cost FROM "model_calls" c WHERE c.created_at > now() - interval '62 days'
      ) s
      WHERE EXISTS (SELECT 1 FROM "users" u WHERE u.id = s.user_id)
      GROUP BY 1, 2`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "budget_spend" DROP CONSTRAINT "budget_spend_user_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "budget_reservations" DROP CONSTRAINT "budget_reservations_user_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "user_budgets" DROP CONSTRAINT "user_budgets_user_id_fkey"`);
    await queryRunner.query(`DROP TABLE "budget_spend"`);
    await queryRunner.query(`DROP INDEX "public"."budget_reservations_user_id_reserved_until_idx"`);
    await queryRunner.query(`DROP TABLE "budget_reservations"`);
    await queryRunner.query(`DROP TABLE "user_budgets"`);
    await queryRunner.query(`DROP TABLE "budget_settings"`);
  }
}
