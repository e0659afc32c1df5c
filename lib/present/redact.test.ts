import { describe, expect, it } from "vitest";
import { MASK, redactText, sameLengthMask, textRedactor } from "./redact";

describe("viewer redaction", () => {
  it("masks addresses, ports and key names wherever they stand", () => {
    expect(redactText('{"addr":"127.0.0.1:6400","masterAddr":"10.0.1.11"}')).toBe(`{"addr":"${MASK}","masterAddr":"${MASK}"}`);
    expect(redactText("connect ECONNREFUSED localhost:6401 on port 6401")).toBe(`connect ECONNREFUSED ${MASK} on ${MASK}`);
    expect(redactText("evicted l3:session:acme:42 and chaos:filler:9")).toBe(`evicted ${MASK} and ${MASK}`);
    expect(redactText('redis_up{addr="[::1]:6400"} 1')).toBe(`redis_up{addr="${MASK}"} 1`);
  });
  it("masks the deployment's own host names, not words that merely contain them", () => {
    const r = textRedactor(["redis-a.internal", "sentinel.prod.example"]);
    expect(r("redis-a.internal:6380 is master; sentinel.prod.example agrees")).toBe(`${MASK} is master; ${MASK} agrees`);
    expect(r("L1 edge gateway ok")).toBe("L1 edge gateway ok");
  });
  it("leaves arrays and indexes alone (they are in every page's payload)", () => {
    expect(redactText('["$","div",null,{"children":[0]}] a[94553]')).toBe('["$","div",null,{"children":[0]}] a[94553]');
  });
  it("leaves the story alone", () => {
    const story = "L3 unavailable: session CRUD answers 503 for 4 s; recovered after 0.45 s";
    expect(redactText(story)).toBe(story);
  });
});

describe("same-length masks (the RSC payload frames rows by byte length)", () => {
  it("keep the byte length of what they mask", () => {
    for (const s of ["127.0.0.1:6400", "l3:session:acme:42", "ab", "redis-a.internal:6380"])
      expect(Buffer.byteLength(sameLengthMask(s))).toBe(Buffer.byteLength(s));
    const text = 'row 1c:T40,{"addr":"127.0.0.1:17820"}';
    expect(Buffer.byteLength(textRedactor([], sameLengthMask)(text))).toBe(Buffer.byteLength(text));
  });
});
