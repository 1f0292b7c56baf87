import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** The bureau's clock: instants are stored in UTC and shown in Asia/Shanghai, wherever the browser is. */
export const BUREAU_TZ = 'Asia/Shanghai';

export function formatInstant(iso: string, withSeconds = false): string {
  const d = dayjs(iso);
  if (!d.isValid()) return iso;
  return d.tz(BUREAU_TZ).format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm');
}
