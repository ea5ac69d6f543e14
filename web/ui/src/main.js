import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router.js'
import { setForbiddenHandler, setUnauthenticatedHandler } from './api/client.js'
import { clearSession } from './session.js'
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

createApp(App).use(router).mount('#app')
