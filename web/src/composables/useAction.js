// Something the user does that calls the API (save, approve, redeem …): a busy
// flag for its button, and the error if it failed — shown to the user once
// (by the API client, or here when the call was quiet).
import { reactive, ref, shallowRef } from 'vue';
import { ApiError, showError } from '../api.js';

// `act(...args)` does the whole action, success message included. Options:
//   quiet    do not show the error: the page shows `error` itself
//   key      `(...args) => value` put in `busy` while running (the row's id,
//            the action's name), for pages with one action and many buttons
//   onError  `(err, ...args)` after a refusal (a new idempotency key, say)
// Returns a reactive { busy, error, run }; `run(...args)` resolves true when
// the action succeeded, false when the API refused it (or the same one is
// already running). Anything thrown that is not an ApiError is a bug and is thrown on.
export function useAction(act, { quiet = false, key, onError } = {}) {
  const busy = ref(false);
  const error = shallowRef(null);
  // What is running, by key: a second tap on the same button does nothing;
  // with `key`, other rows' buttons still work.
  const running = new Set();

  async function run(...args) {
    const k = key ? key(...args) : true;
    if (running.has(k)) return false;
    running.add(k);
    busy.value = k;
    error.value = null;
    try {
      await act(...args);
      return true;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      error.value = err;
      if (!quiet) showError(err);
      onError?.(err, ...args);
      return false;
    } finally {
      running.delete(k);
      busy.value = running.size ? [...running].pop() : false;
    }
  }
  return reactive({ busy, error, run });
}
