/** GET /openapi.json: a valid OpenAPI 3.1 document, cut to what the caller's role may use. */
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openapi } from "../../generated/index.js";
import { ADMIN_TOKEN, EDITOR_TOKEN, serveExample } from "./serve-fixture.js";

const validate = async (document: unknown) => {
  const result = await new Validator().validate(document as never);
  return result.valid ? [] : result.errors;
};

describe("/openapi.json", () => {
  it("the emitted document is valid OpenAPI 3.1 and covers every model's endpoints", async () => {
    expect(await validate(structuredClone(openapi))).toEqual([]);
    const paths = Object.keys(openapi.paths);
    for (const model of ["Author", "Book", "Company", "Employee", "Person", "Review"]) {
      expect(paths).toContain(`/${model}/`);
      expect(paths).toContain(`/${model}/{id}`);
      expect(paths).toContain(`/${model}/_changes`);
    }
    expect(paths).toContain("/Book/{id}/author");
  });

  it("an admin sees everything; the answer is valid", async () => {
    const { call } = await serveExample();
    const res = await call("GET", "/openapi.json", { token: ADMIN_TOKEN });
    expect(res.status).toBe(200);
    const document = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    expect(await validate(document)).toEqual([]);
    expect(Object.keys(document.paths["/Book/{id}"]!)).toEqual(
      expect.arrayContaining(["get", "put", "patch", "delete"]),
    );
  });

  it("a facet's role sees only its operations and its facet's fields, never hidden ones", async () => {
    const { call } = await serveExample();
    const document = (await (await call("GET", "/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(await validate(document)).toEqual([]);
    expect(Object.keys(document.paths).sort()).toEqual([
      "/Book/",
      "/Book/{id}",
      "/Person/",
      "/Person/{id}",
    ]);
    expect(Object.keys(document.paths["/Book/"]!)).toEqual(["get"]);
    expect(Object.keys(document.components.schemas).sort()).toEqual([
      "Book.catalog",
      "Employee.directory",
      "Error",
      "Person.directory",
      "Person.directory.served",
    ]);
    // GET /Person/ answers Employees too: as Employee's directory facet shows them, naming their model.
    expect(document.components.schemas["Person.directory.served"]).toEqual({
      anyOf: [
        { $ref: "#/components/schemas/Person.directory" },
        {
          allOf: [{ $ref: "#/components/schemas/Employee.directory" }],
          properties: { perstore_type: { const: "Employee" } },
          required: ["perstore_type"],
        },
      ],
    });
    expect(document.components.schemas["Employee.directory"]!.properties).toHaveProperty(
      "jobTitle",
    );
    expect(JSON.stringify(document)).not.toContain("salary");
    expect(document.components.schemas["Book.catalog"]!.properties).not.toHaveProperty("price");
    expect(document.components.schemas["Person.directory"]!.properties).not.toHaveProperty("email");
    expect(JSON.stringify(document)).not.toContain("birthDate");

    const editor = (await (await call("GET", "/openapi.json", { token: EDITOR_TOKEN })).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(
      Object.keys(editor.paths["/Book/{id}"]!)
        .filter((k) => k !== "parameters")
        .sort(),
    ).toEqual(["get", "patch", "put"]);
    expect(editor.paths["/Book/{id}/author"]).toBeDefined(); // the editor role sees Author whole
    expect(editor.paths["/Book/{id}/reviews"]).toBeUndefined(); // ...but not Review
  });
});
