import { cookies } from 'next/headers';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { startExport } from '@/app/_lib/account/export';
import { DRAFT_COOKIE } from '@/app/_lib/comments/draft';
import { jsonError, jsonRefusal } from '@/app/_lib/http/api';

/*
 * "Download my data" (the profile's form posts here, with or without JavaScript): the file,
 * streamed as it is read (app/_lib/account/export.ts). A POST, so no link, prefetch or crawler
 * spends the reader's downloads; cross-site posts are refused by proxy.ts before they get here,
 * and again below by what the browser says of the request. Refusals are the JSON API's.
 */
export async function POST(request: Request) {
  if (request.headers.get('sec-fetch-site') === 'cross-site') return jsonError('forbidden:cross_site');
  const viewer = await getCurrentUser();
  const draftToken = (await cookies()).get(DRAFT_COOKIE)?.value ?? null;
  const result = startExport(viewer, draftToken);
  if (!result.ok) return jsonRefusal(result);
  return new Response(result.value.stream, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${result.value.fileName}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
