"use client";

import NextLink from "next/link";
import { useRouter } from "next/navigation";
import type { ComponentProps } from "react";

type Props = Omit<ComponentProps<typeof NextLink>, "href" | "prefetch"> & { href: string };

/*
 * The console's links prefetch on intent (hover or focus), not on sight. Next.js prefetches every
 * link in view, so each page load rendered the other sections on the server at once (the
 * overview alone asked for 25), on the event loop that answers agents' decisions. Walking nine
 * pages at 40 decisions/s on the embedded store, the decisions slower than 100 ms went from a
 * median of 9 a walk to 3 (docs/BENCHMARKS.md §7a). A hover still gives the page a head start.
 */
export function Link({ href, onMouseEnter, onFocus, ...props }: Props) {
  const router = useRouter();
  const prefetch = () => {
    if (href.startsWith("/")) router.prefetch(href);
  };
  return (
    <NextLink
      {...props}
      href={href}
      prefetch={false}
      onMouseEnter={(e) => {
        prefetch();
        onMouseEnter?.(e);
      }}
      onFocus={(e) => {
        prefetch();
        onFocus?.(e);
      }}
    />
  );
}
