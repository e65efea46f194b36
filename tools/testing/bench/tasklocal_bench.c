// SPDX-License-Identifier: GPL-2.0-only
/*
 * tasklocal_bench: microbenchmarks of the tasklocal in-kernel API.
 *
 * Loaded after tasklocal.ko, it times tasklocal_get(), tasklocal_set()
 * and tasklocal_remove() with ktime_get_ns() over many iterations, each
 * table size (1, 16, 64, 256 and 1024 keys set) in a fresh kernel thread
 * of its own, so that every size starts from an empty table. In the same
 * run it times the baselines those figures are compared with: an empty
 * loop, a plain load from current, and a lookup of current in an RCU hash
 * table of its own with the parameters of the module's task registry.
 * Each figure is printed as one line,
 *
 *	tasklocal_bench: result NAME KEYS TOTAL_NS OPS
 *
 * which tools/testing/bench/run.sh turns into docs/BENCHMARKS.md. Every
 * key is destroyed before loading completes: the module then holds
 * nothing of tasklocal's and unloads at once.
 *
 * With mem_entries=N it measures nothing itself: it creates N keys and a
 * thread that sets them all (with mem_set=0, none) and keeps its table
 * until the module is unloaded, for userspace to read the slab counters.
 *
 * With sweep_tasks=N it times the sweeper (tasklocal's sweep_delay_ms,
 * which the caller sets): N idle kernel threads each hold a value of one
 * key, the key's last reference is put, and the time until the last of
 * the N values is destroyed is printed, with what a bystander thread's
 * gets of its own key cost meanwhile and before:
 *
 *	tasklocal_bench: result sweep N DEATH_TO_LAST_FREE_NS N
 *	tasklocal_bench: result sweep_get_quiet N TOTAL_NS OPS
 *	tasklocal_bench: result sweep_get_during N TOTAL_NS OPS
 *	tasklocal_bench: result sweep_get_worst N WORST_BATCH_NS BATCH
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/tasklocal.h>
#include <linux/timekeeping.h>
#include <linux/wait.h>

#include "../module/map.h"	/* struct sizes, for the memory figures */

static unsigned int get_iters = 100000;
module_param(get_iters, uint, 0444);
MODULE_PARM_DESC(get_iters, "Iterations of each get and baseline loop (default 100000)");

static unsigned int set_iters = 20000;
module_param(set_iters, uint, 0444);
MODULE_PARM_DESC(set_iters, "Iterations of each set and remove loop (default 20000)");

static unsigned int mem_entries;
module_param(mem_entries, uint, 0444);
MODULE_PARM_DESC(mem_entries, "Memory mode: keys one thread sets and holds until unload (default 0: timing mode)");

static bool mem_set = true;
module_param(mem_set, bool, 0444);
MODULE_PARM_DESC(mem_set, "Memory mode: set the keys (default), or only create them");

static unsigned int sweep_tasks;
module_param(sweep_tasks, uint, 0444);
MODULE_PARM_DESC(sweep_tasks, "Sweep mode: idle threads holding a value of the key that dies (default 0: timing mode)");

#define BENCH_MAX_KEYS		1024U	/* keys set in the largest table */
#define BENCH_MISS_KEYS		64U	/* never set: get misses */
#define BENCH_INSERT_KEYS	64U	/* inserted and removed again */
#define BENCH_KEYS		(BENCH_MAX_KEYS + BENCH_MISS_KEYS + \
				 BENCH_INSERT_KEYS)
#define BENCH_RHT_FILL		1024U	/* other tasks in the big registry */
#define BENCH_BATCH		1000U	/* set ops between reschedules */

static const unsigned int bench_sizes[] = { 1, 16, 64, 256, 1024 };

/* What the tables hold: values are opaque to keys without ops. */
static u64 bench_cookie;
#define BENCH_VALUE		((void *)&bench_cookie)

static struct tasklocal_key **bench_keys;	/* BENCH_KEYS, or mem_entries */
static unsigned int bench_nr_keys;
static struct task_struct *mem_holder;

