// The signed-in staff member, as the gateway's /auth endpoints report it.
// The session's tokens live in HttpOnly cookies the page cannot read; what
// the page knows is who is signed in and with which roles, to show only the
// controls those roles may use. The services still decide every call.

import { call } from "./api";

export interface Account {
  name: string; // accounts/{login}
  display_name: string;
  roles?: string[];
  organizations?: string[];
  all_organizations?: boolean;
  totp_enabled?: boolean;
  password_must_change?: boolean;
}

interface SessionAnswer {
  account?: Account; // absent when nobody is signed in
  password_must_change?: boolean;
  expire_time?: string;
}

let current: Account | null | undefined; // undefined: not asked yet

export function login(account: Account): string {
  return account.name.replace(/^accounts\//, "");
}

export function hasRole(account: Account | null, ...roles: string[]): boolean {
  return !!account?.roles?.some((role) => roles.includes(role));
}

// The organizations the account works for; `all` when it covers every one.
export function organizationsOf(account: Account): string[] | "all" {
  return account.all_organizations ? "all" : (account.organizations ?? []);
}

// Who is signed in, or null. Asked once per page load.
export async function currentAccount(): Promise<Account | null> {
  if (current !== undefined) return current;
  const answer = await call<SessionAnswer>("GET", "/auth/session");
  current = answer.account
    ? { ...answer.account, password_must_change: answer.password_must_change }
    : null;
  return current;
}

export async function signIn(
  loginName: string,
  password: string,
  totpCode: string,
): Promise<Account> {
  const answer = await call<SessionAnswer>("POST", "/auth/signIn", {
    login: loginName,
    password,
    totp_code: totpCode || undefined,
  });
  const account: Account = {
    ...(answer.account as Account),
    password_must_change: answer.password_must_change,
  };
  current = account;
  return account;
}

export async function signOut(): Promise<void> {
  await call("POST", "/auth/signOut", {});
  current = null;
}

export function forget(): void {
  current = null;
}

// After ChangePassword: the session's access token still carries the
// one-time password's restriction (the services refuse all but
// ChangePassword with it), so ask the gateway for a fresh one.
export async function changedPassword(): Promise<void> {
  current = undefined;
  await currentAccount();
}
