"use client";
/**
 * What the API tokens and viewer links pages share: a JSON call that turns a refusal into its
 * message, a table of live credentials each with a Revoke button, the secret shown once, and the
 * error line.
 */
import type { ReactNode } from "react";

export async function send(method: string, url: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new Error(String(json.error ?? `${url} answered ${res.status}`));
  return json;
}

/** A timestamp as an operator reads it, to the second; "never" for none. */
export const when = (iso: string | null) => iso?.replace("T", " ").slice(0, 19) ?? "never";

export interface Column<R> {
  header: string;
  cell: (row: R) => ReactNode;
  /** The first column is the credential's name, in monospace. */
  mono?: boolean;
}

/** Live credentials, one row each, with its Revoke button; `empty` when there are none. */
export function RevocableTable<R extends { id: string }>({
  rows,
  columns,
  empty,
  onRevoke,
}: {
  rows: R[] | undefined;
  columns: Column<R>[];
  empty: string;
  onRevoke: (id: string) => void;
}) {
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-muted">
        <tr>
          {columns.map((c, i) => (
            <th key={c.header} className={i === 0 ? "py-2" : undefined}>
              {c.header}
            </th>
          ))}
          <th />
        </tr>
      </thead>
      <tbody>
        {(rows ?? []).map((r) => (
          <tr key={r.id} className="border-t border-line">
            {columns.map((c, i) => (
              <td key={c.header} className={[i === 0 ? "py-2" : "", c.mono ? "font-mono" : ""].filter(Boolean).join(" ") || undefined}>
                {c.cell(r)}
              </td>
            ))}
            <td>
              <button type="button" onClick={() => onRevoke(r.id)} className="text-unavailable hover:underline">
                Revoke
              </button>
            </td>
          </tr>
        ))}
        {rows?.length === 0 && (
          <tr>
            <td colSpan={columns.length + 1} className="py-3 text-muted">
              {empty}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

/** A secret (a token, a link's address) shown once, right after it was made. */
export function ShownOnce({ label, secret }: { label: string; secret: string }) {
  return (
    <p role="status" className="mt-4 rounded-md bg-ok/15 px-3 py-2 text-sm">
      {label}: <code className="font-mono break-all">{secret}</code> — copy it now, it is not shown again.
    </p>
  );
}

export function ErrorLine({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="mt-4 rounded-md bg-unavailable/15 px-3 py-2 text-sm text-unavailable">
      {message}
    </p>
  );
}
