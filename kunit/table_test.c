// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the registry of tables (module/table.c) and of what a
 * set does to it: walks that yield, the fork hook's sizing, and failed
 * allocations that must leave no table behind. Some tables here belong
 * to fake tasks (fake_task.c).
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/sched/task.h>

#include "../module/internal.h"
#include "tasklocal_kunit.h"

static struct task_struct *fake_task(struct kunit *test)
{
	struct task_struct *task = kunit_kzalloc(test, sizeof(*task),
						 GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, task);
	tl_fake_task_init(task);
	return task;
}

/* A fake task that ran, then exited: the exit hook's work and release. */
static void fake_task_exit(void *arg)
{
	tl_fake_task_exit(arg);
	tl_tables_flush();
}

static void key_destroy_action(void *key)
{
	tasklocal_key_destroy(key);
}

/* Values are small integers; a child's is its parent's plus 100. */
static void *child_plus_100(struct tasklocal_key *key, void *value)
{
	return (void *)((long)value + 100);
}

static const struct tasklocal_key_ops inherit_ops = {
	.child = child_plus_100,
};

static struct tasklocal_key *key_new_ops(struct kunit *test, bool inherit,
					 const struct tasklocal_key_ops *ops,
					 void *data)
{
	struct tasklocal_key *key = inherit ?
		tasklocal_key_create_inheritable(ops, data) :
		tasklocal_key_create(ops, data);

	KUNIT_ASSERT_FALSE(test, IS_ERR(key));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, key_destroy_action,
						  key));
	return key;
}

static struct tasklocal_key *key_new(struct kunit *test, bool inherit)
{
	return key_new_ops(test, inherit, &inherit_ops, NULL);
}

struct walk_gp {
	unsigned long cookie;
	unsigned int tables;
	bool gp_elapsed;
};

static int walk_gp_fn(struct tl_table *t, void *arg)
{
	struct walk_gp *w = arg;

	w->tables++;
	mdelay(1);
	if (poll_state_synchronize_rcu(w->cookie))
		w->gp_elapsed = true;
	return 0;
}

/* Fork a fake child of current: what it holds for @key. */
static void *forked_value(struct kunit *test, struct task_struct *child,
			  struct tasklocal_key *key, bool *found)
{
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, fake_task_exit, child));
	tl_fake_task_fork(child);
	return tl_task_value(child, key, found);
}

/* In-kernel inheritance: a child gets child() of its parent's value. */
static void tasklocal_table_kernel_key_inherited(struct kunit *test)
{
	struct tasklocal_key *inh = key_new(test, true);
	bool found;
	void *v;

	KUNIT_ASSERT_EQ(test, 0, tasklocal_set(inh, (void *)7L, GFP_KERNEL));
	v = forked_value(test, fake_task(test), inh, &found);
	KUNIT_EXPECT_TRUE(test, found);
	KUNIT_EXPECT_PTR_EQ(test, (void *)107L, v);
	KUNIT_EXPECT_PTR_EQ(test, (void *)7L, tasklocal_get(inh));
}

/* A key made with tasklocal_key_create() is not inherited. */
static void tasklocal_table_kernel_key_not_inherited(struct kunit *test)
{
	struct tasklocal_key *key = key_new(test, false);
	bool found;

	KUNIT_ASSERT_EQ(test, 0, tasklocal_set(key, (void *)7L, GFP_KERNEL));
	forked_value(test, fake_task(test), key, &found);
	KUNIT_EXPECT_FALSE(test, found);
}

/*
 * A kernel thread, or a worker cloned from a user task (io_uring's, for
 * one), never returns to userspace: on PREEMPT_RT the task work that
 * publishes an inherited table would not run before its exit, and a
 * tasklocal_key_destroy() would wait for it. Such children inherit
 * nothing, on every kernel.
 */