/* Where every timed loop stores its result, so none is optimized away. */
static unsigned long bench_sink;

/* The baseline: a task registry of its own, as module/table.c has. */
struct bench_obj {
	struct rhash_head node;
	struct task_struct *task;
};

static const struct rhashtable_params bench_rht_params = {
	.key_len		= sizeof(struct task_struct *),
	.key_offset		= offsetof(struct bench_obj, task),
	.head_offset		= offsetof(struct bench_obj, node),
	.automatic_shrinking	= true,
};

/* One kernel thread's work, and how it went. */
struct bench_run {
	int (*fn)(struct bench_run *run);
	unsigned int nkeys;
	struct completion done;
	int err;
};

static void bench_report(const char *name, unsigned int nkeys, u64 ns,
			 u64 ops)
{
	pr_info("result %s %u %llu %llu\n", name, nkeys, ns, ops);
}

static struct tasklocal_key *set_key(unsigned int i)
{
	return bench_keys[i];
}

static struct tasklocal_key *miss_key(unsigned int i)
{
	return bench_keys[BENCH_MAX_KEYS + i % BENCH_MISS_KEYS];
}

static struct tasklocal_key *insert_key(unsigned int i)
{
	return bench_keys[BENCH_MAX_KEYS + BENCH_MISS_KEYS + i];
}

/*
 * The loops. Each is a function of its own, not inlined, so that the
 * compiler treats every one alike; each walks its keys round-robin
 * (@mask + 1 of them, a power of two), as the empty loop does too.
 */
static noinline u64 loop_empty(struct tasklocal_key **keys,
			       unsigned int mask, unsigned int n)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct tasklocal_key *key = keys[i & mask];

		WRITE_ONCE(bench_sink, (unsigned long)key);
	}
	return ktime_get_ns() - t0;
}

static noinline u64 loop_get(struct tasklocal_key **keys, unsigned int mask,
			     unsigned int n)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		void *v = tasklocal_get(keys[i & mask]);

		WRITE_ONCE(bench_sink, (unsigned long)v);
	}
	return ktime_get_ns() - t0;
}

static noinline u64 loop_pid(unsigned int n)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		pid_t pid = READ_ONCE(current->pid);

		WRITE_ONCE(bench_sink, (unsigned long)pid);
	}
	return ktime_get_ns() - t0;
}

static noinline u64 loop_ktime(unsigned int n)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		u64 t = ktime_get_ns();

		WRITE_ONCE(bench_sink, (unsigned long)t);
	}
	return ktime_get_ns() - t0;
}

/* A task's entry in @rht, found as module/table.c finds a task's table. */
static noinline struct bench_obj *rht_find(struct rhashtable *rht,
					   struct task_struct *task)
{
	return rhashtable_lookup(rht, &task, bench_rht_params);
}

static noinline u64 loop_rht(struct rhashtable *rht, unsigned int n)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct task_struct *task = NULL;
		struct bench_obj *o;

		rcu_read_lock();
		o = rht_find(rht, current);
		if (o)
			task = o->task;
		rcu_read_unlock();
		WRITE_ONCE(bench_sink, (unsigned long)task);
	}
	return ktime_get_ns() - t0;
}

/* Set @n values, @mask + 1 keys round-robin; reschedule between batches. */
static int loop_set(struct tasklocal_key **keys, unsigned int mask,
		    unsigned int n, u64 *ns)
{
	unsigned int i, done = 0;
	int err = 0;
	u64 t0;

	*ns = 0;
	while (done < n && !err) {
		unsigned int batch = min(n - done, BENCH_BATCH);

		t0 = ktime_get_ns();
		for (i = done; i < done + batch; i++) {
			err = tasklocal_set(keys[i & mask], BENCH_VALUE,
					    GFP_KERNEL);
			if (err)
				break;
		}
		*ns += ktime_get_ns() - t0;
		done += batch;
		cond_resched();
	}
	return err;
}

