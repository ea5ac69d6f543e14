// A report page's filters (year, city, type, tier; the engagement report's years) kept in the
// page's address: read from it when the page opens or the address changes (back button), written
// to it when a filter changes.
//   const { filters, params } = useReportFilters(['year', 'city_code', 'type', 'tier'])
//   watch(params, load, { immediate: true })   // params: the filters as API query parameters
import { computed, reactive, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { currentYear } from '../dues/vocabulary.js'
import { filterParams, filtersFromQuery } from './figures.js'

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b)

export function useReportFilters(fields = ['year', 'city_code', 'type', 'tier']) {
  const route = useRoute()
  const router = useRouter()
  const thisYear = currentYear()
  const routeName = route.name
  const filters = reactive(filtersFromQuery(route.query, thisYear, fields))
  const params = computed(() => filterParams(filters))
  // Keys of the address this page does not own (kept as they are).
  const others = () => Object.fromEntries(Object.entries(route.query).filter(([k]) => !fields.includes(k)))

  watch(
    () => JSON.stringify(filterParams(filters)),
    () => {
      const wanted = { ...others(), ...filterParams(filters) }
      if (!same(wanted, route.query)) router.replace({ query: wanted })
    },
    { immediate: true },
  )
  watch(
    () => route.query,
    (query) => {
      if (route.name !== routeName) return
      const next = filtersFromQuery(query, thisYear, fields)
      for (const [k, v] of Object.entries(next)) if (filters[k] !== v) filters[k] = v
    },
  )
  const reset = () => Object.assign(filters, filtersFromQuery({}, thisYear, fields))
  return { filters, params, reset, thisYear }
}
