// The privacy notice in force (GET /api/privacy/notice, public): fetched once per page load and
// shared by every consent box and the sign-in dialog; loadNotice({force: true}) asks again (the
// server said a form's version is stale, or an admin published a new one).
//   const notice = await loadNotice()   // {version, text_zh, text_en, published_at, published_by}
import { api } from '../api/client.js'

let pending = null

export function loadNotice({ force = false } = {}) {
  if (!pending || force) {
    const mine = api.get('/api/privacy/notice', undefined, { auth: false })
    pending = mine
    mine.catch(() => {
      // A failure is not kept: the next caller asks again.
      if (pending === mine) pending = null
    })
  }
  return pending
}

// setNotice(notice): the notice an admin just published is the one in force.
export function setNotice(notice) {
  pending = Promise.resolve(notice)
}
