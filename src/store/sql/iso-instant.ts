/**
 * `parseIsoInstant` (src/query/values.ts) in SQL: the instant a text value
 * stands for when a query compares it with a Date, or NULL when it is not an
 * ISO-8601 date-time. The same grammar and checks (month, day of month,
 * hours, minutes, seconds, offset), no offset meaning UTC, fractions cut to
 * milliseconds; no cast that could raise an error on a row's value.
 */
import { sql, type RawBuilder } from "kysely";

type Sql = RawBuilder<unknown>;

/** The ISO grammar of `parseIsoInstant`, written for PostgreSQL (`[0-9]` for `\d`, both cases of `T` and `Z`). */
const ISO =
  "^([+-][0-9]{6}|[0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\\.([0-9]+))?)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?$";

/**
 * A `timestamptz` expression: the instant of the text `text`, or NULL.
 * Years outside PostgreSQL's range (before 4713 BC) are NULL too.
 */
export function isoInstant(text: Sql): Sql {
  // p: the parts as integers (NULL when the text does not match), z: the offset's digits.
  return sql`(select case when p.y is not null
      and p.mo between 1 and 12
      and p.d between 1 and case when p.mo = 2 then case when (p.y % 4 = 0 and p.y % 100 <> 0) or p.y % 400 = 0 then 29 else 28 end
        when p.mo in (4, 6, 9, 11) then 30 else 31 end
      and p.h <= 23 and p.mi <= 59 and p.s <= 59
      and substr(p.z, 2, 2)::int <= 23 and substr(p.z, 4, 2)::int <= 59
      and p.y between -4712 and 275759
    then make_timestamptz(case when p.y <= 0 then p.y - 1 else p.y end, p.mo, p.d, p.h, p.mi,
        p.s + floor(coalesce(('0.' || p.f)::float8, 0) * 1000 + 1e-6) / 1000, 'UTC')
      - make_interval(mins => (case when left(p.z, 1) = '-' then -1 else 1 end) * (substr(p.z, 2, 2)::int * 60 + substr(p.z, 4, 2)::int))
    end
    from (select m[1]::int as y, m[2]::int as mo, m[3]::int as d, coalesce(m[4], '0')::int as h, coalesce(m[5], '0')::int as mi,
        coalesce(m[6], '0')::int as s, m[7] as f, case when m[8] is null or upper(m[8]) = 'Z' then '+0000' else replace(m[8], ':', '') end as z
      from (select regexp_match(${text}, ${ISO}::text) as m) as r) as p)`;
}
