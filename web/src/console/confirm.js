// Asking before a step that matters. Element Plus's message boxes reject when
// the user cancels or closes them; here that is an answer, not an error.
import { ElMessageBox } from 'element-plus';

// Resolves true when the user confirms, false when they cancel.
export const confirmed = (...args) => ElMessageBox.confirm(...args).then(
  () => true,
  () => false,
);

// Resolves to the text typed (trimmed), or null when the user cancels.
export const prompted = (...args) => ElMessageBox.prompt(...args).then(
  (r) => (r.value || '').trim(),
  () => null,
);
