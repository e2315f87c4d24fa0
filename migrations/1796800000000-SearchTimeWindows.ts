import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The index of message search holds, per message, its words and the keys of
 * the time windows it falls in, all tagged with the owner: `<owner>#<word>`,
 * and `<owner>#<level>#<block>` for each level L from 0 to 15 (the block of
 * 2^L days, UTC, holding its day). Each posting list is then one user's, and
 * a search reads the owner's newest day first and goes back in time, window
 * by window, until it has enough matches: a word in thousands of
 * messages costs what its newest few hundred cost, a rare word a handful of
 * small probes, whatever other accounts hold. It replaces the one on
 * (user_id, words).
 */
export class SearchTimeWindows1796800000000 implements MigrationInterface {
  name = 'SearchTimeWindows1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Indexing every message takes as long as it takes: no statement timeout inside this migration's transaction.
    await queryRunner.query(`SET LOCAL statement_timeout = 0`);
    // Functions that call each other name their schema: PostgreSQL builds and maintains an index with a search path
    // of pg_catalog alone.
    // Days since 1970-01-01 in UTC, kept to 16 bits (up to 2149): every function used is immutable.
    await queryRunner.query(`CREATE FUNCTION search_day(at timestamptz) RETURNS int LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT least(greatest((at AT TIME ZONE 'UTC')::date - DATE '1970-01-01', 0), 65535) $$`);
    // The owner's tag: 64 bits of the id are plenty (two owners sharing one would only share postings; every search
    // still checks the owner of each row), and keep the index's keys short.
    await queryRunner.query(`CREATE FUNCTION search_owner_tag(owner uuid) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT left(replace(owner::text, '-', ''), 16) $$`);
    // A tsvector or tsquery in text form with each of its words tagged with the owner ('it''s' → '<tag>#it''s').
    await queryRunner.query(`CREATE FUNCTION search_tag_words(form text, owner uuid) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT regexp_replace(form, $re$'((?:[^']|'')*)'$re$, '''' || public.search_owner_tag(owner) || '#\\1''', 'g') $$`);
    // The key of one window of one owner: a lexeme no text can produce ('#' separates words).
    await queryRunner.query(`CREATE FUNCTION search_time_key(owner uuid, level int, block int) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT public.search_owner_tag(owner) || '#' || to_hex(level) || '#' || to_hex(block) $$`);
    // The keys of the days lo to hi of one owner, as few aligned blocks as cover them ("any of these").
    await queryRunner.query(`CREATE FUNCTION search_window(owner uuid, lo int, hi int) RETURNS tsquery LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
      AS $$
      DECLARE
        keys text[] := '{}';
        level int;
      BEGIN
        WHILE lo <= hi LOOP
          level := 0;
          WHILE level < 15 AND lo % (2 << level) = 0 AND lo + (2 << level) - 1 <= hi LOOP
            level := level + 1;
          END LOOP;
          keys := keys || quote_literal(public.search_time_key(owner, level, lo >> level));
          lo := lo + (1 << level);
        END LOOP;
        RETURN array_to_string(keys, ' | ')::tsquery;
      END $$`);
    // What the index holds: the words with their positions (phrases are checked against them), tagged; and the keys.
    // Nothing for an empty text: a reply being written, or one without words.
    await queryRunner.query(`CREATE FUNCTION search_document(words tsvector, owner uuid, at timestamptz) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT CASE WHEN length(words) = 0 THEN words
                        ELSE public.search_tag_words(words::text, owner)::tsvector
                             || array_to_tsvector(ARRAY(SELECT public.search_time_key(owner, level, public.search_day(at) >> level) FROM generate_series(0, 15) AS level)) END $$`);
    // A query as the index reads it: its words tagged with the owner, and, when it negates nothing, its phrases
    // relaxed to "all these words" (the index then answers without reading each row again; the search checks the
    // phrase on each row it found).
    await queryRunner.query(`CREATE FUNCTION search_probe(query tsquery, owner uuid) RETURNS tsquery LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT public.search_tag_words(CASE WHEN strpos(query::text, '!') > 0 THEN query::text
                                                ELSE regexp_replace(query::text, '<[0-9]*->|<[0-9]+>', '&', 'g') END, owner)::tsquery $$`);
    await queryRunner.query(`CREATE INDEX "messages_search_document_idx" ON "messages" USING GIN (search_document("search_vector", "user_id", "created_at"))`);
    await queryRunner.query(`DROP INDEX "public"."messages_user_id_search_vector_idx"`);
    // A search leaves out the owner's trashed threads (and archived ones unless asked): found without reading the rest.
    await queryRunner.query(`CREATE INDEX "threads_user_id_hidden_idx" ON "threads" ("user_id") WHERE "deleted_at" IS NOT NULL OR "is_archived"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."threads_user_id_hidden_idx"`);
    await queryRunner.query(`CREATE INDEX "messages_user_id_search_vector_idx" ON "messages" USING GIN ("user_id", "search_vector")`);
    await queryRunner.query(`DROP INDEX "public"."messages_search_document_idx"`);
    await queryRunner.query(`DROP FUNCTION search_probe(tsquery, uuid)`);
    await queryRunner.query(`DROP FUNCTION search_document(tsvector, uuid, timestamptz)`);
    await queryRunner.query(`DROP FUNCTION search_window(uuid, int, int)`);
    await queryRunner.query(`DROP FUNCTION search_time_key(uuid, int, int)`);
    await queryRunner.query(`DROP FUNCTION search_tag_words(text, uuid)`);
    await queryRunner.query(`DROP FUNCTION search_day(timestamptz)`);
    await queryRunner.query(`DROP FUNCTION search_owner_tag(uuid)`);
  }
}