/* Remove a key's value and set it again, @n times round-robin. */
static int loop_remove_set(unsigned int mask, unsigned int n, u64 *ns)
{
	unsigned int i, done = 0;
	int err = 0;
	u64 t0;

	*ns = 0;
	while (done < n && !err) {
		unsigned int batch = min(n - done, BENCH_BATCH);

		t0 = ktime_get_ns();
		for (i = done; i < done + batch; i++) {
			struct tasklocal_key *key = set_key(i & mask);

			if (!tasklocal_remove(key)) {
				err = -ENOENT;
				break;
			}
			err = tasklocal_set(key, BENCH_VALUE, GFP_KERNEL);
			if (err)
				break;
		}
		*ns += ktime_get_ns() - t0;
		done += batch;
		cond_resched();
	}
	return err;
}

/*
 * Slots a table grown by inserting @nkeys keys one by one has, when none
 * is stale: ThreadLocalMap's policy (resize at len * 2 / 3 entries).
 */
static unsigned int table_len(unsigned int nkeys)
{
	unsigned int len = TLMAP_INITIAL_LEN;

	while (nkeys >= tlmap_threshold(len))
		len *= 2;
	return len;
}

/*
 * Insert @batch fresh keys (timed), then remove them (timed apart), so
 * the table stays below its resize threshold, until about @n inserts.
 */
static int loop_insert_remove(unsigned int batch, unsigned int n,
			      u64 *ins_ns, u64 *rm_ns, u64 *ops)
{
	unsigned int i;
	u64 t0, t1;
	int err = 0;

	*ins_ns = 0;
	*rm_ns = 0;
	*ops = 0;
	while (*ops < n && !err) {
		t0 = ktime_get_ns();
		for (i = 0; i < batch; i++) {
			err = tasklocal_set(insert_key(i), BENCH_VALUE,
					    GFP_KERNEL);
			if (err)
				break;
		}
		t1 = ktime_get_ns();
		*ins_ns += t1 - t0;
		if (err)
			break;
		for (i = 0; i < batch; i++) {
			if (!tasklocal_remove(insert_key(i))) {
				err = -ENOENT;
				break;
			}
		}
		*rm_ns += ktime_get_ns() - t1;
		*ops += batch;
		if (*ops % BENCH_BATCH < batch)
			cond_resched();
	}
	return err;
}

/* Baselines, in a task that has no table. */
static int bench_baselines(struct bench_run *run)
{
	struct bench_obj *objs, self = { .task = current };
	struct rhashtable small, big;
	unsigned int n = get_iters, i;
	int err;

	bench_report("ktime", 0, loop_ktime(n), n);
	bench_report("empty_loop", 0, loop_empty(bench_keys, 0, n), n);
	bench_report("pid_load", 0, loop_pid(n), n);
	/* Tasks with no table: every get misses the per-CPU cache. */
	bench_report("get_notable", 0, loop_get(bench_keys, 0, n), n);

	err = rhashtable_init(&small, &bench_rht_params);
	if (err)
		return err;
	err = rhashtable_insert_fast(&small, &self.node, bench_rht_params);
	if (!err)
		bench_report("rht_lookup", 1, loop_rht(&small, n), n);
	rhashtable_destroy(&small);
	if (err)
		return err;

	objs = kcalloc(BENCH_RHT_FILL, sizeof(*objs), GFP_KERNEL);
	if (!objs)
		return -ENOMEM;
	err = rhashtable_init(&big, &bench_rht_params);
	if (err)
		goto free_objs;
	err = rhashtable_insert_fast(&big, &self.node, bench_rht_params);
	for (i = 1; i < BENCH_RHT_FILL && !err; i++) {
		/* keys only: never dereferenced */
		objs[i].task = (struct task_struct *)&objs[i];
		err = rhashtable_insert_fast(&big, &objs[i].node,
					     bench_rht_params);
	}
	if (!err) {
		msleep(50);	/* let the deferred resize finish */
		bench_report("rht_lookup", BENCH_RHT_FILL, loop_rht(&big, n),
			     n);
	}
	rhashtable_destroy(&big);
free_objs:
	kfree(objs);
	return err;
}

