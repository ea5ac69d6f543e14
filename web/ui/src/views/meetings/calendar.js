// What every FullCalendar of the meetings pages shares: the plugins (all MIT: day grid, time
// grid, list, interaction), the language, 24-hour times, weeks from Monday, and Asia/Shanghai.
// The calendar runs in UTC and is fed Shanghai wall time (meetings/time.js), so an event at
// 09:00+08:00 sits at 09:00 whatever the browser's zone — no time-zone plugin needed.
// Accessibility: text arrows instead of the icon font (whose role="img" spans have no name),
// hints in the page's language, no aria-labelledby on day cells (their name would not match
// their content), and the "+n more" links as buttons.
import dayGridPlugin from '@fullcalendar/daygrid'
import timeGridPlugin from '@fullcalendar/timegrid'
import interactionPlugin from '@fullcalendar/interaction'
import listPlugin from '@fullcalendar/list'
import zhCnLocale from '@fullcalendar/core/locales/zh-cn'
import { locale, t } from '../../i18n/index.js'
import { calendarDay, calendarNow, fromCalendarDate } from '../../meetings/time.js'
import { weekdayLabel } from '../../meetings/series.js'
import '../../styles/calendar.css'

const HM = { hour: '2-digit', minute: '2-digit', hour12: false }
// FullCalendar's own date (its `marker` carries the wall time in UTC fields) as YYYY-MM-DD, and
// a day's column head as 'MM-DD 周二' / 'MM-DD Tue'.
const isoDay = (arg) => calendarDay(arg.date.marker)
const isoWeekdayOf = (arg) => ((arg.date.marker.getUTCDay() + 6) % 7) + 1
const dayHead = (arg) => `${isoDay(arg).slice(5)} ${weekdayLabel(isoWeekdayOf(arg), locale.value)}`

// The options that follow the language (set again when it changes).
export function languageOptions() {
  return {
    locale: locale.value === 'en' ? 'en' : 'zh-cn',
    buttonText: {
      prev: '‹',
      next: '›',
      today: t('meetings.calendar.today'),
      month: t('meetings.calendar.month'),
      week: t('meetings.calendar.week'),
      day: t('meetings.calendar.day'),
      list: t('meetings.calendar.list'),
    },
    buttonHints: {
      prev: t('meetings.calendar.prevHint'),
      next: t('meetings.calendar.nextHint'),
      today: t('meetings.calendar.todayHint'),
    },
    viewHint: t('meetings.calendar.viewHint'),
    noEventsText: t('meetings.calendar.empty'),
  }
}

export function baseOptions() {
  return {
    plugins: [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin],
    locales: [zhCnLocale],
    ...languageOptions(),
    buttonIcons: false,
    timeZone: 'UTC',
    now: () => calendarNow(),
    firstDay: 1,
    height: 'auto',
    nowIndicator: true,
    eventTimeFormat: HM,
    slotLabelFormat: HM,
    allDaySlot: false,
    slotMinTime: '07:00:00',
    slotMaxTime: '22:00:00',
    scrollTime: '08:00:00',
    dayMaxEvents: 4,
    dayCellDidMount: (arg) => arg.el.removeAttribute('aria-labelledby'),
    // The "+2 more" link opens a pop-up: a button (aria-expanded is not allowed on a bare <a>).
    moreLinkDidMount: (arg) => {
      arg.el.setAttribute('role', 'button')
      if (!arg.el.getAttribute('aria-controls')) arg.el.removeAttribute('aria-controls')
    },
    listDayFormat: isoDay,
    views: {
      timeGridWeek: { dayHeaderFormat: dayHead },
      timeGridDay: { dayHeaderFormat: dayHead },
    },
  }
}

// The range FullCalendar asks events for, as the API's instants.
export function rangeQuery(info) {
  return { from: fromCalendarDate(info.start), to: fromCalendarDate(info.end) }
}
