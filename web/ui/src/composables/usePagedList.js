// Server-side paging for a list endpoint answering {items, total, page, page_size}.
//   const list = usePagedList('/api/users', () => ({ q: search.value }))
//   list.load(); list.page.value = 2 ... (changing page or page size reloads)
//   list.refresh() reloads without the loading state (an auto-refresh); list.answer is the whole
//   last answer (for anything an endpoint sends beside the items: counts, unread).
import { ref, shallowRef, watch } from 'vue'
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import { api } from '../api/client.js'

export function usePagedList(path, filters = () => ({}), { pageSize = 20 } = {}) {
  const items = shallowRef([])
  const total = ref(0)
  const page = ref(1)
  const size = ref(pageSize)
  const loading = ref(false)
  const answer = shallowRef(null)
  let generation = 0

  async function fetchPage(quiet) {
    const mine = ++generation
    if (!quiet) loading.value = true
    try {
      const data = await api.get(path, { ...filters(), page: page.value, page_size: size.value })
      if (mine !== generation) return // a newer request is on its way
      items.value = data.items
      total.value = data.total
      answer.value = data
    } catch (error) {
      // 401 and 403 are handled globally (login page, "no permission" page).
      if (mine === generation && !quiet && error.status !== 401 && error.status !== 403) {
        ElMessage.error(error.message)
      }
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  function load() {
    return fetchPage(false)
  }
  function refresh() {
    return fetchPage(true)
  }

  // Apply new filters from the first page.
  function search() {
    if (page.value === 1) load()
    else page.value = 1
  }

  watch([page, size], load)

  return { items, total, page, pageSize: size, loading, load, refresh, search, answer }
}
