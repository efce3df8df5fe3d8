// How many requests each end of the reviewers' queue holds when more wait than fit on a page:
// the ones that expire soonest, and the newest (lib/approvals/requests.ts pendingQueue). Its own
// module so the console's queue can name the figure without importing the store.
export const QUEUE_END = 100;

// The queue counts what waits up to this many and then says "10,000+": a count walks every
// matching index entry, and the queue is read every 2 s by every open tab (on PGlite, with
// nothing else using the database meanwhile; 100,000 pending took 20–30 ms a count).
export const WAITING_CAP = 10_000;
