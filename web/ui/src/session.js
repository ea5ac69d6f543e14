// The signed-in user, as GET /api/session reports it. Permissions come from the server (the same
// table it enforces); the UI only hides what the server would refuse anyway.
import { computed, reactive, readonly } from 'vue'
import { api, ApiError, setCsrfToken } from './api/client.js'

// privacy: {version, accepted_version, accepted_at} — the notice in force and what the user
// accepted (privacy/consent.js needsConsent()); twoFactorSetupRequired: the server requires this
// staff or admin account to set up two-factor sign-in before anything else (every other request
// answers 403 two_factor_required until it has).
const state = reactive({ user: null, loaded: false, privacy: null, twoFactorSetupRequired: false })

export const session = readonly(state)
export const user = computed(() => state.user)
export const isSignedIn = computed(() => state.user !== null)
export const privacy = computed(() => state.privacy)
export const twoFactorSetupRequired = computed(() => state.user !== null && state.twoFactorSetupRequired)

function accept(data) {
  state.user = data.user
  state.privacy = data.privacy ?? null
  state.twoFactorSetupRequired = data.two_factor_setup_required === true
  setCsrfToken(data.csrf_token)
  state.loaded = true
  return data.user
}

export function clearSession() {
  state.user = null
  state.privacy = null
  state.twoFactorSetupRequired = false
  setCsrfToken(null)
  state.loaded = true
}

// The answer of POST /api/privacy/consent ({version, accepted_version, accepted_at}): the user has
// accepted the notice in force.
export function setPrivacy(answer) {
  if (!answer) return
  state.privacy = {
    version: answer.version,
    accepted_version: answer.accepted_version ?? null,
    accepted_at: answer.accepted_at ?? null,
  }
}

// A request answered 403 two_factor_required: the server wants a second factor set up first.
export function requireTwoFactorSetup() {
  if (state.user !== null) state.twoFactorSetupRequired = true
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
