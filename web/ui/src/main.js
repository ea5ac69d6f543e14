import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router.js'
import { ElMessage } from 'element-plus'
import {
  setForbiddenHandler,
  setTwoFactorRequiredHandler,
  setUnauthenticatedHandler,
  setUnavailableHandler,
} from './api/client.js'
import { clearSession, requireTwoFactorSetup } from './session.js'
import { twoFactorSetupRedirect } from './views/account/security.js'
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

// A 403 two_factor_required: an administrator requires this staff or admin account to set up
// two-factor sign-in before anything else. To the account security page, which says so and comes
// back here once it is on.
setTwoFactorRequiredHandler(() => {
  requireTwoFactorSetup()
  const target = twoFactorSetupRedirect(router.currentRoute.value, true)
  if (target) router.replace(target)
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
