#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Generate random scripts for map-replay and MapOracle (the script grammar
# is described in replay.c), one scenario after another, separated by
# "reset" lines. The output depends only on the seed.
#
# The scenarios are meant to be hard on the table: key hashes collide on
# purpose (a small range, a few low-bit patterns that collide at every
# table length up to 128, patterns at the end of the slot array so that
# runs wrap around, clusters that move away from where keys died), with
# some from the real ThreadLocal hash sequence; keys die in bunches and
# are never used again; the population grows through 16 -> 32 -> 64 -> 128
# slots, or hovers at the threshold while keys die, so that rehash() finds
# stale entries to expunge before it decides whether to resize().
#
# usage: gen.py [--seed S] [--scenarios N]

import argparse
import random
import sys

HASH_INCREMENT = 0x61C88647
MAX_KEYS = 4096
MASK32 = 0xFFFFFFFF

# Live population a scenario aims for, and so the table length it reaches:
# the table doubles when, after expunging, 3/4 of the threshold is live
# (16: 8 entries, 32: 16, 64: 32, 128: 64). The "brink" profiles fill the
# table to one entry below its threshold (16: 9, 32: 20, 64: 41) and then
# keep killing keys and adding new ones, so that inserts reach the
# threshold with stale entries present and rehash() expunges them, often
# enough not to resize.
PROFILES = [
    # (weight, low, high, operations, churn)
    (3, 4, 9, (30, 90), None),		# stays at 16
    (3, 9, 18, (50, 140), None),	# 16 -> 32
    (2, 17, 34, (80, 200), None),	# -> 64
    (2, 33, 62, (120, 300), None),	# -> 128
    (1, 9, 9, (80, 160), 0.15),		# brink at 16
    (1, 20, 20, (120, 240), 0.15),	# brink at 32
    (1, 41, 41, (200, 320), 0.1),	# brink at 64
]


class Hashes:
    """Draws key hashes for one scenario, by a mix of strategies."""

    def __init__(self, rng):
        self.rng = rng
        self.small_range = rng.choice([3, 5, 8, 13, 24, 40])
        # low 7 bits: collide in tables of 16 to 128 slots
        self.low7 = [rng.randrange(128) for _ in range(rng.randint(1, 4))]
        # low 4 bits only: collide at 16, spread when the table grows
        self.low4 = [rng.randrange(16) for _ in range(rng.randint(1, 3))]
        self.seq = rng.getrandbits(32) if rng.random() < 0.5 else 0
        self.window = rng.randrange(128)
        self.weights = [rng.randint(0, 4) for _ in range(7)]
        if not any(self.weights):
            self.weights[0] = 1

    def next_seq(self):
        h = self.seq
        self.seq = (self.seq + HASH_INCREMENT) & MASK32
        return h

    def move_window(self):
        self.window = self.rng.randrange(128)

    def draw(self):
        rng = self.rng
        kind = rng.choices(range(7), weights=self.weights)[0]
        if kind == 0:
            h = rng.randrange(self.small_range)
        elif kind == 1:
            h = rng.getrandbits(25) << 7 | rng.choice(self.low7)
        elif kind == 2:
            h = rng.getrandbits(28) << 4 | rng.choice(self.low4)
        elif kind == 3:
            # the last slots of any table length up to 128: runs wrap
            h = rng.getrandbits(25) << 7 | (127 - rng.randrange(4))
        elif kind == 4:
            h = self.next_seq()
        elif kind == 5:
            # a cluster that moves away whenever keys die: the new keys
            # do not land on the stale entries, which stay for rehash()
            low = (self.window + rng.randrange(6)) % 128
            h = rng.getrandbits(25) << 7 | low
        else:
            h = rng.getrandbits(32)
        return h


class Scenario:
    def __init__(self, rng):
        self.rng = rng
        self.hashes = Hashes(rng)
        self.lines = []
        self.used_ids = set()
        self.live = []		# live keys, in creation order
        self.mapped = set()	# live keys with a value, as far as we know
        self.burst = False	# refill right after each kill_bunch()

    def emit(self, line):
        self.lines.append(line)

    def value(self):
        rng = self.rng
        if rng.random() < 0.05:
            return rng.randrange(-2**63, 2**63)
        return rng.randrange(1000)

    def new_key(self):
        rng = self.rng
        if len(self.used_ids) >= MAX_KEYS:
            return None
        while True:
            kid = rng.randrange(MAX_KEYS)
            if kid not in self.used_ids:
                break
        self.used_ids.add(kid)
        h = self.hashes.draw()
        r = rng.random()
        if r < 0.2:
            text = "0x%x" % h
        elif r < 0.25 and h >= 0x80000000:
            text = "%d" % (h - (1 << 32))
        else:
            text = "%d" % h
        self.emit("key %d %s" % (kid, text))
        self.live.append(kid)
        return kid

    def set(self, kid):
        self.emit("set %d %d" % (kid, self.value()))
        self.mapped.add(kid)

    def kill_bunch(self):
        rng = self.rng
        n = min(len(self.live), rng.choice([1, 1, 2, 3, 4, 6, 8, 12,
                                            len(self.live) // 2]))
        if n == 0:
            return
        if rng.random() < 0.5:
            # keys made together die together
            start = rng.randrange(len(self.live) - n + 1)
            victims = self.live[start:start + n]
        else:
            victims = rng.sample(self.live, n)
        for kid in victims:
            self.emit("kill %d" % kid)
            self.live.remove(kid)
            self.mapped.discard(kid)
        self.hashes.move_window()
        if self.burst:
            # refill at once: the inserts reach the threshold before
            # gets and updates get a chance to expunge the stale entries
            for _ in victims:
                kid = self.new_key()
                if kid is not None:
                    self.set(kid)

    def generate(self):
        rng = self.rng
        weights = [p[0] for p in PROFILES]
        _, low, high, (omin, omax), churn = rng.choices(PROFILES, weights)[0]
        target = rng.randint(low, high)
        nops = rng.randint(omin, omax)
        # how much this scenario kills, removes, reads
        if churn is None:
            churn = rng.choice([0.02, 0.05, 0.1, 0.2])
        else:
            # brink: mostly moving clusters, see Hashes.draw()
            self.hashes.weights[5] += 12
            self.burst = True
        removes = rng.choice([0.0, 0.03, 0.08])

        while len(self.lines) < nops:
            pop = len(self.mapped)
            r = rng.random()
            if pop < target and r < 0.55:
                kid = self.new_key()
                if kid is not None:
                    self.set(kid)
            elif r < 0.55 + churn:
                self.kill_bunch()
            elif r < 0.60 + churn and self.live:
                self.set(rng.choice(self.live))
            elif r < 0.60 + churn + removes and self.live:
                kid = rng.choice(self.live)
                self.emit("remove %d" % kid)
                self.mapped.discard(kid)
            elif r < 0.62 + churn + removes:
                self.new_key()	# a key never set: its gets miss
            elif r < 0.63 + churn + removes:
                self.emit("expunge")
            elif self.live:
                self.emit("get %d" % rng.choice(self.live))
            else:
                kid = self.new_key()
                if kid is not None:
                    self.set(kid)
        return self.lines


def main():
    ap = argparse.ArgumentParser(
        description="Generate random scripts for map-replay and MapOracle.")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scenarios", type=int, default=100)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    out = []
    for n in range(args.scenarios):
        if n:
            out.append("reset")
        out.extend(Scenario(rng).generate())
    sys.stdout.write("\n".join(out) + "\n" if out else "")


if __name__ == "__main__":
    main()
