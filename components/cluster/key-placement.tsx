"use client";

import type { ClusterKeyPlacement } from "@/lib/snapshot/cluster-types";

const TH = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-muted";
const TD = "px-3 py-2 align-top";

const TAG_WORDS: Record<string, string> = {
  tenant: "per tenant",
  session: "per session",
  prompt: "per prompt",
  none: "untagged",
};

/** Which shard a shard outage hits for each layer: tenant-tagged keys sit on one shard per tenant, the rest on every shard. */
export function KeyPlacement({ placement, present }: { placement: ClusterKeyPlacement[]; present: boolean }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-line bg-panel">
      <table data-testid="key-placement" className="w-full text-sm">
        <thead className="border-b border-line">
          <tr>
            <th className={TH}>Layer</th>
            {!present && <th className={TH}>Key class</th>}
            <th className={TH}>Hash tag</th>
            <th className={TH}>Lives on</th>
            <th className={TH}>Why the tag</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {placement.map((k) => (
            <tr key={k.prefix} data-testid={`placement-${k.prefix}`} data-shard={k.shard ?? (k.spread ? "all" : "")}>
              <td className={`${TD} font-semibold`}>{k.layer}</td>
              {!present && <td className={`${TD} font-mono text-xs`}>{k.prefix}*</td>}
              <td className={TD}>{TAG_WORDS[k.tag] ?? k.tag}</td>
              <td className={TD}>
                {k.spread ? (
                  "every shard (spread by its tag)"
                ) : (
                  <>
                    <strong>{k.shard ?? "no shard serves its slot"}</strong>
                    <span className="text-muted">
                      {" "}
                      for the probe tenant{present ? "" : ` ${k.tenant}`} (slot {k.slot}); other tenants by their own slot
                    </span>
                  </>
                )}
              </td>
              <td className={`${TD} text-muted`}>{k.why}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
