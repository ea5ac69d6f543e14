// Loads one report (GET /api/reports/<area>) whenever its filters (or `extra`, e.g. a page of
// units) change; the last answer wins.
//   const { report, loading } = useReport('membership', params)
// usePagedReport: the filters (useReportFilters) and a report with one paged list (back to the
// first page when a filter changes).
//   const { filters, params, page, pageSize, report, loading } = usePagedReport('training')
import { ref, shallowRef, watch } from 'vue'
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import { api } from '../../api/client.js'
import { useReportFilters } from '../../reports/useReportFilters.js'

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

export function usePagedReport(area, fields) {
  const { filters, params } = useReportFilters(fields)
  const page = ref(1)
  const pageSize = ref(20)
  watch(params, () => (page.value = 1))
  const { report, loading } = useReport(area, params, () => ({ page: page.value, page_size: pageSize.value }))
  return { filters, params, page, pageSize, report, loading }
}
