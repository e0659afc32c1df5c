/** Writes the token to `<dataDir>/operator-token` with mode 0600; returns the file's path. */
export function keepOperatorToken(dataDir: string, token: string): string;
