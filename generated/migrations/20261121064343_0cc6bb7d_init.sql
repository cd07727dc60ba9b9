-- perstore migration 20261121064343_0cc6bb7d_init
-- parent: none
-- reversible: yes
-- up
create table "author" ("id" uuid not null, "name" varchar(200) not null, "email" text, "website" text, "bio" text, "active" boolean default true, constraint "author_pkey" primary key ("id"));
create table "book" ("isbn" text not null, "title" varchar(300) not null, "authorId" uuid not null, "coAuthorIds" text[], "year" integer, "price" double precision, "status" text default 'draft' not null, "genres" text[], "dimensions" jsonb, "publishedAt" timestamptz, constraint "book_pkey" primary key ("isbn"), constraint "book_status_check" check ("status" in ('draft', 'published', 'out-of-print')));
create index "book_authorId_idx" on "book" ("authorId");
create index "book_title_year_idx" on "book" ("title", "year");
create table "company" ("id" uuid not null, "name" varchar(120) not null, "founded" date, "size" text default 'small' not null, "address" jsonb, "tags" text[], constraint "company_pkey" primary key ("id"), constraint "company_size_check" check ("size" in ('small', 'medium', 'large')));
create unique index "company_name_key" on "company" ("name");
create index "company_size_idx" on "company" ("size");
create table "person" ("id" uuid not null, "firstName" varchar(80) not null, "lastName" varchar(80) not null, "email" text not null, "birthDate" date, "country" text, "nickname" text, "address" jsonb, "createdAt" timestamptz, "employerId" uuid, "managerId" uuid, "jobTitle" varchar(100), "salary" double precision, "startedOn" date, "perstore_type" text default 'Person' not null, constraint "person_pkey" primary key ("id"), constraint "person_perstore_type_check" check ("perstore_type" in ('Employee', 'Person')));
create index "person_country_idx" on "person" ("country");
create unique index "person_email_key" on "person" ("email");
create index "person_employerId_idx" on "person" ("employerId");
create index "person_lastName_firstName_idx" on "person" ("lastName", "firstName");
create index "person_managerId_idx" on "person" ("managerId");
create table "review" ("id" uuid not null, "bookIsbn" text not null, "reviewerId" uuid not null, "rating" integer not null, "body" text, "createdAt" timestamptz, constraint "review_pkey" primary key ("id"));
create unique index "review_bookIsbn_reviewerId_key" on "review" ("bookIsbn", "reviewerId");
create index "review_reviewerId_idx" on "review" ("reviewerId");
alter table "book" add constraint "book_authorId_fkey" foreign key ("authorId") references "author" ("id") deferrable initially deferred;
alter table "person" add constraint "person_employerId_fkey" foreign key ("employerId") references "company" ("id") deferrable initially deferred;
alter table "person" add constraint "person_managerId_fkey" foreign key ("managerId") references "person" ("id") deferrable initially deferred;
alter table "review" add constraint "review_bookIsbn_fkey" foreign key ("bookIsbn") references "book" ("isbn") deferrable initially deferred;
alter table "review" add constraint "review_reviewerId_fkey" foreign key ("reviewerId") references "person" ("id") deferrable initially deferred;
-- down
alter table "review" drop constraint "review_reviewerId_fkey";
alter table "review" drop constraint "review_bookIsbn_fkey";
alter table "person" drop constraint "person_managerId_fkey";
alter table "person" drop constraint "person_employerId_fkey";
alter table "book" drop constraint "book_authorId_fkey";
drop table "review";
drop table "person";
drop table "company";
drop table "book";
drop table "author";
