import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages form a tree per thread: each has a parent (null at the root) and a
 * depth (the root is 1); the thread records its active leaf (the branch shown
 * and sent as context), and how many messages its tree holds.
 *
 * Existing threads become one chain: each message's parent is the latest
 * earlier message that was not superseded. A superseded reply so hangs under
 * the message its replacement answers, as a sibling of it; it is no longer
 * marked (every version is kept, the active branch says which one shows).
 * A thread's counters then follow its active branch.
 */
export class ConversationTree1796600000000 implements MigrationInterface {
  name = 'ConversationTree1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" ADD "parent_id" uuid`);
    await queryRunner.query(`ALTER TABLE "messages" ADD "depth" integer NOT NULL DEFAULT 1`);
    await queryRunner.query(`ALTER TABLE "threads" ADD "active_leaf_id" uuid`);
    await queryRunner.query(`ALTER TABLE "threads" ADD "tree_size" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      WITH ordered AS (
        SELECT id, thread_id,
               max(seq) FILTER (WHERE status <> 'superseded')
                 OVER (PARTITION BY thread_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS parent_seq,
               count(*) FILTER (WHERE status <> 'superseded')
                 OVER (PARTITION BY thread_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_count
        FROM messages)
      UPDATE messages m SET parent_id = parent.id, depth = ordered.before_count + 1
      FROM ordered LEFT JOIN messages parent ON parent.thread_id = ordered.thread_id AND parent.seq = ordered.parent_seq
      WHERE m.id = ordered.id`);
    await queryRunner.query(`
      UPDATE threads t SET
        active_leaf_id = (SELECT m.id FROM messages m WHERE m.thread_id = t.id AND m.user_id = t.user_id AND m.status <> 'superseded' ORDER BY m.seq DESC LIMIT 1),
        tree_size = (SELECT count(*) FROM messages m WHERE m.thread_id = t.id AND m.user_id = t.user_id),
        message_count = (SELECT count(*) FROM messages m WHERE m.thread_id = t.id AND m.user_id = t.user_id AND m.status <> 'superseded'),
        input_tokens = (SELECT COALESCE(sum(m.input_tokens), 0) FROM messages m WHERE m.thread_id = t.id AND m.user_id = t.user_id AND m.status <> 'superseded'),
        output_tokens = (SELECT COALESCE(sum(m.output_tokens), 0) FROM messages m WHERE m.thread_id = t.id AND m.user_id = t.user_id AND m.status <> 'superseded'),
        total_cost = (SELECT COALESCE(sum(m.cost), 0) FROM messages m WHERE m.thread_id = t.id AND m.user_id = t.user_id AND m.status <> 'superseded')`);
    await queryRunner.query(`UPDATE messages SET status = 'completed' WHERE status = 'superseded'`);
    await queryRunner.query(`CREATE INDEX "messages_thread_id_parent_id_seq_idx" ON "messages" ("thread_id", "parent_id", "seq") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."messages_thread_id_parent_id_seq_idx"`);
    await queryRunner.query(`ALTER TABLE "threads" DROP COLUMN "tree_size"`);
    await queryRunner.query(`ALTER TABLE "threads" DROP COLUMN "active_leaf_id"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "depth"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "parent_id"`);
  }
}
