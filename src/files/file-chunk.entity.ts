import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { StoredFile } from './stored-file.entity.js';

/** A file's bytes, in fixed-size pieces so downloads stream without loading the whole file. */
@Entity('file_chunks')
@Index('file_chunks_user_id_idx', ['userId'])
export class FileChunk {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'file_chunks_pkey' })
  fileId!: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'file_chunks_pkey' })
  seq!: number;

  @ManyToOne(() => StoredFile, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'file_id', foreignKeyConstraintName: 'file_chunks_file_id_fkey' })
  file?: Relation<StoredFile>;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'bytea' })
  data!: Buffer;
}
