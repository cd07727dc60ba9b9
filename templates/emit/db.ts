{{header}}{{tables}}

/** Every table, for `Kysely<Database>`. */
export interface Database {
{{databaseTables}}
}
