import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto flex max-w-xl flex-col gap-3 px-6 py-16">
      <h1 className="text-2xl font-bold">Not found</h1>
      <p className="text-muted">There is no page here. The console&apos;s areas are Overview, Memory, Sentinel, Cluster, Chaos, Timeline and Config.</p>
      <Link href="/" className="text-accent hover:underline">
        ← Overview
      </Link>
    </div>
  );
}
