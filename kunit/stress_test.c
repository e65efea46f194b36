// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit stress of the in-kernel API: kthreads set, get and remove values
 * of shared keys while another kthread creates keys whose hashes collide
 * with theirs, has every worker set a value under them, and destroys
 * them while the workers' lock-free gets walk the probe runs those
 * destroys rehash. Half of the keys are inheritable, and the workers
 * fork children (fake tasks, fake_task.c) that exit again, racing those
 * destroys too. Checked while it runs: a get returns the value its
 * thread last set there, or nothing after a remove; a child holds
 * child() of each inheritable value its parent held, and nothing of the
 * other shared keys. At the end: every destroy() was of a value that was
 * stored (or inherited) under that key, and each was destroyed exactly
 * once.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "../module/internal.h"
#include "tasklocal_kunit.h"

#define STRESS_WORKERS	8
#define STRESS_SHARED	8	/* keys every worker uses throughout */
#define STRESS_VICTIMS	8	/* keys made and destroyed each round */
#define STRESS_MSECS	4000
#define STRESS_MAX_ROUNDS 200
#define STRESS_FORK_EVERY 256	/* steps between a worker's forks */
#define STRESS_CHILDREN	16	/* exited children freed together */

/* A value: its key's index, its worker, a sequence number; never NULL. */
#define VAL(key, worker, seq) \
	((void *)((((unsigned long)(key) & 0xff) << 48) | \
		  (((unsigned long)(worker) & 0xff) << 40) | \
		  (((unsigned long)(seq) & 0xffffffffUL) << 1) | 1UL))
#define VAL_KEY(v)	(((unsigned long)(v) >> 48) & 0xff)
/* child() of a value: the same, marked */
#define VAL_CHILD(v)	((void *)((unsigned long)(v) | (1UL << 39)))

struct stress;

struct stress_key {
	struct tasklocal_key *key;
	struct stress *s;
	unsigned int index;
	atomic_long_t stored;		/* successful sets */
	atomic_long_t destroyed;	/* destroy() calls */
	atomic_long_t wrong_key;	/* destroy() of another key's value */
};

struct stress_worker {
	struct stress *s;
	struct task_struct *task;
	unsigned int nr;
	unsigned long gets, wrong;
	unsigned int gen;		/* victims' generation last seen */
	void *model[STRESS_SHARED];	/* what each shared key holds, or NULL */
	u32 seq;
	unsigned long forks, fork_wrong;
	struct task_struct *exited[STRESS_CHILDREN];	/* to free */
	unsigned int nr_exited;
};

struct stress {
	struct stress_key shared[STRESS_SHARED];
	struct stress_key victims[STRESS_VICTIMS];
	struct stress_worker workers[STRESS_WORKERS];
	atomic_t gen;			/* victims ready to be set under */
	atomic_t acked;			/* workers that set them this round */
	atomic_t set_failed;
	atomic_t destroy_rounds;
};

static void stress_destroy(struct tasklocal_key *key, void *value)
{
	struct stress_key *sk = tasklocal_key_data(key);

	atomic_long_inc(&sk->destroyed);
	if (VAL_KEY(value) != sk->index)
		atomic_long_inc(&sk->wrong_key);
}

/* Atomic context: under the parent's table lock, in the fork hook. */
static void *stress_child(struct tasklocal_key *key, void *value)
{
	struct stress_key *sk = tasklocal_key_data(key);

	atomic_long_inc(&sk->stored);
	return VAL_CHILD(value);
}

static const struct tasklocal_key_ops stress_ops = {
	.destroy = stress_destroy,
	.child = stress_child,
};

/* Keys of odd index are inherited. */
static bool stress_inherited(unsigned int index)
{
	return index & 1;
}

/* Every hash ends in 0x3: all home slots are 3 in a 16-slot table. */
static int stress_key_new(struct stress_key *sk, struct stress *s,
			  unsigned int index)
{
	sk->s = s;
	sk->index = index;
	sk->key = tl_key_alloc(&stress_ops, sk, 3 + 16 * (index + 1));
	if (IS_ERR(sk->key))
		return PTR_ERR(sk->key);
	sk->key->inherit = stress_inherited(index);
	return 0;
}

