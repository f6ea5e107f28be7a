import type { Role, StaffUser } from "@kaveret/contracts";

export interface UserPage {
  items: StaffUser[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Invitation {
  id: string;
  email: string;
  name: string;
  role: Role;
  communityIds: string[];
  status: "pending" | "accepted" | "expired" | "revoked";
  expiresAt: string;
  createdAt: string;
}

export const USERS_PAGE_SIZE = 25;
