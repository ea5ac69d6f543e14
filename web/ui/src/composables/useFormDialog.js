// The one pattern of a dialog holding a form: loading state, client validation, submit, the
// server's field errors shown under their fields (error.fields of an ApiError, through
// <el-form-item :error="errors.name">), a message for anything else, and closing.
//
//   const visible = defineModel({ type: Boolean, required: true })
//   const form = reactive({ name: '' })
//   const { formRef, saving, errors, failure, isPhone, save, close } = useFormDialog(visible, {
//     form,                                     // its fields lose the server's complaint when changed
//     reset: () => Object.assign(form, ...),    // on every opening
//     submit: async () => api.post(...),        // returns the result, or NOTHING to just close
//     success: () => t('x.saved'),              // the toast after saving (optional)
//     saved: (result) => emit('saved', result), // after a successful submit (optional)
//     fieldMap: { fee_fen: 'fee' },             // server field → form field (optional)
//     inlineFailure: true,                      // other errors in `failure` (an alert), not a toast
//   })
//
// Template: <el-dialog v-model="visible" :fullscreen="isPhone" ...>, <el-form ref="formRef"
// :model="form" :rules="rules" @submit.prevent="save">, <el-button :loading="saving" @click="save">.
import { nextTick, ref, watch } from 'vue'
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import { useIsPhone } from './useIsPhone.js'
import { mapFields, useServerErrors } from './useServerErrors.js'

// Returned by submit() when there is nothing to send: the dialog closes, `saved` is not called.
export const NOTHING = Symbol('nothing to save')


export function useFormDialog(visible, options = {}) {
  const { form = null, reset, submit, success, saved, fieldMap = {}, inlineFailure = false } = options
  const formRef = ref()
  const saving = ref(false)
  const failure = ref('')
  const isPhone = useIsPhone()
  const { errors, apply, clear } = useServerErrors()

  watch(visible, async (open) => {
    if (!open) return
    reset?.()
    failure.value = ''
    clear()
    await nextTick()
    formRef.value?.clearValidate()
  })

  // A field the user changes loses the server's complaint about it.
  if (form) {
    watch(
      () => Object.keys(form).map((k) => form[k]),
      (now, before) => {
        const keys = Object.keys(form)
        keys.forEach((k, i) => {
          if (now[i] !== before?.[i]) clear(k)
        })
      },
    )
  }

  function close() {
    visible.value = false
  }

  async function validate() {
    if (!formRef.value) return true
    return formRef.value.validate().catch(() => false)
  }

  async function save() {
    if (saving.value) return
    failure.value = ''
    if (!(await validate())) return
    saving.value = true
    try {
      const result = await submit()
      if (result !== NOTHING) {
        const message = typeof success === 'function' ? success(result) : success
        if (message) ElMessage.success(message)
      }
      close()
      if (result !== NOTHING) saved?.(result)
    } catch (error) {
      if (!apply({ fields: mapFields(error?.fields, fieldMap) })) {
        if (inlineFailure) failure.value = error?.message ?? String(error)
        else ElMessage.error(error?.message ?? String(error))
      }
    } finally {
      saving.value = false
    }
  }

  return { formRef, saving, errors, failure, isPhone, save, close, clear }
}
