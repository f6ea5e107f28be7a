import type { ErrorCode } from "@kaveret/contracts";

/** The one error type of the server. Codes are stable; messages are English for API users. */
export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    public readonly status: number,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what = "resource") => new AppError("not_found", 404, `${what} not found`);
export const forbidden = (message = "You may not do this") =>
  new AppError("forbidden", 403, message);
export const unauthenticated = () => new AppError("unauthenticated", 401, "Sign in first");
export const versionConflict = (current: unknown) =>
  new AppError(
    "version_conflict",
    409,
    "The record changed since you loaded it; reload and apply your edit again",
    { current },
  );
