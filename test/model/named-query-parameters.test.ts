/**
 * Named-query parameters on the runtime: the checks accept exactly what the
 * generated signatures allow (enum values, whole lists for `in(p,$1)`, no
 * array in place of a single value). Runs the golden fixture's output.
 */
import { describe, expect, it } from "vitest";
import { createModels } from "../compiler/fixtures/golden/links-and-queries/expected/index.js";

const team = "t1";

async function seeded() {
  const models = createModels();
  for (const [id, position, rating] of [
    ["p1", "keeper", 80],
    ["p2", "defender", 70],
    ["p3", "forward", 95],
  ] as const)
    await models.Player.create({ id, teamId: team, name: id, rating, position, retired: false });
  return models;
}

describe("named-query parameter checks", () => {
  it("accept an enum's values and refuse anything else", async () => {
    const { Player } = await seeded();
    expect((await Player.queries.playingAs("keeper")).map((p) => p.id)).toEqual(["p1"]);
    await expect(Player.queries.playingAs("striker" as never)).rejects.toMatchObject({
      code: "QUERY_TYPE_MISMATCH",
      message: expect.stringContaining('one of "keeper", "defender", "forward"'),
    });
    // A list where one value is typed is refused too (it used to be let through).
    await expect(Player.queries.playingAs(["keeper"] as never)).rejects.toMatchObject({
      code: "QUERY_TYPE_MISMATCH",
    });
  });

  it("take a whole list for in(p,$1), each element checked", async () => {
    const { Player } = await seeded();
    const found = await Player.queries.inPositions(["keeper", "forward"]);
    expect(found.map((p) => p.id)).toEqual(["p1", "p3"]);
    expect(await Player.queries.inPositions([])).toHaveLength(0);
    await expect(Player.queries.inPositions("keeper" as never)).rejects.toMatchObject({
      code: "QUERY_TYPE_MISMATCH",
      message: expect.stringContaining("a list of"),
    });
    await expect(Player.queries.inPositions(["keeper", "goalie"] as never)).rejects.toMatchObject({
      code: "QUERY_TYPE_MISMATCH",
    });
  });

  it("type each element of a written list by its property", async () => {
    const { Player } = await seeded();
    expect((await Player.queries.ratedOneOf(70, 95)).map((p) => p.id).sort()).toEqual(["p2", "p3"]);
    await expect(Player.queries.ratedOneOf(70, "95" as never)).rejects.toMatchObject({
      code: "QUERY_TYPE_MISMATCH",
    });
  });
});
