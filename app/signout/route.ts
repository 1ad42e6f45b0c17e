import { NextResponse } from 'next/server';
import { signOutAndReturn } from '@/app/_lib/auth/sign-out';

/** The header's "Sign out" button posts here; 303 so the browser follows with a GET. */
export async function POST(request: Request) {
  const to = await signOutAndReturn();
  return NextResponse.redirect(new URL(to, request.url), 303);
}
