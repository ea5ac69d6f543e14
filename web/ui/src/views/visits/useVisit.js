// The visit of the page's address (/visits/<id>/…): loaded on entering and whenever the id
// changes; `failure` says why it could not be shown (404: it does not exist or is a draft the
// caller may not see).
//   const { id, visit, loading, failure, load } = useVisit()
import { computed, ref, watch } from 'vue'
import { useRoute } from 'vue-router'
import { api } from '../../api/client.js'
import { t } from '../../i18n/index.js'

export function useVisit({ param = 'id' } = {}) {
  const route = useRoute()
  const id = computed(() => Number(route.params[param]))
  const visit = ref(null)
  const loading = ref(false)
  const failure = ref('')

  async function load() {
    loading.value = !visit.value
    failure.value = ''
    try {
      visit.value = await api.get(`/api/visits/${id.value}`)
    } catch (error) {
      if (error.status === 404) failure.value = t('visits.notFound')
      else if (error.status !== 401 && error.status !== 403) failure.value = error.message
    } finally {
      loading.value = false
    }
  }
  watch(
    id,
    () => {
      visit.value = null
      if (Number.isInteger(id.value) && id.value > 0) load()
    },
    { immediate: true },
  )

  return { id, visit, loading, failure, load }
}
