import { wakeJob } from '../ops/jobs';
import { NOTIFY_JOB } from './notify';

/** After a commit that wrote notification events: the notify job looks now rather than at its tick. */
export function wakeNotify(): void {
  wakeJob(NOTIFY_JOB);
}
