import { QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiError } from "../api/client.ts";

/** Called when any query answers 401 (session over): set by the app at start-up. */
let onUnauthenticated: () => void = () => {};
export function setOnUnauthenticated(fn: () => void): void {
  onUnauthenticated = fn;
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (err, query) => {
      if (err instanceof ApiError && err.status === 401 && query.queryKey[0] !== "me") {
        onUnauthenticated();
      }
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, err) =>
        err instanceof ApiError && err.status > 0 && err.status < 500 ? false : count < 2,
    },
    mutations: { retry: false },
  },
});
