'use server';

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/app/_lib/http/action-state';
import type { Result } from '@/app/_lib/http/errors';
import {
  banReader,
  decideComment,
  featureComment,
  setDiscussionClosed,
  setDiscussionPolicy,
  unbanReader,
} from '@/app/_lib/moderation/service';
import { getCurrentUser } from '@/app/_lib/auth/session';

/*
 * The moderation queue's actions. Each is a public POST endpoint: the role is checked inside
 * the moderation service, never only by the page that draws the buttons.
 */

function toState<T>(result: Result<T>, done: string): ActionState {
  if (!result.ok) return { status: result.code.startsWith('unauthorized') ? 'unauthorized' : result.code.startsWith('forbidden') ? 'forbidden' : 'invalid', message: result.message, fields: result.fields };
  revalidatePath('/moderation');
  return { status: 'ok', message: done };
}

const fields = (formData: FormData) => Object.fromEntries([...formData.entries()].filter(([, v]) => typeof v === 'string'));

export async function approveAction(_p: ActionState, formData: FormData): Promise<ActionState> {
  return toState(await decideComment(await getCurrentUser(), 'approve', fields(formData)), 'Approved: the comment is shown.');
}

export async function rejectAction(_p: ActionState, formData: FormData): Promise<ActionState> {
  return toState(await decideComment(await getCurrentUser(), 'reject', fields(formData)), 'Rejected: the comment is hidden.');
}

export async function restoreAction(_p: ActionState, formData: FormData): Promise<ActionState> {
  return toState(await decideComment(await getCurrentUser(), 'restore', fields(formData)), 'Restored: the comment is shown again.');
}

export async function featureAction(_p: ActionState, formData: FormData): Promise<ActionState> {
  return toState(await featureComment(await getCurrentUser(), fields(formData)), 'Saved.');
}

export async function banAction(_p: ActionState, formData: FormData): Promise<ActionState> {
  return toState(await banReader(await getCurrentUser(), fields(formData)), 'The reader is banned.');
}

export async function unbanAction(_p: ActionState, formData: FormData): Promise<ActionState> {
  return toState(await unbanReader(await getCurrentUser(), fields(formData)), 'The ban is lifted.');
}

export async function policyAction(_p: ActionState, formData: FormData): Promise<ActionState> {
  return toState(await setDiscussionPolicy(await getCurrentUser(), fields(formData)), 'Pre-moderation updated.');
}

export async function closeAction(_p: ActionState, formData: FormData): Promise<ActionState> {
  const closing = formData.get('closed') === '1';
  return toState(await setDiscussionClosed(await getCurrentUser(), fields(formData)), closing ? 'The discussion is closed.' : 'The discussion is open again.');
}
