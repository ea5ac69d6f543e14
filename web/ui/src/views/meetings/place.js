// Where a meeting takes place, for people: its room, its outside venue, or its mode (通讯 /
// 线上) when it has neither.
import { t } from '../../i18n/index.js'

export function placeOf(meeting) {
  if (!meeting) return '—'
  if (meeting.room_name) return meeting.room_name
  if (meeting.venue) return meeting.venue
  return meeting.mode ? t(`meetingModes.${meeting.mode}`) : '—'
}