static void tasklocal_table_kernel_threads_inherit_nothing(struct kunit *test)
{
	static const unsigned int flags[] = { PF_KTHREAD, PF_IO_WORKER };
	struct tasklocal_key *inh = key_new(test, true);
	struct task_struct *child;
	unsigned int i;
	bool found;

	KUNIT_ASSERT_EQ(test, 0, tasklocal_set(inh, (void *)7L, GFP_KERNEL));
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		child = fake_task(test);
		child->flags = flags[i];
		forked_value(test, child, inh, &found);
		KUNIT_EXPECT_FALSE_MSG(test, found, "flags %#x", flags[i]);
	}
}

/* Inheritable needs a child() op. */
static void tasklocal_table_kernel_key_inheritable_needs_child(struct kunit *test)
{
	static const struct tasklocal_key_ops no_child_ops = { };

	KUNIT_EXPECT_PTR_EQ(test, ERR_PTR(-EINVAL),
			    tasklocal_key_create_inheritable(&no_child_ops,
							     NULL));
	KUNIT_EXPECT_PTR_EQ(test, ERR_PTR(-EINVAL),
			    tasklocal_key_create_inheritable(NULL, NULL));
}

static void *child_refused(struct tasklocal_key *key, void *value)
{
	return ERR_PTR(-ENOMEM);
}

static const struct tasklocal_key_ops refusing_ops = {
	.child = child_refused,
};

/* child() failing: the child has no entry, and the failure is counted. */
static void tasklocal_table_kernel_key_child_fails(struct kunit *test)
{
	struct tasklocal_key *key = key_new_ops(test, true, &refusing_ops,
						NULL);
	struct tasklocal_key *inh = key_new(test, true);
	s64 failed = atomic64_read(&tl_stats.inherit_failed);
	struct task_struct *child = fake_task(test);
	bool found;
	void *v;

	KUNIT_ASSERT_EQ(test, 0, tasklocal_set(key, (void *)7L, GFP_KERNEL));
	KUNIT_ASSERT_EQ(test, 0, tasklocal_set(inh, (void *)8L, GFP_KERNEL));
	forked_value(test, child, key, &found);
	KUNIT_EXPECT_FALSE(test, found);
	KUNIT_EXPECT_EQ(test, failed + 1,
			atomic64_read(&tl_stats.inherit_failed));
	/* the other inheritable value is inherited all the same */
	v = tl_task_value(child, inh, &found);
	KUNIT_EXPECT_TRUE(test, found);
	KUNIT_EXPECT_PTR_EQ(test, (void *)108L, v);
}

/* Values are destroyed apart: the parent's, then the child's at exit. */
static atomic_long_t destroyed_sum;

static void destroy_sum(struct tasklocal_key *key, void *value)
{
	atomic_long_add((long)value, &destroyed_sum);
}

static const struct tasklocal_key_ops inherit_destroy_ops = {
	.child = child_plus_100,
	.destroy = destroy_sum,
};

static void tasklocal_table_kernel_key_values_destroyed_apart(struct kunit *test)
{
	struct tasklocal_key *key = key_new_ops(test, true,
						&inherit_destroy_ops, NULL);
	struct task_struct *child = fake_task(test);
	bool found;

	atomic_long_set(&destroyed_sum, 0);
	KUNIT_ASSERT_EQ(test, 0, tasklocal_set(key, (void *)7L, GFP_KERNEL));
	KUNIT_EXPECT_PTR_EQ(test, (void *)107L,
			    forked_value(test, child, key, &found));
	KUNIT_EXPECT_TRUE(test, tasklocal_remove(key));
	KUNIT_EXPECT_EQ(test, 7L, atomic_long_read(&destroyed_sum));
	fake_task_exit(child);
	KUNIT_EXPECT_EQ(test, 114L, atomic_long_read(&destroyed_sum));
}

/*
 * TABLE_LIST and STATS walk every table: any user can ask for that, so
 * the walk must leave its RCU read section now and then. A grace period
 * begun before the walk can only end once this CPU has left it.
 */
#define WALK_TABLES	256

