-- perstore migration 20261203103236_4a86afa3_book_title_search
-- parent: 20261121064343_0cc6bb7d
-- reversible: yes
-- destructive down: none
-- up
alter table "book" add column "perstore_search" tsvector generated always as (to_tsvector('simple'::regconfig, regexp_replace(coalesce("title", ''), '[!-/:-@\[-`{-~]+', ' ', 'g'))) stored;
create index "book_perstore_search_idx" on "book" using gin ("perstore_search");
-- down
alter table "book" drop column "perstore_search";