/* Every operation on a table of @run->nkeys keys, built from empty. */
static int bench_table(struct bench_run *run)
{
	unsigned int nkeys = run->nkeys, mask = nkeys - 1, batch;
	u64 ns, ns2, ops;
	int err;

	/* From empty: table creation and every resize, amortized. */
	err = loop_set(bench_keys, mask, nkeys, &ns);
	if (err)
		return err;
	bench_report("set_fill", nkeys, ns, nkeys);

	bench_report("empty_loop", nkeys, loop_empty(bench_keys, mask,
						     get_iters), get_iters);
	bench_report("get_hit", nkeys, loop_get(bench_keys, mask, get_iters),
		     get_iters);
	bench_report("get_miss", nkeys,
		     loop_get(&bench_keys[BENCH_MAX_KEYS], BENCH_MISS_KEYS - 1,
			      get_iters), get_iters);

	err = loop_set(bench_keys, mask, set_iters, &ns);
	if (err)
		return err;
	bench_report("set_replace", nkeys, ns, set_iters);

	/* Stay below the resize threshold: size + batch < len * 2 / 3. */
	batch = min(BENCH_INSERT_KEYS,
		    tlmap_threshold(table_len(nkeys)) - nkeys - 1);
	err = loop_insert_remove(batch, set_iters, &ns, &ns2, &ops);
	if (err)
		return err;
	bench_report("set_insert", nkeys, ns, ops);
	bench_report("remove", nkeys, ns2, ops);
	/* each batch was timed by two ktime_get_ns() calls */
	bench_report("insert_batches", nkeys, ops / batch, batch);

	err = loop_remove_set(mask, set_iters, &ns);
	if (err)
		return err;
	bench_report("remove_set", nkeys, ns, set_iters);

	if (!tasklocal_get(miss_key(0)) && tasklocal_get(set_key(mask)))
		return 0;
	return -EIO;	/* the table does not hold what was set */
}

/*
 * Memory mode: set every key (unless !mem_set: the thread is there all
 * the same, so that both measurements count it), then hold the table.
 */
static int bench_mem_fill(struct bench_run *run)
{
	unsigned int i;
	int err;

	for (i = 0; i < bench_nr_keys && mem_set; i++) {
		err = tasklocal_set(bench_keys[i], BENCH_VALUE, GFP_KERNEL);
		if (err)
			return err;
		if (i % BENCH_BATCH == 0)
			cond_resched();
	}
	return 0;
}

/* Sleep, never touching the table again, until kthread_stop(). */
static int bench_idle(void)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static int bench_thread(void *arg)
{
	struct bench_run *run = arg;

	run->err = run->fn(run);
	complete(&run->done);
	/* kthread_stop() ends us; the exit hook frees the table. */
	return bench_idle();
}

/*
 * Run @fn in a new kernel thread; wait for it. With @keep, the thread
 * stays (holding its table) and is returned in *@keep.
 */
static int bench_in_thread(int (*fn)(struct bench_run *run),
			   unsigned int nkeys, struct task_struct **keep)
{
	struct bench_run run = { .fn = fn, .nkeys = nkeys };
	struct task_struct *task;

	init_completion(&run.done);
	task = kthread_run(bench_thread, &run, "tlbench/%u", nkeys);
	if (IS_ERR(task))
		return PTR_ERR(task);
	wait_for_completion(&run.done);
	if (run.err || !keep)
		kthread_stop(task);
	else
		*keep = task;
	return run.err;
}

static void bench_keys_free(bool destroy)
{
	unsigned int i;

	for (i = 0; i < bench_nr_keys; i++) {
		if (destroy)
			tasklocal_key_destroy(bench_keys[i]);
		else
			tasklocal_key_put(bench_keys[i]);
	}
	kfree(bench_keys);
	bench_keys = NULL;
	bench_nr_keys = 0;
}

