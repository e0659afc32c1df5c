/** What GET /api/deployments and the header's switcher know about each deployment: never an address or a secret. Client-safe. */
export interface DeploymentSummary {
  name: string;
  source: "devstack" | "external";
  readOnly: boolean;
  default: boolean;
}
