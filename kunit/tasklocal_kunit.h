/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _TASKLOCAL_KUNIT_H
#define _TASKLOCAL_KUNIT_H

#include <kunit/test.h>

extern struct kunit_suite tasklocal_map_suite;
extern struct kunit_suite tasklocal_api_suite;
extern struct kunit_suite tasklocal_table_suite;
extern struct kunit_suite tasklocal_stress_suite;

struct task_struct;
struct tasklocal_key;

void *tl_task_value(struct task_struct *task, struct tasklocal_key *key,
		    bool *found);
void tl_fake_task_init(struct task_struct *task);
void tl_fake_task_resume(struct task_struct *task);
void tl_fake_task_fork(struct task_struct *child);
void tl_fake_task_exit(struct task_struct *task);

#endif
