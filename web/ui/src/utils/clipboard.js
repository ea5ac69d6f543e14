// Copies text for the user to paste (a pass link, a WeChat message) and says so in a toast.
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import { t } from '../i18n/index.js'

// box: the element around the field showing the text. Without clipboard permission (http, an old
// WebView) its text is selected instead, for a long press / Ctrl+C.
export async function copyText(text, box) {
  try {
    await navigator.clipboard.writeText(text)
    ElMessage.success(t('training.copied'))
  } catch {
    box?.querySelector('input, textarea')?.select()
    ElMessage.info(t('training.copyFailed'))
  }
}
