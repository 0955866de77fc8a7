// Signing up on the phone, from the list or from one occurrence: 报名 while
// places are left, else 候补 (the server decides, and says which). A login
// that is not a confirmed volunteer yet is offered 报到成为志愿者 instead of
// an error (one registered already is told it waits for the community).
import { showSuccessToast, showToast } from 'vant';
import { ApiError, get, orElse, post, showError } from '../../../api.js';
import { confirmed } from '../../../mobile/confirm.js';

// Resolves to the sign-up ({id, status, position, occurrence_id, starts_at}),
// or null when refused (the refusal shown, or the registration offered).
export async function signUp(o, t, router) {
  try {
    const answer = await post(`/api/activities/${o.activity_id}/signups`, { starts_at: o.starts_at }, { quiet: true });
    showSuccessToast(answer.status === 'waiting' ? t('mvol.waitingToast', { n: answer.position ?? '—' }) : t('mvol.signedToast'));
    return answer;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.code !== 'activity.not_volunteer') {
      showError(err);
      return null;
    }
    // Registered and waiting for the community: nothing to do but wait.
    const mine = await orElse(get('/api/volunteers/me', null, { quiet: true }));
    if (mine?.status === 'applied') {
      showToast(t('mvol.waitingReview'));
      return null;
    }
    const go = await confirmed({ title: t('mvol.registerFirst'), message: err.message, confirmButtonText: t('mvol.registerNow'), cancelButtonText: t('common.cancel') });
    if (go) router.push('/activities/register');
    return null;
  }
}

// Where an occurrence opens: its own page once it has an id, else the activity's at that time.
export const occurrencePath = (o) => (o.occurrence_id ? `/occurrences/${o.occurrence_id}` : { path: `/activities/${o.activity_id}/occurrence`, query: { at: o.starts_at } });
