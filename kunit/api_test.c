// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the in-kernel API on real tasks' tables: the test's own
 * kthread (each test case runs in a fresh one, whose table the exit hook
 * frees) and kthreads the tests start.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched/task.h>
#include <linux/task_work.h>

#include "../module/internal.h"
#include "tasklocal_kunit.h"

/* Values are counters' addresses or small integers; destroy counts. */
struct counts {
	atomic_t destroyed;
	atomic_t initial;
	long last_destroyed;
	struct completion exit_destroyed;
	int set_at_exit_err;
	struct tasklocal_key *set_at_exit_key;
	struct completion late_done;
	struct task_struct *destroyer;
};

static void counting_destroy(struct tasklocal_key *key, void *value)
{
	struct counts *c = tasklocal_key_data(key);

	atomic_inc(&c->destroyed);
	c->last_destroyed = (long)value;
}

static void *counting_initial(struct tasklocal_key *key)
{
	struct counts *c = tasklocal_key_data(key);

	return (void *)(long)(100 + atomic_inc_return(&c->initial));
}

static const struct tasklocal_key_ops counting_ops = {
	.destroy = counting_destroy,
};

static const struct tasklocal_key_ops initial_ops = {
	.initial = counting_initial,
	.destroy = counting_destroy,
};

static struct counts *counts_new(struct kunit *test)
{
	struct counts *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	init_completion(&c->exit_destroyed);
	init_completion(&c->late_done);
	return c;
}

static void key_destroy_action(void *key)
{
	tasklocal_key_destroy(key);
}

static struct tasklocal_key *key_new(struct kunit *test,
				     const struct tasklocal_key_ops *ops,
				     struct counts *c)
{
	struct tasklocal_key *key = tasklocal_key_create(ops, c);

	KUNIT_ASSERT_FALSE(test, IS_ERR(key));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, key_destroy_action,
						  key));
	return key;
}

static void tasklocal_api_set_get_remove(struct kunit *test)
{
	struct counts *c = counts_new(test);
	struct tasklocal_key *key = key_new(test, &counting_ops, c);

	KUNIT_EXPECT_NULL(test, tasklocal_get(key));
	KUNIT_EXPECT_EQ(test, 0, tasklocal_set(key, (void *)7L, GFP_KERNEL));
	KUNIT_EXPECT_PTR_EQ(test, (void *)7L, tasklocal_get(key));
	KUNIT_EXPECT_TRUE(test, tasklocal_remove(key));
	KUNIT_EXPECT_NULL(test, tasklocal_get(key));
	KUNIT_EXPECT_FALSE(test, tasklocal_remove(key));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&c->destroyed));
	KUNIT_EXPECT_EQ(test, 7, c->last_destroyed);
}

static void tasklocal_api_values_are_per_task(struct kunit *test)
{
	struct counts *c = counts_new(test);
	struct tasklocal_key *key = key_new(test, &counting_ops, c);
	struct tl_table *t;

	KUNIT_ASSERT_EQ(test, 0, tasklocal_set(key, (void *)1L, GFP_KERNEL));
	rcu_read_lock();
	t = tl_table_find(current);
	KUNIT_EXPECT_NOT_NULL(test, t);
	if (t)
		KUNIT_EXPECT_EQ(test, current->pid, t->pid);
	rcu_read_unlock();
}

static void tasklocal_api_initial_value_stored_once(struct kunit *test)
{
	struct counts *c = counts_new(test);
	struct tasklocal_key *key = key_new(test, &initial_ops, c);

	KUNIT_EXPECT_PTR_EQ(test, (void *)101L, tasklocal_get(key));
	KUNIT_EXPECT_PTR_EQ(test, (void *)101L, tasklocal_get(key));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&c->initial));
	KUNIT_EXPECT_TRUE(test, tasklocal_remove(key));
	/* After remove, initial() runs again, like Java's get(). */
	KUNIT_EXPECT_PTR_EQ(test, (void *)102L, tasklocal_get(key));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&c->destroyed));
}

