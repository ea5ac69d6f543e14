import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router.js'
import { ElMessage } from 'element-plus'
import { setForbiddenHandler, setUnauthenticatedHandler, setUnavailableHandler } from './api/client.js'
import { clearSession } from './session.js'
import { t } from './i18n/index.js'
import './styles.css'

// A 401 from any API call: the session ended server-side. Back to the login page, which brings
// the user back here after signing in.
setUnauthenticatedHandler(() => {
  clearSession()
  const current = router.currentRoute.value
  if (current.name === 'login') return
  router.replace({ name: 'login', query: { redirect: current.fullPath, expired: '1' } })
})

// A 403 while loading a page: show the "no permission" page in its place.
setForbiddenHandler(() => {
  const current = router.currentRoute.value
  if (current.name === 'forbidden') return
  router.replace({ name: 'forbidden', query: { from: current.fullPath } })
})

// A 503: the server cannot serve right now (its database is down). Say so once, in a toast that
// stays a while, and keep the user on the page and signed in.
let unavailableShown = 0
setUnavailableHandler(() => {
  const now = Date.now()
  if (now - unavailableShown < 5000) return
  unavailableShown = now
  ElMessage({ type: 'error', message: t('common.unavailable'), duration: 5000, grouping: true })
})

createApp(App).use(router).mount('#app')
