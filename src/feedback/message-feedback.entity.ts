import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Message } from '../threads/message.entity.js';
import { Thread } from '../threads/thread.entity.js';

export type FeedbackRating = 'up' | 'down';

/** The owner's rating of a reply, with an optional comment: one per message (a message has one owner). */
@Entity('message_feedback')
@Index('message_feedback_user_id_updated_at_idx', ['userId', 'updatedAt'])
@Index('message_feedback_thread_id_idx', ['threadId'])
export class MessageFeedback {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'message_feedback_pkey' })
  messageId!: string;

  @ManyToOne(() => Message, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'message_feedback_message_id_fkey' })
  message?: Relation<Message>;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'uuid' })
  threadId!: string;

  @ManyToOne(() => Thread, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'thread_id', foreignKeyConstraintName: 'message_feedback_thread_id_fkey' })
  thread?: Relation<Thread>;

  @Column({ type: 'varchar', length: 8 })
  rating!: FeedbackRating;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
