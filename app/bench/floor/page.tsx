import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { settings } from '@/app/_lib/config.mjs';

/*
 * The framework's floor for `npm run lighthouse`: a nearly empty page of the same build, with
 * the root layout, styles and Next's own JavaScript and nothing of the article's. Lighthouse
 * scores the other pages beside it, since its mobile score follows the machine's CPU. Only in
 * the benchmark's builds (BENCH_BASELINE=1); every other build prerenders a 404.
 */
export const dynamic = 'force-static';

export const metadata: Metadata = {
  title: 'Framework floor',
  description: 'A nearly empty page that Lighthouse measures beside the real ones.',
  robots: { index: false },
};

export default function FrameworkFloor() {
  if (!settings().BENCH_BASELINE) notFound();
  return (
    <main id="main" className="page">
      <h1>Framework floor</h1>
      <p>A nearly empty page of this build, for Lighthouse to measure beside the real ones.</p>
    </main>
  );
}
