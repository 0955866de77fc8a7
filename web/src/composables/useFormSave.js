// A dialog form's errors, its opening and its save, shared by the console's forms.
//
// useFormErrors(): a refusal naming one of the form's fields is shown under
// that field (errorOf(field)); any other above the form (errorOf('_')).
// onOpen(props, errors, fill): each time the dialog opens (props.modelValue
// true, at once if it is open when made), the last refusals cleared and
// `fill()` called: the fields emptied, or filled from what the form edits.
// useFormSave(save, errors, emit, fields): `save()` resolves to what the
// server stored (undefined: the form refused it itself, with errors.set);
// then 已保存, the dialog closed (update:modelValue false) and `saved` emitted
// with it. Returns the action (busy, run) of useAction.
// useBlankForm(props, emit, blank, save, fields): the three together for a
// form whose fields start from `blank` each time it opens: { f (reactive),
// errors, errorOf, saving }, `save(f)` as useFormSave's; `fields` (blank's
// keys unless given) are those a refusal may name.
import { reactive, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import { useAction } from './useAction.js';

export function useFormErrors() {
  const errors = ref({});
  return {
    errorOf: (field) => errors.value[field] || '',
    set: (field, message) => (errors.value = { [field]: message }),
    clear: () => (errors.value = {}),
    fromApi: (err, fields) => (errors.value = { [fields.includes(err.field) ? err.field : '_']: err.message }),
  };
}

export function onOpen(props, errors, fill) {
  watch(
    () => props.modelValue,
    (open) => {
      if (!open) return;
      errors.clear();
      return fill();
    },
    { immediate: true },
  );
}

export function useFormSave(save, errors, emit, fields) {
  const { t } = useI18n();
  return useAction(
    async () => {
      errors.clear();
      const saved = await save();
      if (saved === undefined) return;
      ElMessage.success(t('common.saved'));
      emit('update:modelValue', false);
      emit('saved', saved);
    },
    { quiet: true, onError: (err) => errors.fromApi(err, fields) },
  );
}

export function useBlankForm(props, emit, blank, save, fields = Object.keys(blank)) {
  const f = reactive({ ...blank });
  const errors = useFormErrors();
  onOpen(props, errors, () => Object.assign(f, blank));
  const saving = useFormSave(() => save(f), errors, emit, fields);
  return { f, errors, errorOf: errors.errorOf, saving };
}