static void tasklocal_table_walk_leaves_rcu(struct kunit *test)
{
	struct walk_gp w = { };
	struct tl_table *t;
	int i;

	/*
	 * There, RCU read sections are preemptible and cond_resched() does
	 * nothing: a grace period ends when the scheduler says, not when
	 * the walk leaves RCU, so the test cannot see it.
	 */
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		kunit_skip(test, "PREEMPT_RT: walks are preemptible there");
	for (i = 0; i < WALK_TABLES; i++) {
		struct task_struct *task = fake_task(test);

		t = tl_table_create(task, TLMAP_INITIAL_LEN, GFP_KERNEL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		KUNIT_ASSERT_EQ(test, 0, tl_table_publish(t));
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test, fake_task_exit,
							  task));
	}
	w.cookie = get_state_synchronize_rcu();
	tl_tables_walk(walk_gp_fn, &w, true);
	KUNIT_EXPECT_GE(test, w.tables, WALK_TABLES);
	KUNIT_EXPECT_TRUE_MSG(test, w.gp_elapsed,
			      "no grace period ended during a walk of %u tables",
			      w.tables);
}

#ifdef CONFIG_FAULT_INJECTION
/*
 * Slab allocations the current task makes while @fn runs, counted with
 * fail-nth (Documentation/fault-injection/fault-injection.rst): each one
 * counts it down, and none fails before it reaches zero.
 */
#define FAIL_NTH_NEVER	100000

static unsigned int allocs_counted_start(void)
{
	WRITE_ONCE(current->fail_nth, FAIL_NTH_NEVER);
	return FAIL_NTH_NEVER;
}

static unsigned int allocs_counted_end(unsigned int start)
{
	unsigned int left = READ_ONCE(current->fail_nth);

	WRITE_ONCE(current->fail_nth, 0);
	return start - left;
}

/* A fork with nothing to inherit allocates nothing, however big the table. */
static void tasklocal_table_fork_nothing_inheritable_allocates_nothing(struct kunit *test)
{
	struct task_struct *child = fake_task(test);
	unsigned int i, allocs;
	struct tl_table *t;

	for (i = 0; i < 20; i++)	/* 32 slots */
		KUNIT_ASSERT_EQ(test, 0, tasklocal_set(key_new(test, false),
						       (void *)1L, GFP_KERNEL));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, fake_task_exit, child));
	i = allocs_counted_start();
	tl_table_task_fork(current, child);
	allocs = allocs_counted_end(i);
	KUNIT_EXPECT_EQ(test, 0U, allocs);
	rcu_read_lock();
	t = tl_table_find(child);
	rcu_read_unlock();
	KUNIT_EXPECT_NULL(test, t);
}

/* The child's table is sized for what it inherits, not its parent's length. */
static void tasklocal_table_fork_sized_for_inherited(struct kunit *test)
{
	struct task_struct *child = fake_task(test);
	struct tasklocal_key *inh = key_new(test, true);
	struct tl_table *t;
	unsigned int i;

	for (i = 0; i < 20; i++)	/* 32 slots */
		KUNIT_ASSERT_EQ(test, 0, tasklocal_set(key_new(test, false),
						       (void *)1L, GFP_KERNEL));
	KUNIT_ASSERT_EQ(test, 0, tasklocal_set(inh, (void *)7L, GFP_KERNEL));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, fake_task_exit, child));
	tl_fake_task_fork(child);
	rcu_read_lock();
	t = tl_table_find(child);
	KUNIT_EXPECT_NOT_NULL(test, t);
	if (t) {
		KUNIT_EXPECT_EQ(test, 16U, rcu_dereference(t->map.slots)->len);
		KUNIT_EXPECT_EQ(test, 1U, t->map.size);
		KUNIT_EXPECT_PTR_EQ(test, (void *)107L,
				    tlmap_peek(&t->map, &inh->mk)->value);
	}
	rcu_read_unlock();
}

static bool has_table(void)
{
	bool has;

	rcu_read_lock();
	has = tl_table_find(current);
	rcu_read_unlock();
	return has;
}

