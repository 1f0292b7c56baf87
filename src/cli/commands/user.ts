import readline from 'node:readline';
import type { Command } from 'commander';
import { ROLES, type Role } from '../../auth/roles.ts';
import { createUser, findUserByName, listUsers, setPassword } from '../../auth/users.ts';
import { AppError } from '../../domain/errors.ts';
import { withStore } from '../store-session.ts';

/** Reads a password: hidden prompt (twice) on a terminal, otherwise the first line of standard input. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = readline.createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line.trim();
    }
    throw new AppError('user.no_password', '标准输入中没有密码', 'No password on standard input', 'password');
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      const out = rl as unknown as { _writeToOutput: (s: string) => void };
      out._writeToOutput = (s: string) => {
        if (s.includes(prompt)) process.stderr.write(prompt);
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
    });
  const a = await ask('密码 / password: ');
  const b = await ask('再输入一次 / again: ');
  if (a !== b)
    throw new AppError(
      'user.password_mismatch',
      '两次输入的密码不一致',
      'The two passwords differ',
      'password',
    );
  return a;
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('用户账号 / user accounts');

  user
    .command('create')
    .description(
      '新建用户（例如部署后的第一个管理员）；密码从终端输入或标准输入读取 / create a user (e.g. the first administrator); the password is read from the terminal or standard input',
    )
    .requiredOption('--role <ROLE>', `角色 / role: ${ROLES.join(', ')}`)
    .requiredOption('--username <NAME>', '登录名 / sign-in name')
    .option('--name <DISPLAY>', '姓名 / display name')
    .option(
      '--region <CODE>',
      '市级角色填市代码，县区账号填县代码 / city code for city roles, county code for county staff',
    )
    .option('--school <CODE>', '学校账号的学校代码 / school code for school staff')
    .action(
      async (o: { role: string; username: string; name?: string; region?: string; school?: string }) => {
        if (!ROLES.includes(o.role as Role)) {
          throw new AppError(
            'user.bad_role',
            `未知角色 ${o.role}，可选：${ROLES.join('、')}`,
            `Unknown role ${o.role}; one of ${ROLES.join(', ')}`,
            '--role',
          );
        }
        const password = await readPassword();
        await withStore(async (store) => {
          const u = await createUser(store.db, {
            username: o.username,
            displayName: o.name ?? o.username,
            password,
            role: o.role as Role,
            regionCode: o.region ?? null,
            schoolCode: o.school ?? null,
          });
          console.log(`已创建用户 / created user ${u.username} (${u.role})`);
        });
      },
    );

  user
    .command('reset-password')
    .argument('<USERNAME>', '登录名 / sign-in name')
    .description(
      '重置密码并结束其所有会话，下次登录须修改 / reset a password, end all sessions, require a change at next sign-in',
    )
    .action(async (username: string) => {
      const password = await readPassword();
      await withStore(async (store) => {
        const u = await findUserByName(store.db, username);
        if (!u)
          throw new AppError('user.not_found', `没有用户 ${username}`, `No user ${username}`, 'USERNAME');
        await setPassword(store.db, u.id, password, true);
        console.log(`已重置 / reset ${username}`);
      });
    });

  user
    .command('list')
    .description('列出用户 / list users')
    .action(async () => {
      await withStore(async (store) => {
        for (const u of await listUsers(store.db)) {
          console.log(
            [
              u.username,
              u.role,
              u.region_code ?? '',
              u.school_id ?? '',
              u.active ? '' : '（停用 / inactive）',
            ].join('\t'),
          );
        }
      });
    });
}
