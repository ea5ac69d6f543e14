// The one way the UI talks to xiehui. Every request sends Accept-Language (the server localises
// its error messages) and, once signed in, X-CSRF-Token. A non-2xx answer throws ApiError
// carrying the server's code, message (shown to people as is) and per-field messages.

import { acceptLanguage } from '../i18n/index.js'

export class ApiError extends Error {
  constructor(status, body = {}) {
    super(body.message || `HTTP ${status}`)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code || 'unknown'
    this.details = body.details || {}
    this.fields = this.details.fields || {}
    this.requestId = body.request_id || null
  }
}

let csrfToken = null
let onUnauthenticated = null
let onForbidden = null
let onUnavailable = null
let onTwoFactorRequired = null

export function setCsrfToken(token) {
  csrfToken = token || null
}

// handler(error) is called for a 401 on any request not marked {auth: false}: the session ended
// server-side (expired, killed), so the app goes back to the login page.
export function setUnauthenticatedHandler(handler) {
  onUnauthenticated = handler
}

function buildUrl(path, query) {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    params.append(key, String(value))
  }
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

async function readBody(response) {
  if (response.status === 204) return null
  const text = await response.text()
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return { message: text }
  }
}

// handler(error) is called for a 503 on any request: the server is up but cannot serve (its
// database is down). The app tells the user and stays where it is; nobody is signed out.
export function setUnavailableHandler(handler) {
  onUnavailable = handler
}

// handler(error) is called for a 403 `two_factor_required` on any request: the server requires
// this account to set up two-factor sign-in before anything else, so the app takes the user there
// (and does not call the "no permission" handler).
export function setTwoFactorRequiredHandler(handler) {
  onTwoFactorRequired = handler
}

export const TWO_FACTOR_REQUIRED = 'two_factor_required'

function reportStatus(status, error, { auth = true, method = 'GET' } = {}) {
  if (status === 401 && auth && onUnauthenticated) onUnauthenticated(error)
  if (status === 403 && error.code === TWO_FACTOR_REQUIRED) {
    if (onTwoFactorRequired) onTwoFactorRequired(error)
    return
  }
  if (status === 403 && auth && method === 'GET' && onForbidden) onForbidden(error)
  if (status === 503 && onUnavailable) onUnavailable(error)
}

// handler(error) is called for a 403 on a GET: the page cannot be shown, so the app shows its
// "no permission" page. A refused change (POST, PATCH, ...) is reported where it was made instead.
export function setForbiddenHandler(handler) {
  onForbidden = handler
}

// request(method, path, {query, body, headers, auth}) → parsed JSON (null for 204).
// auth: false for the session endpoints themselves, where a 401 is an answer, not an expiry.
export async function request(method, path, { query, body, headers = {}, auth = true } = {}) {
  const init = {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Accept-Language': acceptLanguage(), ...headers },
  }
  if (csrfToken) init.headers['X-CSRF-Token'] = csrfToken
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }

  let response
  try {
    response = await fetch(buildUrl(path, query), init)
  } catch (cause) {
    const error = new ApiError(0, { code: 'network', message: networkMessage() })
    error.cause = cause
    throw error
  }
  const data = await readBody(response)
  if (response.ok) return data

  const error = new ApiError(response.status, data || {})
  reportStatus(response.status, error, { auth, method })
  throw error
}

function networkMessage() {
  return acceptLanguage() === 'en'
    ? 'Cannot reach the server. Check the network and try again.'
    : '无法连接服务器，请检查网络后重试。'
}

// upload(path, file, {query, onProgress}) → parsed JSON: POSTs the file's bytes as the raw request
// body (Content-Type: the file's type) through XMLHttpRequest, the one browser API that reports
// upload progress: onProgress({loaded, total}) as the bytes leave. Errors as for request().
export function upload(path, file, { query, onProgress, contentType } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', buildUrl(path, query))
    xhr.withCredentials = true
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Accept-Language', acceptLanguage())
    xhr.setRequestHeader('Content-Type', contentType || file.type || 'application/octet-stream')
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken)
    if (onProgress) {
      xhr.upload.onprogress = (e) =>
        onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size })
      xhr.upload.onload = () => onProgress({ loaded: file.size, total: file.size })
    }
    xhr.onerror = () => reject(new ApiError(0, { code: 'network', message: networkMessage() }))
    xhr.onload = () => {
      let data = null
      if (xhr.responseText) {
        try {
          data = JSON.parse(xhr.responseText)
        } catch {
          data = { message: xhr.responseText }
        }
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data)
        return
      }
      const error = new ApiError(xhr.status, data || {})
      reportStatus(xhr.status, error, { method: 'POST' })
      reject(error)
    }
    xhr.send(file)
  })
}

// download(path, query, fallbackName) — fetches a file (an export) and hands it to the browser as
// a download named as the server's Content-Disposition says. A refusal throws ApiError with the
// server's message, which a plain link could not show.
export async function download(path, query, fallbackName = 'download') {
  let response
  try {
    response = await fetch(buildUrl(path, query), {
      credentials: 'same-origin',
      headers: { 'Accept-Language': acceptLanguage() },
    })
  } catch (cause) {
    const error = new ApiError(0, { code: 'network', message: networkMessage() })
    error.cause = cause
    throw error
  }
  if (!response.ok) {
    const error = new ApiError(response.status, (await readBody(response)) || {})
    reportStatus(response.status, error, { method: 'POST' })
    throw error
  }
  const blob = await response.blob()
  const name = filenameOf(response.headers.get('Content-Disposition')) || fallbackName
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60000)
  return name
}

// filenameOf('attachment; filename="a.csv"; filename*=UTF-8\'\'%E4%BC%9A.csv') → '会.csv'.
export function filenameOf(disposition) {
  if (!disposition) return null
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      // Fall back to the plain name.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)
  return plain ? plain[1].trim() : null
}

export const api = {
  get: (path, query, options) => request('GET', path, { ...options, query }),
  post: (path, body, options) => request('POST', path, { ...options, body }),
  put: (path, body, options) => request('PUT', path, { ...options, body }),
  patch: (path, body, options) => request('PATCH', path, { ...options, body }),
  delete: (path, options) => request('DELETE', path, options),
}
