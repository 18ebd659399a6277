// The public organization directory (SearchOrganizations).

import { call, OrganizationRef } from "./api";

interface SearchResponse {
  organizations?: OrganizationRef[];
  next_page_token?: string;
}

export async function searchOrganizations(
  query: string,
  signal?: AbortSignal,
): Promise<OrganizationRef[]> {
  const response = await call<SearchResponse>(
    "GET",
    "/v1/organizations:search",
    undefined,
    { query: { query, page_size: 20 }, signal },
  );
  return response.organizations ?? [];
}

// The organization with exactly this code, or undefined.
export async function findOrganization(
  code: string,
): Promise<OrganizationRef | undefined> {
  const found = await searchOrganizations(code);
  return found.find((organization) => organization.code === code);
}

export function isOrganizationCode(text: string | null): text is string {
  return text !== null && /^[A-Za-z0-9_-]{1,32}$/.test(text);
}
