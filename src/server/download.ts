import { PassThrough, type Writable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { SheetColumn } from '../io/write/table-writer.ts';
import type { Lang } from './errors.ts';

const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const;

/**
 * Streams a generated file to the browser as a download. The Chinese file name goes in the RFC 5987
 * `filename*` parameter; `filename` carries an ASCII fallback.
 */
export function sendDownload(
  reply: FastifyReply,
  filename: string,
  format: keyof typeof CONTENT_TYPES,
  write: (out: Writable) => Promise<unknown>,
) {
  const body = new PassThrough();
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
  reply
    .header('content-type', CONTENT_TYPES[format])
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    )
    .header('cache-control', 'no-store');
  write(body).catch((e) => {
    reply.log.error({ err: e }, 'download failed');
    body.destroy(e as Error);
  });
  return reply.send(body);
}

/** A column of a downloaded table, with its heading in both languages. */
export interface BilingualColumn extends Omit<SheetColumn, 'header'> {
  header: { zh: string; en: string };
}

/** The columns with their headings in the language the download was asked in (`?lang=`). */
export function columnsIn(lang: Lang, columns: readonly BilingualColumn[]): SheetColumn[] {
  return columns.map((c) => ({ ...c, header: c.header[lang] }));
}