static void tasklocal_api_destroy_once_on_replace(struct kunit *test)
{
	struct counts *c = counts_new(test);
	struct tasklocal_key *key = key_new(test, &counting_ops, c);

	KUNIT_ASSERT_EQ(test, 0, tasklocal_set(key, (void *)1L, GFP_KERNEL));
	KUNIT_ASSERT_EQ(test, 0, tasklocal_set(key, (void *)2L, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&c->destroyed));
	KUNIT_EXPECT_EQ(test, 1, c->last_destroyed);
	KUNIT_EXPECT_PTR_EQ(test, (void *)2L, tasklocal_get(key));
}

static void tasklocal_api_destroy_once_on_expunge(struct kunit *test)
{
	struct counts *c = counts_new(test);
	struct tasklocal_key *dying, *other;

	/* dying at home 4, other probing past it from home 4 */
	dying = tl_key_alloc(&counting_ops, c, 4);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dying));
	other = tl_key_alloc(&counting_ops, c, 4 + 16);
	KUNIT_ASSERT_FALSE(test, IS_ERR(other));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, key_destroy_action,
						  other));

	KUNIT_ASSERT_EQ(test, 0, tasklocal_set(dying, (void *)1L, GFP_KERNEL));
	KUNIT_ASSERT_EQ(test, 0, tasklocal_set(other, (void *)2L, GFP_KERNEL));
	tasklocal_key_put(dying);	/* [4:x][5:other] */
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&c->destroyed));
	/* get(other) meets the stale entry: the locked path expunges it */
	KUNIT_EXPECT_PTR_EQ(test, (void *)2L, tasklocal_get(other));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&c->destroyed));
	KUNIT_EXPECT_EQ(test, 1, c->last_destroyed);
	KUNIT_EXPECT_PTR_EQ(test, (void *)2L, tasklocal_get(other));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&c->destroyed));
}

static void tasklocal_api_set_dead_key_fails(struct kunit *test)
{
	struct counts *c = counts_new(test);
	struct tasklocal_key *key = key_new(test, &counting_ops, c);

	tl_key_kill(key);
	KUNIT_EXPECT_EQ(test, -ENOENT,
			tasklocal_set(key, (void *)1L, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&c->destroyed));
}

/*
 * STATS and KEY_LIST count keys with counters, not by walking them: a key
 * destroyed (tasklocal_key_destroy() announces no death: nothing is left
 * to sweep) or killed leaves them exact.
 */
static void tasklocal_api_key_counts_stay_exact(struct kunit *test)
{
	u64 alive0, dead0, alive, dead;
	struct tasklocal_key *key;

	tl_keys_count(&alive0, &dead0);
	key = tasklocal_key_create(NULL, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(key));
	tl_keys_count(&alive, &dead);
	KUNIT_EXPECT_EQ(test, alive, alive0 + 1);
	KUNIT_EXPECT_EQ(test, dead, dead0);
	tasklocal_key_destroy(key);
	tl_keys_count(&alive, &dead);
	KUNIT_EXPECT_EQ(test, alive, alive0);
	KUNIT_EXPECT_EQ(test, dead, dead0);

	key = key_new(test, NULL, NULL);
	tl_key_kill(key);	/* dead, not yet freed: destroyed at the end */
	tl_keys_count(&alive, &dead);
	KUNIT_EXPECT_EQ(test, alive, alive0);
	KUNIT_EXPECT_EQ(test, dead, dead0 + 1);
}

/*
 * Task work queued by a kthread on itself runs in do_exit() after the
 * exit hook: a set from there must be refused, creating no table.
 */
struct late_set {
	struct callback_head work;
	struct counts *c;
};

/* A task that sets values, then waits to be stopped (or just exits). */
struct setter {
	struct tasklocal_key *key;
	struct tasklocal_key *key2;
	long value;
	int err;
	bool wait;
	struct completion ready;
	struct late_set late;
};

