// Something a page loads from the API: the data, whether it is loading, and
// the error of the last attempt, if it failed — shown to the user once (by the
// API client, or here when the call was quiet). An answer overtaken by a newer
// request is dropped, so a slow old answer never replaces a newer one.
import { getCurrentInstance, onMounted, reactive, ref, shallowRef } from 'vue';
import { ApiError, showError } from '../api.js';

// `fetch(...args)` returns a promise of the data. Options:
//   initial    the data before the first answer and after a failure
//   immediate  load when the component is mounted (default true)
//   keep       keep the last good data after a failure instead of `initial`
//   quiet      do not show the error: the page says so itself, or the data is optional
// Returns a reactive { data, loading, error, reload }; `reload(...args)`
// resolves true when the data came, false when the API refused. Anything
// thrown that is not an ApiError is a bug and is thrown on.
export function useLoad(fetch, { initial = null, immediate = true, keep = false, quiet = false } = {}) {
  const fresh = () => structuredClone(initial);
  const data = ref(fresh());
  const loading = ref(immediate);
  const error = shallowRef(null);
  let latest = 0;

  async function reload(...args) {
    const mine = ++latest;
    loading.value = true;
    try {
      const value = await fetch(...args);
      if (mine !== latest) return false;
      data.value = value;
      error.value = null;
      return true;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (mine !== latest) return false;
      error.value = err;
      if (!keep) data.value = fresh();
      if (!quiet) showError(err);
      return false;
    } finally {
      if (mine === latest) loading.value = false;
    }
  }

  if (immediate) {
    if (getCurrentInstance()) onMounted(() => reload());
    else reload();
  }
  return reactive({ data, loading, error, reload });
}
