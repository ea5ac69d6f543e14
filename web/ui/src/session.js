// The signed-in user, as GET /api/session reports it. Permissions come from the server (the same
// table it enforces); the UI only hides what the server would refuse anyway.
import { computed, reactive, readonly } from 'vue'
import { api, ApiError, setCsrfToken } from './api/client.js'

const state = reactive({ user: null, loaded: false })

export const session = readonly(state)
export const user = computed(() => state.user)
export const isSignedIn = computed(() => state.user !== null)

function accept(data) {
  state.user = data.user
  setCsrfToken(data.csrf_token)
  state.loaded = true
  return data.user
}

export function clearSession() {
  state.user = null
  setCsrfToken(null)
  state.loaded = true
}

// loadSession() — once per page load: who is signed in (null when nobody is).
export async function loadSession() {
  try {
    return accept(await api.get('/api/session', undefined, { auth: false }))
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      clearSession()
      return null
    }
    throw error
  }
}

// totpCode: the authenticator's 6-digit code, for an account with two-factor sign-in (the server
// answers 401 naming `totp_code` when it is needed or wrong).
export async function login(username, password, totpCode) {
  const body = totpCode ? { username, password, totp_code: totpCode } : { username, password }
  return accept(await api.post('/api/session', body, { auth: false }))
}

export async function logout() {
  try {
    await api.delete('/api/session', { auth: false })
  } catch (error) {
    // Already gone server-side (401) is still a sign-out.
    if (!(error instanceof ApiError) || error.status !== 401) throw error
  } finally {
    clearSession()
  }
}

export function can(permission) {
  return state.user?.permissions?.includes(permission) ?? false
}

// canAny([]) is true: an empty list means "any signed-in user".
export function canAny(permissions = []) {
  return permissions.length === 0 || permissions.some(can)
}

export function hasRole(role) {
  return state.user?.roles?.includes(role) ?? false
}
