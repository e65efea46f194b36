/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_RCUPDATE_H
#define _SHIM_LINUX_RCUPDATE_H

#include <linux/types.h>

#define rcu_dereference(p)			(p)
#define rcu_dereference_check(p, c)		({ (void)(c); (p); })
#define rcu_dereference_protected(p, c)		({ (void)(c); (p); })
#define rcu_access_pointer(p)			(p)
#define rcu_assign_pointer(p, v)		((p) = (v))
#define RCU_INIT_POINTER(p, v)			((p) = (v))
#define rcu_read_lock()				do { } while (0)
#define rcu_read_unlock()			do { } while (0)

#endif
