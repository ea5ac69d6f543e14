// What a dialog shows is fetched each time it opens, so a pass or list is never stale; a 401 is
// left to the session (it sends the user to sign in) rather than shown as the dialog's error.
//   const { loading, failure } = useLoadOnOpen(visible, async () => { pass.value = await api.get(…) })
import { ref, watch } from 'vue'

export function useLoadOnOpen(visible, load) {
  const loading = ref(false)
  const failure = ref('')
  watch(visible, async (open) => {
    if (!open) return
    failure.value = ''
    loading.value = true
    try {
      await load()
    } catch (error) {
      if (error.status !== 401) failure.value = error.message
    } finally {
      loading.value = false
    }
  })
  return { loading, failure }
}
