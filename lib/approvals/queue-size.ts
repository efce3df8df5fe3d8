// How many requests each end of the reviewers' queue holds when more wait than fit on a page:
// the ones that expire soonest, and the newest (lib/approvals/requests.ts pendingQueue). Its own
// module so the console's queue can name the figure without importing the store.
export const QUEUE_END = 100;
