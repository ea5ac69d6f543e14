// A small i18n layer: our strings live in zh-CN.js and en.js; `t('a.b', {x})` looks a key up in
// the current language (falling back to Chinese) and fills {x}. The choice is kept in
// localStorage. Element Plus gets its own matching locale through `elementLocale`.
import { computed, ref, watchEffect } from 'vue'
import zhCN from './zh-CN.js'
import en from './en.js'
import elZhCn from 'element-plus/es/locale/lang/zh-cn'
import elEn from 'element-plus/es/locale/lang/en'

export const LOCALES = [
  { code: 'zh-CN', label: '简体中文', messages: zhCN, element: elZhCn },
  { code: 'en', label: 'English', messages: en, element: elEn },
]
const STORAGE_KEY = 'xiehui.locale'
const DEFAULT_LOCALE = 'zh-CN'

function stored() {
  try {
    const code = localStorage.getItem(STORAGE_KEY)
    return LOCALES.some((l) => l.code === code) ? code : DEFAULT_LOCALE
  } catch {
    return DEFAULT_LOCALE
  }
}

export const locale = ref(stored())
const current = computed(() => LOCALES.find((l) => l.code === locale.value) ?? LOCALES[0])
export const elementLocale = computed(() => current.value.element)

watchEffect(() => {
  document.documentElement.lang = locale.value
})

export function setLocale(code) {
  if (!LOCALES.some((l) => l.code === code)) return
  locale.value = code
  try {
    localStorage.setItem(STORAGE_KEY, code)
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}

function lookup(messages, key) {
  return key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), messages)
}

// t(key, params) — reactive in templates and computed()s because it reads `locale`.
export function t(key, params) {
  let text = lookup(current.value.messages, key)
  if (typeof text !== 'string') text = lookup(zhCN, key)
  if (typeof text !== 'string') return key
  if (!params) return text
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m))
}

// The label of a code whose name holds dots (an audit action such as "session.login") in
// `section`, or the code itself when no language has it.
export function codeLabel(section, code) {
  const own = current.value.messages[section]?.[code] ?? zhCN[section]?.[code]
  return typeof own === 'string' ? own : code
}

// The Accept-Language the API should answer in.
export function acceptLanguage() {
  return locale.value === 'en' ? 'en' : 'zh-CN'
}
