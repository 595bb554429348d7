-- rollup_day_actives (migration 007: each UTC day's exact set of active people) is no longer read
-- by any metric since DAU/WAU/MAU became a sliding window over rollup_actor_day, yet its view
-- cost every insert a uniqExact state per (org, day) (bench/view-cost.ts). Dropped with its view;
-- erasure no longer has to rebuild its days.
DROP VIEW IF EXISTS rollup_day_actives_mv;

DROP TABLE IF EXISTS rollup_day_actives;