static int setter_fn(void *arg)
{
	struct setter *s = arg;

	s->err = tasklocal_set(s->key, (void *)s->value, GFP_KERNEL);
	if (!s->err && s->key2)
		s->err = tasklocal_set(s->key2, (void *)(s->value + 1),
				       GFP_KERNEL);
	complete(&s->ready);
	while (s->wait && !kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/* At exit, destroy() runs after the task is gone, in the release worker. */
static void exit_destroy(struct tasklocal_key *key, void *value)
{
	struct counts *c = tasklocal_key_data(key);

	counting_destroy(key, value);
	c->destroyer = current;
	complete(&c->exit_destroyed);
}

static const struct tasklocal_key_ops exit_ops = {
	.destroy = exit_destroy,
};

static void late_set_fn(struct callback_head *work)
{
	struct late_set *ls = container_of(work, struct late_set, work);
	struct counts *c = ls->c;

	c->set_at_exit_err = tasklocal_set(c->set_at_exit_key, (void *)9L,
					   GFP_KERNEL);
	complete(&c->late_done);
}

static int exiting_setter_fn(void *arg)
{
	struct setter *s = arg;

	init_task_work(&s->late.work, late_set_fn);
	s->err = task_work_add(current, &s->late.work, TWA_NONE);
	if (!s->err)
		s->err = tasklocal_set(s->key, (void *)s->value, GFP_KERNEL);
	complete(&s->ready);
	return 0;
}

static void tasklocal_api_exit_hook_frees_table(struct kunit *test)
{
	struct counts *c = counts_new(test);
	struct tasklocal_key *key = key_new(test, &exit_ops, c);
	struct tasklocal_key *late = key_new(test, &counting_ops, c);
	struct setter s = { .key = key, .value = 5 };
	struct task_struct *task;

	c->set_at_exit_key = late;
	c->set_at_exit_err = 1;
	s.late.c = c;
	init_completion(&s.ready);
	task = kthread_create(exiting_setter_fn, &s, "tasklocal-exit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	get_task_struct(task);
	wake_up_process(task);
	KUNIT_ASSERT_NE(test, 0UL,
			wait_for_completion_timeout(&s.ready, 10 * HZ));
	KUNIT_EXPECT_EQ(test, 0, s.err);
	/* The thread returns, exits; its exit hook unlinks the table. */
	KUNIT_EXPECT_NE(test, 0UL,
			wait_for_completion_timeout(&c->late_done, 10 * HZ));
	KUNIT_EXPECT_EQ(test, -ESRCH, c->set_at_exit_err);
	/* and the release worker destroys the value */
	KUNIT_EXPECT_NE(test, 0UL,
			wait_for_completion_timeout(&c->exit_destroyed,
						    10 * HZ));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&c->destroyed));
	KUNIT_EXPECT_EQ(test, 5, c->last_destroyed);
	KUNIT_ASSERT_NOT_NULL(test, c->destroyer);
	KUNIT_EXPECT_PTR_NE(test, task, c->destroyer);
	KUNIT_EXPECT_TRUE(test, c->destroyer->flags & PF_WQ_WORKER);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, tl_table_find(task));
	rcu_read_unlock();
	put_task_struct(task);
}

static void tasklocal_api_key_destroy_removes_everywhere(struct kunit *test)
{
	struct counts *c = counts_new(test);
	struct tasklocal_key *key = tasklocal_key_create(&counting_ops, c);
	struct tasklocal_key *kept = key_new(test, &counting_ops, c);
	struct setter s[3];
	struct task_struct *task[3];
	int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(key));
	for (i = 0; i < 3; i++) {
		s[i] = (struct setter){ .key = key, .key2 = kept,
					.value = 10 * (i + 1), .wait = true };
		init_completion(&s[i].ready);
		task[i] = kthread_run(setter_fn, &s[i], "tasklocal-kd%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(task[i]));
		KUNIT_ASSERT_NE(test, 0UL,
				wait_for_completion_timeout(&s[i].ready,
							    10 * HZ));
		KUNIT_EXPECT_EQ(test, 0, s[i].err);
	}
	KUNIT_ASSERT_EQ(test, 0, tasklocal_set(key, (void *)1L, GFP_KERNEL));

	tasklocal_key_destroy(key);
	/* 3 threads' values and ours, gone before destroy returned */
	KUNIT_EXPECT_EQ(test, 4, atomic_read(&c->destroyed));

	for (i = 0; i < 3; i++)
		kthread_stop(task[i]);
}

/* Three kthreads set @key and idle, never touching their tables again. */
static void idle_setters_start(struct kunit *test, struct setter *s,
			       struct task_struct **task,
			       struct tasklocal_key *key)
{
	int i;

