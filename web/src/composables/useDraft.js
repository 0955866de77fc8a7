// A form kept on this device while it is filled, so that a session that ends
// (or a closed tab, a dead battery) loses nothing: `fields` of `form` are
// written to `storage` as they change, under a key of the form's `name` and
// the signed-in user, from the first restore() until clear() after a
// successful submit (a draft whose `meaningful` fields are all empty is not
// kept). restore()
// puts a kept draft back and says whether there was one.
//
// Residents keep theirs in localStorage (their own phone); staff forms that
// hold other people's details use sessionStorage (gone with the browser tab).
import { watch } from 'vue';
import { useSession } from '../session.js';

export function useDraft(name, form, fields, { storage = localStorage, extra, meaningful = fields } = {}) {
  const session = useSession();
  const key = () => `xh.draft.${name}.${session.me?.id ?? 'anon'}`;
  const pick = () => ({ ...Object.fromEntries(fields.map((f) => [f, form[f]])), ...(extra ? { extra: extra.get() } : {}) });
  // A draft is worth keeping once one of the `meaningful` fields is filled (not a default place alone).
  const empty = (d) => meaningful.every((f) => d[f] === null || d[f] === undefined || d[f] === '' || d[f] === false);
  // Nothing is kept before restore() has looked for an earlier draft: a form
  // filling its defaults first must not overwrite it.
  let paused = true;

  watch(
    () => JSON.stringify(pick()),
    (json) => {
      if (paused) return;
      try {
        if (empty(JSON.parse(json))) storage.removeItem(key());
        else storage.setItem(key(), json);
      } catch {
        // Storage full or unavailable: the form simply is not kept.
      }
    },
  );

  return {
    restore() {
      paused = false;
      let draft = null;
      try {
        draft = JSON.parse(storage.getItem(key()) || 'null');
      } catch {
        draft = null;
      }
      if (!draft || empty(draft)) return false;
      for (const f of fields) if (f in draft) form[f] = draft[f];
      if (extra && draft.extra !== undefined) extra.set(draft.extra);
      return true;
    },
    // After a submit: the draft is gone, and the form is not kept again until
    // the next restore() (a new form).
    clear() {
      paused = true;
      try {
        storage.removeItem(key());
      } catch {
        // Nothing kept.
      }
    },
  };
}
