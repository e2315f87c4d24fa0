import type { MigrationInterface, QueryRunner } from 'typeorm';

export class VectorStoreClaim1796161038657 implements MigrationInterface {
  name = 'VectorStoreClaim1796161038657';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assistants" ADD "vector_store_claimed_until" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assistants" DROP COLUMN "vector_store_claimed_until"`);
  }
}
