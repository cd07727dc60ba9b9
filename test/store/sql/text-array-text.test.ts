/**
 * elementsOfTextArray: a text[] cell without quoted elements split on commas;
 * anything else left to pg's parser. Checked against pg's own parser.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { elementsOfTextArray } from "../../../src/store/sql/text-array-text.js";

/** pg's parser of text[] (oid 1009, not among pg's named builtins). */
const parseTextArray = (
  pg.types.getTypeParser as (oid: number, format: "text") => (text: string) => unknown
)(1009, "text");

describe("elementsOfTextArray", () => {
  it.each([
    ["{}", []],
    ["{a}", ["a"]],
    ["{a,b,c}", ["a", "b", "c"]],
    ["{NULL,b,NULL}", [null, "b", null]],
    ["{null,Null}", ["null", "Null"]],
    ["{é,日本,a-b.c}", ["é", "日本", "a-b.c"]],
  ])("%s -> %j, as pg reads it", (text, elements) => {
    expect(elementsOfTextArray(text)).toEqual(elements);
    expect(parseTextArray(text)).toEqual(elements);
  });

  it.each([
    '{"a b",c}',
    '{"NULL"}',
    '{""}',
    '{"x,y"}',
    '{"a\\"b"}',
    "{{a,b},{c,d}}",
    "[0:1]={a,b}",
    "{a,,b}",
    "{a",
    "",
  ])("leaves %s to pg's parser", (text) => {
    expect(elementsOfTextArray(text)).toBeUndefined();
  });
});