static void stress_set_victims(struct stress_worker *w)
{
	struct stress *s = w->s;
	unsigned int i;

	for (i = 0; i < STRESS_VICTIMS; i++) {
		struct stress_key *sk = &s->victims[i];

		if (tasklocal_set(sk->key, VAL(sk->index, w->nr, w->seq++),
				  GFP_KERNEL))
			atomic_inc(&s->set_failed);
		else
			atomic_long_inc(&sk->stored);
	}
}

static void stress_step(struct stress_worker *w)
{
	struct stress_key *sk;
	unsigned int i = get_random_u32_below(STRESS_SHARED);
	void *v;

	sk = &w->s->shared[i];
	switch (get_random_u32_below(8)) {
	case 0:
		v = VAL(sk->index, w->nr, w->seq++);
		if (tasklocal_set(sk->key, v, GFP_KERNEL)) {
			atomic_inc(&w->s->set_failed);
		} else {
			atomic_long_inc(&sk->stored);
			w->model[i] = v;
		}
		break;
	case 1:
		tasklocal_remove(sk->key);
		w->model[i] = NULL;
		break;
	default:
		w->gets++;
		if (tasklocal_get(sk->key) != w->model[i])
			w->wrong++;
		break;
	}
}

/* Free the children that exited: their tables are released first. */
static void stress_children_free(struct stress_worker *w)
{
	unsigned int i;

	tl_tables_flush();
	for (i = 0; i < w->nr_exited; i++)
		kfree(w->exited[i]);
	w->nr_exited = 0;
}

/*
 * Fork a child, check what it inherited of the shared keys, let it exit.
 * The victims' values it inherits, or not (they may be dying), are
 * counted by stress_child() and destroyed with the child's table.
 */
static void stress_fork(struct stress_worker *w)
{
	struct task_struct *child;
	unsigned int i;
	bool found;
	void *v;

	/*
	 * An inheritable value set just before: on PREEMPT_RT that set
	 * prepares what the fork needs (the last fork used it up, and the
	 * task work that refills it runs only when a kthread exits).
	 */
	i = 2 * get_random_u32_below(STRESS_SHARED / 2) + 1;
	v = VAL(i, w->nr, w->seq++);
	child = kzalloc(sizeof(*child), GFP_KERNEL);
	if (!child || tasklocal_set(w->s->shared[i].key, v, GFP_KERNEL)) {
		atomic_inc(&w->s->set_failed);
		kfree(child);
		return;
	}
	atomic_long_inc(&w->s->shared[i].stored);
	w->model[i] = v;
	tl_fake_task_init(child);
	tl_fake_task_fork(child);
	w->forks++;
	for (i = 0; i < STRESS_SHARED; i++) {
		void *want = stress_inherited(i) && w->model[i] ?
			     VAL_CHILD(w->model[i]) : NULL;

		v = tl_task_value(child, w->s->shared[i].key, &found);
		if (found != !!want || v != want)
			w->fork_wrong++;
	}
	tl_fake_task_exit(child);
	w->exited[w->nr_exited++] = child;
	if (w->nr_exited == STRESS_CHILDREN)
		stress_children_free(w);
}

static int stress_worker_fn(void *arg)
{
	struct stress_worker *w = arg;
	unsigned int gen;

	while (!kthread_should_stop()) {
		gen = atomic_read_acquire(&w->s->gen);
		if (gen != w->gen) {
			/* the victims live until every worker has acked */
			stress_set_victims(w);
			w->gen = gen;
			atomic_inc_return_release(&w->s->acked);
		}
		stress_step(w);
		if (!(w->gets & 63))
			cond_resched();
		if (!get_random_u32_below(STRESS_FORK_EVERY))
			stress_fork(w);
	}
	stress_children_free(w);
	return 0;
}

/* What a key's values went through, for the end. */
struct stress_tally {
	unsigned long stored, destroyed, wrong_key;
};

