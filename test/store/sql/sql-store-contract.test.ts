import { sql } from "kysely";
import { afterAll, beforeAll, describe } from "vitest";
import { SqlStore } from "../../../src/store/sql/sql-store.js";
import {
  contractQuerySchema,
  contractTableSpec,
  describeStoreContract,
  type ContractRecord,
} from "../../store-contract.js";
import { createTable, openTestDatabase, testTargets, type TestDatabase } from "./sql-test-db.js";

for (const target of testTargets()) {
  describe(`SqlStore on ${target.name}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await openTestDatabase(target, "contract");
      await createTable(database.db, database.schema, contractTableSpec);
    });
    afterAll(async () => database?.close());

    describeStoreContract(`SqlStore (${target.name})`, async () => {
      await sql`truncate table ${sql.id(database.schema, contractTableSpec.table)}`.execute(
        database.db,
      );
      // ContractRecord declares createdAt as a Date, so this store reads date-times as Dates.
      return new SqlStore<ContractRecord>({
        db: database.db,
        table: contractTableSpec,
        schema: database.schema,
        querySchema: contractQuerySchema,
        dates: "Date",
      });
    });
  });
}
