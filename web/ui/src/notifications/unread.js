// The signed-in user's unread notification count, shared by the bell (MainLayout) and the inbox.
// The bell polls GET /api/notifications/unread-count every 60 s while the tab is visible (and at
// once when it becomes visible again); the inbox sets it from its own answers after marking.
//   const { unread, refreshUnread, setUnread, startPolling, stopPolling } = useUnread()
import { readonly, ref } from 'vue'
import { api } from '../api/client.js'

export const POLL_MS = 60_000

const count = ref(0)
let timer = null
let users = 0
let inflight = null

export function setUnread(n) {
  const v = Number(n)
  count.value = Number.isFinite(v) && v > 0 ? Math.floor(v) : 0
}

// Quietly: the bell is no place for error messages (a 401 still signs the user out globally).
export async function refreshUnread() {
  if (inflight) return inflight
  inflight = (async () => {
    try {
      const answer = await api.get('/api/notifications/unread-count')
      setUnread(answer?.unread)
    } catch {
      // Keep the last count.
    } finally {
      inflight = null
    }
  })()
  return inflight
}

function onVisibility() {
  if (!document.hidden) refreshUnread()
}

export function startPolling() {
  users += 1
  if (users > 1) return
  refreshUnread()
  timer = setInterval(() => {
    if (!document.hidden) refreshUnread()
  }, POLL_MS)
  document.addEventListener('visibilitychange', onVisibility)
}

export function stopPolling() {
  users = Math.max(0, users - 1)
  if (users > 0) return
  clearInterval(timer)
  timer = null
  count.value = 0 // the next user signed in starts from their own count
  document.removeEventListener('visibilitychange', onVisibility)
}

export function useUnread() {
  return { unread: readonly(count), refreshUnread, setUnread, startPolling, stopPolling }
}
