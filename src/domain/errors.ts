/**
 * A failure a bureau clerk can act on: a stable code, a message in Chinese and English,
 * and the field (JSON path, column or option) it concerns.
 */
export class AppError extends Error {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  readonly field?: string;

  constructor(code: string, zh: string, en: string, field?: string) {
    super(`${en} / ${zh}`);
    this.name = 'AppError';
    this.code = code;
    this.zh = zh;
    this.en = en;
    this.field = field;
  }

  /** One line for a terminal: English first, then Chinese, as the engine contracts ask. */
  toLine(): string {
    const where = this.field ? `${this.field}: ` : '';
    return `${where}${this.en} — ${this.zh}`;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
