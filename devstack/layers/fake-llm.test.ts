import { describe, expect, it } from "vitest";
import { estimateTokens, normalizePrompt } from "./fake-llm";

describe("fake LLM helpers", () => {
  it("normalizes prompts for the semantic cache", () => {
    expect(normalizePrompt("  What is   Redis?! ")).toBe("what is redis");
    expect(normalizePrompt("what is redis")).toBe(normalizePrompt("What is Redis?"));
  });
  it("estimates at least one token", () => {
    expect(estimateTokens("")).toBe(1);
    expect(estimateTokens("12345678")).toBe(2);
  });
});