/* Destroy @sk's key (every value it still has goes) and count its values. */
static void stress_key_end(struct stress_key *sk, struct stress_tally *t)
{
	tasklocal_key_destroy(sk->key);
	t->stored += atomic_long_read(&sk->stored);
	t->destroyed += atomic_long_read(&sk->destroyed);
	t->wrong_key += atomic_long_read(&sk->wrong_key);
}

static bool stress_has_table(struct task_struct *task)
{
	bool has;

	rcu_read_lock();
	has = tl_table_find(task);
	rcu_read_unlock();
	return has;
}

static void tasklocal_stress_kthreads_race_destroys(struct kunit *test)
{
	unsigned long end = jiffies + msecs_to_jiffies(STRESS_MSECS);
	struct stress_tally tally = { };
	unsigned long gets = 0, wrong = 0, forks = 0, fork_wrong = 0;
	struct stress *s;
	unsigned int i, round;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < STRESS_SHARED; i++)
		KUNIT_ASSERT_EQ(test, 0, stress_key_new(&s->shared[i], s, i));
	for (i = 0; i < STRESS_WORKERS; i++) {
		s->workers[i].s = s;
		s->workers[i].nr = i;
		s->workers[i].task = kthread_run(stress_worker_fn,
						 &s->workers[i],
						 "tasklocal-stress/%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(s->workers[i].task));
		get_task_struct(s->workers[i].task);
	}

	for (round = 0; round < STRESS_MAX_ROUNDS &&
	     time_before(jiffies, end); round++) {
		for (i = 0; i < STRESS_VICTIMS; i++)
			KUNIT_ASSERT_EQ(test, 0,
					stress_key_new(&s->victims[i], s,
						       STRESS_SHARED + i));
		atomic_set(&s->acked, 0);
		atomic_inc_return_release(&s->gen);
		while (atomic_read_acquire(&s->acked) < STRESS_WORKERS)
			usleep_range(100, 200);
		/* the workers' gets walk the runs these destroys rehash */
		for (i = 0; i < STRESS_VICTIMS; i++) {
			stress_key_end(&s->victims[i], &tally);
			memset(&s->victims[i], 0, sizeof(s->victims[i]));
		}
		atomic_inc(&s->destroy_rounds);
	}

	for (i = 0; i < STRESS_WORKERS; i++) {
		struct task_struct *task = s->workers[i].task;

		kthread_stop(task);
		gets += s->workers[i].gets;
		wrong += s->workers[i].wrong;
		forks += s->workers[i].forks;
		fork_wrong += s->workers[i].fork_wrong;
		/* kthread_stop() returns before the exit hook runs */
		while (stress_has_table(task))
			usleep_range(1000, 2000);
		put_task_struct(task);
	}
	/* the workers' tables are released: their values destroyed */
	tl_tables_flush();
	for (i = 0; i < STRESS_SHARED; i++)
		stress_key_end(&s->shared[i], &tally);
	kunit_info(test, "%u workers, %u rounds of %u destroys, %lu gets, %lu forks, %lu values stored or inherited\n",
		   STRESS_WORKERS, round, STRESS_VICTIMS, gets, forks,
		   tally.stored);
	KUNIT_EXPECT_GT(test, round, 0U);
	KUNIT_EXPECT_GT(test, forks, 0UL);
	KUNIT_EXPECT_EQ(test, 0UL, wrong);
	KUNIT_EXPECT_EQ(test, 0UL, fork_wrong);
	KUNIT_EXPECT_EQ(test, 0UL, tally.wrong_key);
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&s->set_failed));
	KUNIT_EXPECT_EQ(test, tally.stored, tally.destroyed);
}

static struct kunit_case tasklocal_stress_cases[] = {
	KUNIT_CASE_SLOW(tasklocal_stress_kthreads_race_destroys),
	{}
};

struct kunit_suite tasklocal_stress_suite = {
	.name = "tasklocal_stress",
	.test_cases = tasklocal_stress_cases,
};
