// The app's links: like next/link, but not prefetched unless asked for. A page of 50 rows would
// otherwise prefetch 50 patient pages as they scroll into view; a link that is the likely next
// step (the one button a page leads to) says prefetch={true}.
import NextLink from "next/link";
import type { ComponentProps } from "react";

export default function Link({ prefetch, ...props }: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={prefetch ?? false} {...props} />;
}
