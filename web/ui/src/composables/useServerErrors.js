// Field errors from the server (error.fields of an ApiError: {"username": "用户名已被使用"}) shown
// under the form fields through <el-form-item :error="serverErrors.username">. Dialogs use it
// through useFormDialog.js.
import { reactive } from 'vue'

// error.fields renamed by fieldMap ({server: form}); the rest as they are.
export function mapFields(fields, fieldMap = {}) {
  const out = {}
  for (const [k, v] of Object.entries(fields ?? {})) out[fieldMap[k] ?? k] = v
  return out
}

export function useServerErrors() {
  const errors = reactive({})

  function clear(field) {
    if (field) delete errors[field]
    else for (const key of Object.keys(errors)) delete errors[key]
  }

  // apply(error) → true when the error named fields (now shown under them), else false.
  function apply(error) {
    clear()
    const fields = error?.fields ?? {}
    for (const [field, message] of Object.entries(fields)) errors[field] = String(message)
    return Object.keys(fields).length > 0
  }

  return { errors, apply, clear }
}
