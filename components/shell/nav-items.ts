/** The console's areas, in the order an SRE walks them during an incident. */
export const NAV_ITEMS = [
  { href: "/", label: "Overview" },
  { href: "/memory", label: "Memory" },
  { href: "/sentinel", label: "Sentinel" },
  { href: "/cluster", label: "Cluster" },
  { href: "/chaos", label: "Chaos" },
  { href: "/schedules", label: "Schedules" },
  { href: "/timeline", label: "Timeline" },
  { href: "/config", label: "Config" },
] as const;
