// What the account security pages (账号安全, 安全设置) and the login's code step share: the
// 6-digit code an authenticator app shows, the secret as people copy it, a session's browser and
// system in a few words, and a number of minutes in the largest whole unit. Pure functions, no
// Vue: unit-tested with `node --test`.

// codeDigits(' 123 456 ') → '123456': what a code field keeps of what was typed or pasted (the
// digits, at most six; apps show the code as "123 456").
export function codeDigits(value) {
  return String(value ?? '').replace(/\D/g, '').slice(0, 6)
}

// isCode('123456') → true: six digits, as the server accepts them.
export const isCode = (value) => /^\d{6}$/.test(String(value ?? ''))

// codeRules(message) → the form rules of a dialog whose one field is `code`: six digits, else
// `message` under the field (checked when the field is left and before sending).
export const codeRules = (message) => ({
  code: [
    {
      required: true,
      validator: (_r, v, cb) => (isCode(v) ? cb() : cb(new Error(message))),
      trigger: 'blur',
    },
  ],
})

// groupSecret('JBSWY3DPEHPK3PXP') → 'JBSW Y3DP EHPK 3PXP': the base32 secret in groups of four, for
// typing it into an app by hand (apps ignore the spaces).
export function groupSecret(secret) {
  return (String(secret ?? '').replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ')
}

// Browsers and apps, the most specific first (Edge and most Chinese browsers also say "Chrome";
// everything says "Safari").
const BROWSERS = [
  ['WeChat', /MicroMessenger\/(\d+)/],
  ['DingTalk', /DingTalk\/(\d+)/],
  ['QQ Browser', /QQBrowser\/(\d+)/],
  ['UC Browser', /UCBrowser\/(\d+)/],
  ['Quark', /Quark\/(\d+)/],
  ['Huawei Browser', /HuaweiBrowser\/(\d+)/],
  ['Samsung Internet', /SamsungBrowser\/(\d+)/],
  ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /(?:OPR|Opera)\/(\d+)/],
  ['Firefox', /(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /(?:HeadlessChrome|Chrome|CriOS)\/(\d+)/],
  ['Safari', /Version\/(\d+)[\s\S]*Safari\//],
]
const SYSTEMS = [
  ['HarmonyOS', /HarmonyOS|OpenHarmony/],
  ['iPhone', /iPhone/],
  ['iPad', /iPad/],
  ['Android', /Android/],
  ['Windows', /Windows/],
  ['ChromeOS', /CrOS/],
  ['macOS', /Macintosh|Mac OS X/],
  ['Linux', /Linux|X11/],
]

// describeUserAgent(ua) → {name, version, os} (os null for a program such as curl), or null when
// there is nothing to say. A browser's version is its major number only.
export function describeUserAgent(ua) {
  const text = String(ua ?? '').trim()
  if (!text) return null
  if (text.startsWith('Mozilla/')) {
    const os = SYSTEMS.find(([, re]) => re.test(text))?.[0] ?? null
    for (const [name, re] of BROWSERS) {
      const m = re.exec(text)
      if (m) return { name, version: m[1], os }
    }
    return { name: null, version: null, os }
  }
  // A program: its first product token ("curl/8.5.0", "node", "python-requests/2.31").
  const m = /^([\w.+-]{1,40})(?:\/([\w.+-]{1,20}))?/.exec(text)
  return m ? { name: m[1], version: m[2] ?? null, os: null } : null
}

// shortUserAgent(ua, label) → 'Chrome 120 · Windows', 'WeChat 8 · iPhone', 'curl 8.5.0'; '' when
// nothing is known. label(name) turns a product or system name into the reader's language.
export function shortUserAgent(ua, label = (name) => name) {
  const d = describeUserAgent(ua)
  if (!d) return ''
  const browser = d.name ? `${label(d.name)}${d.version ? ` ${d.version}` : ''}` : ''
  const os = d.os ? label(d.os) : ''
  return [browser, os].filter(Boolean).join(' · ')
}

// durationOf(720) → {unit: 'hours', n: 12}: minutes in the largest unit that divides them whole.
export function durationOf(minutes) {
  const n = Number(minutes)
  if (Number.isInteger(n) && n > 0 && n % 1440 === 0) return { unit: 'days', n: n / 1440 }
  if (Number.isInteger(n) && n > 0 && n % 60 === 0) return { unit: 'hours', n: n / 60 }
  return { unit: 'minutes', n }
}

// twoFactorSetupRedirect(to, required) → where a visit to the route `to` goes while the server
// requires this account to set up two-factor sign-in first (the session's
// two_factor_setup_required, or a request answered 403 two_factor_required): the account security
// page, remembering the page asked for; null (go on) for that page itself, the signed-out pages
// (the login, the public notice) and whenever nothing is required.
export function twoFactorSetupRedirect(to, required) {
  if (!required || to?.meta?.public || to?.name === 'accountSecurity') return null
  const back = to?.fullPath && to.fullPath !== '/' ? { redirect: to.fullPath } : {}
  return { name: 'accountSecurity', query: back }
}