	for (i = 0; i < 3; i++) {
		s[i] = (struct setter){ .key = key, .value = 10 * (i + 1),
					.wait = true };
		init_completion(&s[i].ready);
		task[i] = kthread_run(setter_fn, &s[i], "tasklocal-sw%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(task[i]));
		KUNIT_ASSERT_NE(test, 0UL,
				wait_for_completion_timeout(&s[i].ready,
							    10 * HZ));
		KUNIT_EXPECT_EQ(test, 0, s[i].err);
	}
}

/*
 * The sweeper: the last put of a key held by idle tasks destroys their
 * values without them running, sweep_delay_ms later.
 */
static void tasklocal_api_sweeper_frees_idle_values(struct kunit *test)
{
	unsigned int delay = READ_ONCE(tl_sweep_delay_ms);
	struct counts *c = counts_new(test);
	struct tasklocal_key *key = tasklocal_key_create(&counting_ops, c);
	struct task_struct *task[3];
	struct setter s[3];
	int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(key));
	idle_setters_start(test, s, task, key);
	WRITE_ONCE(tl_sweep_delay_ms, 1);
	tasklocal_key_put(key);
	tl_sweep_flush();
	WRITE_ONCE(tl_sweep_delay_ms, delay);
	KUNIT_EXPECT_EQ(test, 3, atomic_read(&c->destroyed));
	for (i = 0; i < 3; i++)
		kthread_stop(task[i]);
	tl_tables_flush();
	KUNIT_EXPECT_EQ(test, 3, atomic_read(&c->destroyed));
}

/* With sweep_delay_ms 0 the values wait for their tasks, as in OpenJDK. */
static void tasklocal_api_sweeper_off_values_wait(struct kunit *test)
{
	unsigned int delay = READ_ONCE(tl_sweep_delay_ms);
	struct counts *c = counts_new(test);
	struct tasklocal_key *key = tasklocal_key_create(&counting_ops, c);
	struct task_struct *task[3];
	struct setter s[3];
	int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(key));
	WRITE_ONCE(tl_sweep_delay_ms, 0);
	tl_sweep_flush();	/* a sweep earlier deaths queued */
	idle_setters_start(test, s, task, key);
	tasklocal_key_put(key);
	tl_sweep_flush();	/* none is pending: nothing happens */
	WRITE_ONCE(tl_sweep_delay_ms, delay);
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&c->destroyed));
	for (i = 0; i < 3; i++)
		kthread_stop(task[i]);
	/* their exits destroy them, in the release worker */
	for (i = 0; i < 500 && atomic_read(&c->destroyed) < 3; i++) {
		tl_tables_flush();
		msleep(20);
	}
	KUNIT_EXPECT_EQ(test, 3, atomic_read(&c->destroyed));
}

/*
 * Another task reads the table under RCU with the seqcount while its
 * owner sets, grows, kills keys and expunges: no use-after-free, and
 * every consistent snapshot has entries whose keys are readable.
 */
struct reader {
	struct task_struct *owner;
	atomic_t stop;
	unsigned long snapshots;
	unsigned long overfull;		/* more live entries than slots */
};

static int reader_fn(void *arg)
{
	struct reader *r = arg;

	while (!atomic_read(&r->stop)) {
		struct tlmap_slots *s;
		struct tl_table *t;
		unsigned int seq, i, n;

		rcu_read_lock();
		t = tl_table_find(r->owner);
		if (t) {
			do {
				seq = read_seqcount_begin(&t->map.seq);
				s = rcu_dereference(t->map.slots);
				n = 0;
				for (i = 0; i < s->len; i++) {
					struct tlmap_entry *e =
						rcu_dereference(s->slot[i]);

					if (e && READ_ONCE(e->key->hash) != ~0u)
						n++;
				}
			} while (read_seqcount_retry(&t->map.seq, seq));
			if (n >= s->len)
				r->overfull++;
			r->snapshots++;
		}
		rcu_read_unlock();
		cond_resched();
	}
	return 0;
}