/* One first set or initial get, in a new task, its n-th allocation failed. */
struct failed_call {
	struct tasklocal_key *key;
	bool get;		/* tasklocal_get() of a key with initial() */
	unsigned int nth;
	int err;
	bool table_left;
	struct completion done;
};

static int failed_call_fn(void *arg)
{
	struct failed_call *f = arg;
	void *v;

	WRITE_ONCE(current->fail_nth, f->nth);
	if (f->get) {
		v = tasklocal_get(f->key);
		f->err = PTR_ERR_OR_ZERO(v);
	} else {
		f->err = tasklocal_set(f->key, (void *)1L, GFP_KERNEL);
	}
	WRITE_ONCE(current->fail_nth, 0);
	f->table_left = f->err && has_table();
	complete(&f->done);
	return 0;
}

/*
 * A task's first set allocates its table, slots and the entry, and
 * publishes the table: fail each allocation in turn (fail-nth, with the
 * kernel's own allocations around it counted too: kmemleak's, KASAN's).
 * A call that failed leaves no table behind.
 */
static void failed_first_calls(struct kunit *test, struct tasklocal_key *key,
			       bool get)
{
	struct failed_call f = { .key = key, .get = get };
	unsigned int failed = 0, last_failed = 0;
	struct task_struct *task;

	for (f.nth = 1; f.nth <= 40; f.nth++) {
		init_completion(&f.done);
		task = kthread_run(failed_call_fn, &f, "tasklocal-nth%u",
				   f.nth);
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
		wait_for_completion(&f.done);
		if (!f.err)
			continue;
		failed++;
		last_failed = f.nth;
		KUNIT_EXPECT_EQ_MSG(test, -ENOMEM, f.err, "allocation %u",
				    f.nth);
		KUNIT_EXPECT_FALSE_MSG(test, f.table_left,
				       "allocation %u failed: a table is left",
				       f.nth);
	}
	/* the table, its slots and the entry: three allocations at least */
	KUNIT_EXPECT_GE(test, failed, 3U);
	kunit_info(test, "%u of 40 fail-nth points failed the call, the last at %u\n",
		   failed, last_failed);
}

static void tasklocal_table_failed_first_set_leaves_no_table(struct kunit *test)
{
	failed_first_calls(test, key_new(test, false), false);
}

static void *initial_seven(struct tasklocal_key *key)
{
	return (void *)7L;
}

static const struct tasklocal_key_ops initial_seven_ops = {
	.initial = initial_seven,
};

/* Same for a get that stores the key's initial value. */
static void tasklocal_table_failed_initial_get_leaves_no_table(struct kunit *test)
{
	struct tasklocal_key *key = tasklocal_key_create(&initial_seven_ops,
							 NULL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(key));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, key_destroy_action,
						  key));
	failed_first_calls(test, key, true);
}
#endif

static struct kunit_case tasklocal_table_cases[] = {
	KUNIT_CASE_SLOW(tasklocal_table_walk_leaves_rcu),
	KUNIT_CASE(tasklocal_table_fork_sized_for_inherited),
	KUNIT_CASE(tasklocal_table_kernel_key_inherited),
	KUNIT_CASE(tasklocal_table_kernel_key_not_inherited),
	KUNIT_CASE(tasklocal_table_kernel_threads_inherit_nothing),
	KUNIT_CASE(tasklocal_table_kernel_key_inheritable_needs_child),
	KUNIT_CASE(tasklocal_table_kernel_key_child_fails),
	KUNIT_CASE(tasklocal_table_kernel_key_values_destroyed_apart),
#ifdef CONFIG_FAULT_INJECTION
	KUNIT_CASE(tasklocal_table_fork_nothing_inheritable_allocates_nothing),
	KUNIT_CASE(tasklocal_table_failed_first_set_leaves_no_table),
	KUNIT_CASE(tasklocal_table_failed_initial_get_leaves_no_table),
#endif
	{}
};

struct kunit_suite tasklocal_table_suite = {
	.name = "tasklocal_table",
	.test_cases = tasklocal_table_cases,
};
