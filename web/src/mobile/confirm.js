// Asking before a step that matters. Vant's dialog rejects when the user
// cancels; here that is an answer, not an error.
import { showConfirmDialog } from 'vant';

// Resolves true when the user confirms, false when they cancel.
export const confirmed = (options) => showConfirmDialog(options).then(
  () => true,
  () => false,
);