static void tasklocal_api_concurrent_reader(struct kunit *test)
{
	struct counts *c = counts_new(test);
	struct tasklocal_key *keys[64];
	struct reader r = { .owner = current };
	struct task_struct *task;
	struct tl_table *t;
	int round, i;

	task = kthread_run(reader_fn, &r, "tasklocal-reader");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 64; i++) {
			keys[i] = tasklocal_key_create(&counting_ops, c);
			KUNIT_ASSERT_FALSE(test, IS_ERR(keys[i]));
			KUNIT_ASSERT_EQ(test, 0,
					tasklocal_set(keys[i], (void *)1L,
						      GFP_KERNEL));
		}
		for (i = 0; i < 64; i += 2)	/* half die: stale */
			tasklocal_key_put(keys[i]);
		for (i = 1; i < 64; i += 2)	/* gets expunge them */
			KUNIT_EXPECT_PTR_EQ(test, (void *)1L,
					    tasklocal_get(keys[i]));
		for (i = 1; i < 64; i += 2)
			tasklocal_key_destroy(keys[i]);
	}
	atomic_set(&r.stop, 1);
	kthread_stop(task);
	KUNIT_EXPECT_GT(test, r.snapshots, 0UL);
	KUNIT_EXPECT_EQ(test, 0UL, r.overfull);

	/* Stale entries the gets did not meet: sweep them too. */
	rcu_read_lock();
	t = tl_table_find(current);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, t);
	tl_table_lock(t);
	tlmap_expunge_all(&t->map);
	tl_table_unlock(t);
	KUNIT_EXPECT_EQ(test, 2 * 64, atomic_read(&c->destroyed));
}

/*
 * The owner's lock-free get races another task's key destroy, whose
 * removal rehashes the probe run the get walks: keys v0..v3 and k share
 * home slot 5, so k sits behind them, and each destroy moves k one slot
 * back. A get that met the emptied slot before k was moved used to miss
 * it: with initial(), tasklocal_get() then stored a new value for k and
 * destroyed the live one. Every get must return k's value.
 */
#define RACE_VICTIMS	4
#define RACE_ROUNDS	20

/*
 * A victim's destroy() runs under the table's lock between emptying its
 * slot and moving the rest of the run back: dwell there, so that the
 * owner's get meets the emptied slot.
 */
static void slow_destroy(struct tasklocal_key *key, void *value)
{
	counting_destroy(key, value);
	mdelay(1);
}

static const struct tasklocal_key_ops slow_destroy_ops = {
	.destroy = slow_destroy,
};

struct destroyer {
	struct tasklocal_key *victims[RACE_VICTIMS];
	struct completion done;
};

static int destroyer_fn(void *arg)
{
	struct destroyer *d = arg;
	int i;

	for (i = 0; i < RACE_VICTIMS; i++)
		tasklocal_key_destroy(d->victims[i]);
	complete(&d->done);
	return 0;
}

static void tasklocal_api_get_races_cross_task_destroy(struct kunit *test)
{
	struct counts *vc = counts_new(test), *kc = counts_new(test);
	unsigned long gets = 0, wrong = 0;
	struct tasklocal_key *k;
	struct task_struct *task;
	struct destroyer d;
	int round, i;

	k = tl_key_alloc(&initial_ops, kc, 5);
	KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, key_destroy_action, k));
	for (round = 0; round < RACE_ROUNDS; round++) {
		long want = 1000 + round;

		/* [5:v0][6:v1][7:v2][8:v3][9:k] */
		tasklocal_remove(k);
		for (i = 0; i < RACE_VICTIMS; i++) {
			d.victims[i] = tl_key_alloc(&slow_destroy_ops, vc,
						    5 + 16 * (i + 1));
			KUNIT_ASSERT_FALSE(test, IS_ERR(d.victims[i]));
			KUNIT_ASSERT_EQ(test, 0,
					tasklocal_set(d.victims[i], (void *)1L,
						      GFP_KERNEL));
		}
		KUNIT_ASSERT_EQ(test, 0,
				tasklocal_set(k, (void *)want, GFP_KERNEL));
		init_completion(&d.done);
		task = kthread_run(destroyer_fn, &d, "tasklocal-destroy");
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
		while (!completion_done(&d.done)) {
			if (tasklocal_get(k) != (void *)want)
				wrong++;
			if (!(++gets & 255))
				cond_resched();	/* let grace periods end */
		}
		wait_for_completion(&d.done);
	}
	kunit_info(test, "%lu gets during %d rounds of %d destroys\n", gets,
		   RACE_ROUNDS, RACE_VICTIMS);
	KUNIT_EXPECT_EQ(test, 0UL, wrong);
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&kc->initial));
	/* only the values tasklocal_remove() took out, never a live one */
	KUNIT_EXPECT_EQ(test, RACE_ROUNDS - 1, atomic_read(&kc->destroyed));
	KUNIT_EXPECT_EQ(test, RACE_ROUNDS * RACE_VICTIMS,
			atomic_read(&vc->destroyed));
}

