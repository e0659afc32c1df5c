/** What travels with the user from page to page: presentation mode and the deployment on screen. */
export function carriedSearch(params: URLSearchParams): string {
  const carried = new URLSearchParams();
  if (params.get("present") === "1") carried.set("present", "1");
  const deployment = params.get("deployment");
  if (deployment) carried.set("deployment", deployment);
  const text = carried.toString();
  return text ? `?${text}` : "";
}
