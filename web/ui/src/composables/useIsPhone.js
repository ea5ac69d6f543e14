// Whether the window is phone-sized (narrower than 768 px). One media query shared by every
// component: the shell (menu in a drawer), dialogs (full-screen sheets), list tables (key columns
// only, a row tap opens the details).
//   const isPhone = useIsPhone()   // a read-only ref, true below 768 px
import { readonly, ref } from 'vue'

export const PHONE_QUERY = '(max-width: 767.98px)'

let shared = null

export function useIsPhone() {
  if (shared) return shared
  const state = ref(false)
  if (typeof window !== 'undefined' && typeof window.matchMedia === 'function') {
    const query = window.matchMedia(PHONE_QUERY)
    state.value = query.matches
    query.addEventListener('change', (e) => {
      state.value = e.matches
    })
  }
  shared = readonly(state)
  return shared
}
