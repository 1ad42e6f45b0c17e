'use server';

import { signOut } from './config';

/** Signs out and returns to the page the reader was on (Auth.js falls back to its Referer). */
export async function signOutAction(): Promise<void> {
  await signOut();
}