static int bench_keys_create(unsigned int n)
{
	struct tasklocal_key *key;

	bench_keys = kcalloc(n, sizeof(*bench_keys), GFP_KERNEL);
	if (!bench_keys)
		return -ENOMEM;
	for (bench_nr_keys = 0; bench_nr_keys < n; bench_nr_keys++) {
		key = tasklocal_key_create(NULL, NULL);
		if (IS_ERR(key)) {
			bench_keys_free(true);
			return PTR_ERR(key);
		}
		bench_keys[bench_nr_keys] = key;
		if (bench_nr_keys % BENCH_BATCH == 0)
			cond_resched();
	}
	return 0;
}

/* What an entry and a slot array cost, as the allocator rounds them. */
static void bench_report_sizes(void)
{
	struct tlmap_slots *s;
	unsigned int len;

	pr_info("size entry %zu %zu\n", sizeof(struct tlmap_entry),
		kmalloc_size_roundup(sizeof(struct tlmap_entry)));
	/* a header, and the pointers allocated apart (kvcalloc) */
	for (len = TLMAP_INITIAL_LEN; len <= 16384; len *= 2)
		pr_info("size slots %u %zu %zu\n", len,
			sizeof(*s) + len * sizeof(*s->slot),
			kmalloc_size_roundup(sizeof(*s)) +
			kmalloc_size_roundup(len * sizeof(*s->slot)));
}

static int bench_timing(void)
{
	unsigned int i;
	int err;

	err = bench_keys_create(BENCH_KEYS);
	if (err)
		return err;
	pr_info("start get_iters=%u set_iters=%u\n", get_iters, set_iters);
	err = bench_in_thread(bench_baselines, 0, NULL);
	for (i = 0; i < ARRAY_SIZE(bench_sizes) && !err; i++)
		err = bench_in_thread(bench_table, bench_sizes[i], NULL);
	bench_keys_free(true);
	return err;
}

static int bench_mem(void)
{
	int err;

	err = bench_keys_create(mem_entries);
	if (err)
		return err;
	err = bench_in_thread(bench_mem_fill, mem_entries, &mem_holder);
	if (err) {
		bench_keys_free(true);
		return err;
	}
	pr_info("mem ready keys=%u set=%d\n", mem_entries, mem_set);
	return 0;
}

/* Sweep mode: the holders' key, and the bystander's view of the sweep. */
#define SWEEP_BATCH	100U		/* a bystander's gets, timed together */

static atomic_t sweep_started, sweep_set, sweep_destroyed;
static DECLARE_COMPLETION(sweep_all_destroyed);
static DECLARE_COMPLETION(sweep_bystander_ready);
static DECLARE_WAIT_QUEUE_HEAD(sweep_wq);
static atomic_t sweep_phase;		/* 0 quiet, 1 during, 2 stop */

struct sweep_tally {
	u64 ns, ops, worst;
};

static void sweep_destroy(struct tasklocal_key *key, void *value)
{
	if (atomic_inc_return(&sweep_destroyed) == sweep_tasks)
		complete(&sweep_all_destroyed);
}

static const struct tasklocal_key_ops sweep_ops = {
	.destroy = sweep_destroy,
};

static int sweep_holder(void *key)
{
	if (!tasklocal_set(key, BENCH_VALUE, GFP_KERNEL))
		atomic_inc(&sweep_set);
	atomic_inc(&sweep_started);
	wake_up(&sweep_wq);
	return bench_idle();
}

