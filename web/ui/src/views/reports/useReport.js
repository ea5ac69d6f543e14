// Loads one report (GET /api/reports/<area>) whenever its filters (or `extra`, e.g. a page of
// units) change; the last answer wins.
//   const { report, loading } = useReport('membership', params)
import { ref, shallowRef, watch } from 'vue'
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import { api } from '../../api/client.js'

export function useReport(area, params, extra = () => ({})) {
  const report = shallowRef(null)
  const loading = ref(false)
  let generation = 0
  async function load() {
    const mine = ++generation
    loading.value = true
    try {
      const answer = await api.get(`/api/reports/${area}`, { ...params.value, ...extra() })
      if (mine === generation) report.value = answer
    } catch (error) {
      if (mine !== generation) return
      report.value = null
      if (error.status !== 401 && error.status !== 403) ElMessage.error(error.message)
    } finally {
      if (mine === generation) loading.value = false
    }
  }
  watch(() => JSON.stringify([params.value, extra()]), load, { immediate: true })
  return { report, loading, load }
}
