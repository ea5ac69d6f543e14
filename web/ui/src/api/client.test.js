// node --test src/  (run by tests/ui/run.sh). The client against a real HTTP server on
// 127.0.0.1:0 that answers as xiehui does while its database is down.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'

globalThis.localStorage ??= { getItem: () => null, setItem: () => {} }
globalThis.navigator ??= { language: 'zh-CN' }
globalThis.document ??= {
  documentElement: { setAttribute() {}, lang: '' },
  title: '',
  createElement: () => ({ setAttribute() {}, style: {}, content: {} }),
}

const { api, ApiError, setForbiddenHandler, setTwoFactorRequiredHandler, setUnauthenticatedHandler, setUnavailableHandler } =
  await import('./client.js')

function serve(status, body) {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(body))
    })
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

test('a 503 calls the unavailable handler and never the sign-out handler', async () => {
  const server = await serve(503, { code: 'unavailable', message: '系统暂时不可用，请稍后重试' })
  const base = `http://127.0.0.1:${server.address().port}`
  let signedOut = 0
  let unavailable = 0
  setUnauthenticatedHandler(() => signedOut++)
  setUnavailableHandler(() => unavailable++)
  try {
    await assert.rejects(api.get(`${base}/api/members`), (e) => e instanceof ApiError && e.status === 503)
    await assert.rejects(api.post(`${base}/api/members/1/contacts`, { name: 'x' }))
    assert.equal(unavailable, 2)
    assert.equal(signedOut, 0, 'a database outage does not send the user to the login page')
  } finally {
    server.close()
  }
})

test('a 401 still signs out and is not reported as unavailable', async () => {
  const server = await serve(401, { code: 'unauthenticated', message: '登录已过期' })
  const base = `http://127.0.0.1:${server.address().port}`
  let signedOut = 0
  let unavailable = 0
  setUnauthenticatedHandler(() => signedOut++)
  setUnavailableHandler(() => unavailable++)
  try {
    await assert.rejects(api.get(`${base}/api/members`))
    assert.equal(signedOut, 1)
    assert.equal(unavailable, 0)
  } finally {
    server.close()
  }
})

test('a 403 two_factor_required calls the two-factor handler, on any method, never "no permission"', async () => {
  const server = await serve(403, { code: 'two_factor_required', message: '请先启用两步验证' })
  const base = `http://127.0.0.1:${server.address().port}`
  let required = 0
  let forbidden = 0
  setTwoFactorRequiredHandler(() => required++)
  setForbiddenHandler(() => forbidden++)
  try {
    await assert.rejects(api.get(`${base}/api/members`), (e) => e.status === 403 && e.code === 'two_factor_required')
    await assert.rejects(api.post(`${base}/api/members/1/contacts`, { name: 'x' }))
    assert.equal(required, 2)
    assert.equal(forbidden, 0)
  } finally {
    server.close()
  }
})

test('any other 403 on a page load is still "no permission"', async () => {
  const server = await serve(403, { code: 'forbidden', message: '没有权限' })
  const base = `http://127.0.0.1:${server.address().port}`
  let required = 0
  let forbidden = 0
  setTwoFactorRequiredHandler(() => required++)
  setForbiddenHandler(() => forbidden++)
  try {
    await assert.rejects(api.get(`${base}/api/members`))
    assert.equal(forbidden, 1)
    assert.equal(required, 0)
  } finally {
    server.close()
  }
})
