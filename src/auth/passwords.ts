import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../domain/errors.ts';

/** argon2id with the library's defaults (m = 19 MiB, t = 2), OWASP's recommended minimum. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

export const PASSWORD_MIN_LENGTH = 10;

/** Password rules: at least 10 characters, letters and digits, not the sign-in name. */
export function checkPasswordRules(password: string, username: string): void {
  const fail = (zh: string, en: string) => {
    throw new AppError('auth.weak_password', zh, en, 'password');
  };
  if (password.length < PASSWORD_MIN_LENGTH) {
    fail(
      `密码至少 ${PASSWORD_MIN_LENGTH} 位`,
      `The password needs at least ${PASSWORD_MIN_LENGTH} characters`,
    );
  }
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) {
    fail('密码须同时包含字母和数字', 'The password needs both letters and digits');
  }
  if (password.toLowerCase().includes(username.toLowerCase())) {
    fail('密码不能包含登录名', 'The password must not contain the sign-in name');
  }
}
