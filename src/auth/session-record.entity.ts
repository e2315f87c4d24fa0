import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The table connect-pg-simple keeps sessions in. The owner's id is a stored
 * generated column, so a user's sessions can be found (and ended) by index.
 */
@Entity('session')
@Index('session_expire_idx', ['expire'])
export class SessionRecord {
  @PrimaryColumn({ type: 'varchar', length: 255, primaryKeyConstraintName: 'session_pkey' })
  sid!: string;

  @Column({ type: 'json' })
  sess!: Record<string, unknown>;

  @Column({ type: 'timestamp', precision: 6 })
  expire!: Date;

  @Index('session_user_id_idx')
  @Column({
    type: 'uuid',
    nullable: true,
    generatedType: 'STORED',
    asExpression: `((sess ->> 'userId'))::uuid`,
    insert: false,
    update: false,
  })
  userId!: string | null;
}
