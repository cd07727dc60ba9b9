/**
 * The database drivers are optional peer dependencies, imported when a URL
 * asks for one: a missing driver is a StoreError saying what to install,
 * with the URL's password redacted.
 */
import { describe, expect, it } from "vitest";
import { StoreError } from "perstore-runtime";
import { loadDriver } from "../../../src/store/sql/load-driver.js";

describe("loadDriver", () => {
  it("turns a missing driver package into STORE_DRIVER_MISSING naming the package, password redacted", async () => {
    const name = "perstore-test-no-such-driver";
    const failure = await loadDriver(
      name,
      "postgres://app:s3cret@db.example/app",
      () => import(name),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect(failure).toMatchObject({ code: "STORE_DRIVER_MISSING" });
    expect((failure as Error).message).toBe(
      `the database URL "postgres://app:***@db.example/app" needs the ${name} package: npm install ${name}`,
    );
  });

  it("returns the module when it is installed, and rethrows other failures as they are", async () => {
    const pg = await loadDriver("pg", "postgres://localhost/x", () => import("pg"));
    expect(typeof pg.default.Pool).toBe("function");
    const broken = new Error("driver failed to initialise");
    await expect(
      loadDriver("pg", "postgres://localhost/x", () => Promise.reject(broken)),
    ).rejects.toBe(broken);
  });
});