#ifdef CONFIG_FAILSLAB
/*
 * Allocation failures, injected by failslab into this task alone: the VM
 * script arms failslab with task-filter, and current->make_it_fail picks
 * the task.
 */
static void fail_allocs(bool on)
{
	current->make_it_fail = on;
}

static void assert_failslab_armed(struct kunit *test)
{
	void *probe;

	fail_allocs(true);
	probe = kmalloc(8, GFP_KERNEL);
	fail_allocs(false);
	kfree(probe);
	KUNIT_ASSERT_NULL_MSG(test, probe,
			      "failslab is not armed (see kunit-vm.sh)");
}

static void tasklocal_api_set_without_memory_changes_nothing(struct kunit *test)
{
	struct counts *c = counts_new(test);
	struct tasklocal_key *key = key_new(test, &counting_ops, c);
	struct tl_table *t;
	int err;

	assert_failslab_armed(test);

	/* no table yet: creating it fails, and none is left behind */
	fail_allocs(true);
	err = tasklocal_set(key, (void *)1L, GFP_KERNEL);
	fail_allocs(false);
	KUNIT_EXPECT_EQ(test, -ENOMEM, err);
	rcu_read_lock();
	t = tl_table_find(current);
	rcu_read_unlock();
	KUNIT_EXPECT_NULL(test, t);

	/* with a table: the new entry cannot be had, the old value stays */
	KUNIT_ASSERT_EQ(test, 0, tasklocal_set(key, (void *)2L, GFP_KERNEL));
	fail_allocs(true);
	err = tasklocal_set(key, (void *)3L, GFP_KERNEL);
	fail_allocs(false);
	KUNIT_EXPECT_EQ(test, -ENOMEM, err);
	KUNIT_EXPECT_PTR_EQ(test, (void *)2L, tasklocal_get(key));
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&c->destroyed));
}

static void tasklocal_api_initial_value_destroyed_if_not_stored(struct kunit *test)
{
	struct counts *c = counts_new(test);
	struct tasklocal_key *key = key_new(test, &initial_ops, c);
	void *v;

	assert_failslab_armed(test);
	fail_allocs(true);
	v = tasklocal_get(key);
	fail_allocs(false);
	KUNIT_EXPECT_EQ(test, -ENOMEM, PTR_ERR_OR_ZERO(v));
	/* initial() ran once; its value, not stored, was destroyed once */
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&c->initial));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&c->destroyed));
	KUNIT_EXPECT_EQ(test, 101, c->last_destroyed);
}
#endif

static struct kunit_case tasklocal_api_cases[] = {
	KUNIT_CASE(tasklocal_api_set_get_remove),
	KUNIT_CASE(tasklocal_api_values_are_per_task),
	KUNIT_CASE(tasklocal_api_initial_value_stored_once),
	KUNIT_CASE(tasklocal_api_destroy_once_on_replace),
	KUNIT_CASE(tasklocal_api_destroy_once_on_expunge),
	KUNIT_CASE(tasklocal_api_set_dead_key_fails),
	KUNIT_CASE(tasklocal_api_key_counts_stay_exact),
	KUNIT_CASE(tasklocal_api_exit_hook_frees_table),
	KUNIT_CASE(tasklocal_api_key_destroy_removes_everywhere),
	KUNIT_CASE(tasklocal_api_sweeper_frees_idle_values),
	KUNIT_CASE(tasklocal_api_sweeper_off_values_wait),
	KUNIT_CASE(tasklocal_api_concurrent_reader),
	KUNIT_CASE(tasklocal_api_get_races_cross_task_destroy),
#ifdef CONFIG_FAILSLAB
	KUNIT_CASE(tasklocal_api_set_without_memory_changes_nothing),
	KUNIT_CASE(tasklocal_api_initial_value_destroyed_if_not_stored),
#endif
	{}
};

struct kunit_suite tasklocal_api_suite = {
	.name = "tasklocal_api",
	.test_cases = tasklocal_api_cases,
};
