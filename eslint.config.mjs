// ESLint 9 flat config: Next's core-web-vitals and TypeScript rules (which bring react,
// react-hooks, jsx-a11y and import), over everything git tracks that is code.
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import { defineConfig, globalIgnores } from "eslint/config";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    ".next-*/**",
    "node_modules/**",
    ".devstack*/**",
    ".console-data*/**",
    "screenshots/**",
    "test-results/**",
    "playwright-report/**",
    "chaos-report/**",
    "next-env.d.ts",
  ]),
  {
    rules: {
      // `_name` marks a parameter that a signature requires but this body does not use.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // The sandbox is a separate process tree: from the dashboard it may use only what both sides
    // agree on (lib/contract), so it can never grow a dependency on the console's internals.
    files: ["devstack/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/lib/**", "!**/lib/contract", "!**/lib/contract/**", "@/**", "**/app/**", "**/components/**"],
              message: "devstack imports nothing from the dashboard except lib/contract (STYLE.md: the shared module both sides import).",
            },
          ],
        },
      ],
    },
  },
  {
    // Test and bench helpers hand back whatever JSON a route answered; the tests assert its shape.
    files: ["tests/**", "e2e/**", "bench/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
]);
