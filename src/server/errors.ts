import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, isAppError } from '../domain/errors.ts';

export type Lang = 'zh' | 'en';

/** The caller's language: English when Accept-Language prefers it, Chinese otherwise. */
export function langOf(req: FastifyRequest): Lang {
  return /^en\b/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'zh';
}

/** HTTP status for an expected failure, from its stable code. */
export function statusOf(code: string): number {
  if (code === 'auth.required' || code === 'auth.invalid') return 401;
  if (code.endsWith('.rate_limited')) return 429;
  if (code === 'auth.locked') return 423;
  if (code === 'auth.csrf' || code === 'auth.forbidden') return 403;
  if (code.endsWith('not_found')) return 404;
  if (code.endsWith('exists') || code.endsWith('conflict')) return 409;
  if (code.startsWith('import.rejected')) return 422;
  return 400;
}

export const notFound = (what = '记录', whatEn = 'record') =>
  new AppError('resource.not_found', `找不到该${what}`, `No such ${whatEn}`);

export function sendError(reply: FastifyReply, req: FastifyRequest, e: AppError, status = statusOf(e.code)) {
  return reply
    .status(status)
    .send({ code: e.code, message: langOf(req) === 'en' ? e.en : e.zh, field: e.field ?? null });
}

/** One error shape for every failure: `{ code, message, field }`, message in the caller's language. */
export function errorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (isAppError(error)) return sendError(reply, req, error);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const path =
      first?.instancePath?.replace(/^\//, '').replaceAll('/', '.') ||
      (first?.params as { issue?: { path?: string[] } })?.issue?.path?.join('.') ||
      '';
    const where = error.validationContext ?? 'body';
    const field = path ? `${where}.${path}` : where;
    return sendError(
      reply,
      req,
      new AppError(
        'request.invalid',
        `请求参数 ${field} 不正确：${first?.message ?? ''}`,
        `Request field ${field} is invalid: ${first?.message ?? ''}`,
        field,
      ),
      400,
    );
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return sendError(
      reply,
      req,
      new AppError('request.too_large', '请求内容过大', 'The request body is too large', 'body'),
      413,
    );
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendError(
      reply,
      req,
      new AppError('request.media_type', '不支持的请求格式', 'Unsupported content type', 'content-type'),
      415,
    );
  }
  if (error.statusCode && error.statusCode < 500) {
    return sendError(
      reply,
      req,
      new AppError(
        'request.invalid',
        `请求不正确：${error.message}`,
        `Bad request: ${error.message}`,
        'body',
      ),
      error.statusCode,
    );
  }
  req.log.error({ err: error }, 'unhandled error');
  return sendError(
    reply,
    req,
    new AppError(
      'internal',
      '服务器内部错误，请稍后再试或联系管理员',
      'Internal server error; try again later or contact the administrator',
    ),
    500,
  );
}