/* Gets of a key of its own, SWEEP_BATCH at a time, about every 0.5 ms. */
static int sweep_bystander(void *arg)
{
	struct sweep_tally *tally = arg;	/* [0] quiet, [1] during */
	struct tasklocal_key *own = tasklocal_key_create(NULL, NULL);
	unsigned int i, phase;
	u64 t0, dt;

	if (IS_ERR(own) || tasklocal_set(own, BENCH_VALUE, GFP_KERNEL)) {
		complete(&sweep_bystander_ready);
		goto out;
	}
	complete(&sweep_bystander_ready);
	while ((phase = atomic_read(&sweep_phase)) < 2) {
		t0 = ktime_get_ns();
		for (i = 0; i < SWEEP_BATCH; i++)
			bench_sink += (unsigned long)tasklocal_get(own);
		dt = ktime_get_ns() - t0;
		tally[phase].ns += dt;
		tally[phase].ops += SWEEP_BATCH;
		tally[phase].worst = max(tally[phase].worst, dt);
		usleep_range(500, 1000);
	}
out:
	if (!IS_ERR(own))
		tasklocal_key_destroy(own);
	return bench_idle();
}

static int bench_sweep(void)
{
	struct tasklocal_key *key = tasklocal_key_create(&sweep_ops, NULL);
	struct sweep_tally tally[2] = { };
	struct task_struct **holders, *bystander;
	unsigned int i, n = 0;
	u64 t0, ns;
	int err = 0;

	if (IS_ERR(key))
		return PTR_ERR(key);
	holders = kvcalloc(sweep_tasks, sizeof(*holders), GFP_KERNEL);
	if (!holders) {
		tasklocal_key_destroy(key);
		return -ENOMEM;
	}
	for (n = 0; n < sweep_tasks; n++) {
		holders[n] = kthread_run(sweep_holder, key, "tlsweep/%u", n);
		if (IS_ERR(holders[n])) {
			err = PTR_ERR(holders[n]);
			break;
		}
	}
	wait_event(sweep_wq, atomic_read(&sweep_started) == n);
	if (err || n != sweep_tasks || atomic_read(&sweep_set) != n) {
		err = err ?: -EIO;
		tasklocal_key_destroy(key);
		goto stop;
	}
	pr_info("sweep ready tasks=%u\n", n);
	bystander = kthread_run(sweep_bystander, tally, "tlsweep/by");
	if (IS_ERR(bystander)) {
		err = PTR_ERR(bystander);
		tasklocal_key_destroy(key);
		goto stop;
	}
	wait_for_completion(&sweep_bystander_ready);
	msleep(200);			/* the quiet phase */
	atomic_set(&sweep_phase, 1);
	t0 = ktime_get_ns();
	tasklocal_key_put(key);		/* the sweeper takes it from here */
	wait_for_completion(&sweep_all_destroyed);
	ns = ktime_get_ns() - t0;
	atomic_set(&sweep_phase, 2);
	kthread_stop(bystander);
	bench_report("sweep", n, ns, n);
	bench_report("sweep_get_quiet", n, tally[0].ns, tally[0].ops);
	bench_report("sweep_get_during", n, tally[1].ns, tally[1].ops);
	bench_report("sweep_get_worst", n, tally[1].worst, SWEEP_BATCH);
stop:
	for (i = 0; i < n; i++)
		kthread_stop(holders[i]);
	kvfree(holders);
	return err;
}

static int __init tasklocal_bench_init(void)
{
	int err;

	if (!get_iters || !set_iters)
		return -EINVAL;
	bench_report_sizes();
	if (mem_entries)
		return bench_mem();
	if (sweep_tasks) {
		err = bench_sweep();
		if (err)
			pr_err("sweep failed: %d\n", err);
		return err;
	}
	err = bench_timing();
	if (err)
		pr_err("failed: %d\n", err);
	else
		pr_info("done\n");
	return err;
}

static void __exit tasklocal_bench_exit(void)
{
	if (mem_holder)
		kthread_stop(mem_holder);
	/*
	 * Memory mode's keys have no ops, and the thread that set them has
	 * exited: their entries go with its table, and destroying 10,000
	 * keys one grace period each would take minutes. Timing mode has
	 * destroyed its keys already.
	 */
	if (bench_keys)
		bench_keys_free(false);
}

module_init(tasklocal_bench_init);
module_exit(tasklocal_bench_exit);

MODULE_DESCRIPTION("tasklocal microbenchmarks");
MODULE_LICENSE("GPL");
