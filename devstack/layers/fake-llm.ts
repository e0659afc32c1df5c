/** The stand-in for the LLM behind L2: answers after a fixed latency, so cache hits are visible. */
import { sleep } from "../timeouts";

export interface Completion {
  text: string;
  promptTokens: number;
  completionTokens: number;
}

/** Rough token count (4 characters per token), enough for budgets. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** A deterministic completion after `latencyMs`. */
export async function fakeCompletion(prompt: string, maxTokens: number, latencyMs: number): Promise<Completion> {
  await sleep(latencyMs);
  return {
    text: `stand-in completion for: ${prompt.slice(0, 60)}`,
    promptTokens: estimateTokens(prompt),
    completionTokens: maxTokens,
  };
}

/** Normalized prompt for the semantic cache: case, punctuation and spacing do not change meaning here. */
export function normalizePrompt(prompt: string): string {
  return prompt
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}
