#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Seeded qtest fuzzer of the lab's i.MX6 audio models.

Starts the lab qemu-system-arm (-M sabrelite -accel qtest) and drives it
through the qtest protocol on stdio with random operations:

  mmio   random 32-bit reads and writes to the SDMA, the three SSIs and
         the AUDMUX, mostly inside their register files, sometimes
         anywhere in their 16 KiB windows
  i2c    SGTL5000 register writes and reads over the i.MX I2C1 controller
         (random register, random value, sometimes a truncated transfer)
  ch0    a channel 0 bootstrap: random buffer descriptors (command, count,
         buffer address, SDMA address) in a random place, MC0PTR at them
         or anywhere, then HSTART bit 0
  chan   a channel's context loaded with a random script PC, peripheral
         address and watermark, its CCB and descriptors random, enabled
         with a random priority and event routing, started
  audio  a working audio path, with random parts: the codec clock master
         at a random rate (over I2C), the AUDMUX routing its frame clock
         to a random SSI, that SSI enabled with random word length,
         watermarks, DMA and interrupt enables
  event  a DMA request line raised or lowered
  clock  the virtual clock stepped by 1 ns to 2 ms
  reset  a system reset (rarely)

Everything comes from one seed, one draw per operation: a run is
reproducible whatever --batch is, and --ops cuts it short at any
operation. The QEMU binary may be built with AddressSanitizer
and UBSan (make fuzz does): their reports, a crash of QEMU or a qtest
command that does not answer within --timeout seconds end the run with a
non-zero status, the seed and the index of the last operation sent.

Exit status: 0 no finding, 1 a finding, 2 could not run, 4 no finding
but the time bound came before the last operation.
"""

import argparse
import os
import random
import select
import signal
import subprocess
import sys
import time

SDMA = 0x020EC000
SSI = (0x02028000, 0x0202C000, 0x02030000)
AUDMUX = 0x021D8000
I2C1 = 0x021A0000
RAM = 0x10000000
RAM_SIZE = 512 << 20
SDMA_QOM = "/machine/soc/sdma"

# Register file extents (bytes) of each model, for "mostly inside" picks.
REGS = [(SDMA, 0x300), (AUDMUX, 0x38)] + [(b, 0x5c) for b in SSI]

# i.MX I2C controller
IADR, IFDR, I2CR, I2SR, I2DR = 0x00, 0x04, 0x08, 0x0C, 0x10
I2CR_IEN, I2CR_IIEN, I2CR_MSTA, I2CR_MTX, I2CR_TXAK = 0x80, 0x40, 0x20, 0x10, 0x08
SGTL5000 = 0x0A

# SDMA registers used directly
MC0PTR, INTR, STOP_STAT, HSTART = 0x000, 0x004, 0x008, 0x00C
EVTOVR, HOSTOVR, CHN0ADDR = 0x010, 0x018, 0x05C


def chnpri(n):
    return 0x100 + 4 * n


def chnenbl(n):
    return 0x200 + 4 * n


ROM_PCS = (642, 683, 747, 817, 891, 960, 1032, 1100, 1134)


class Finding(Exception):
    pass


class CannotRun(Exception):
    """Not a finding: QEMU did not start, or the fuzzer sent a bad command."""


class QTest:
    """The qtest protocol on QEMU's stdio, commands batched."""

    def __init__(self, qemu, timeout, log):
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1:"
                       "handle_abort=1:symbolize=1")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        self.log = open(log, "wb")
        self.p = subprocess.Popen(
            # -qtest-log none: qtest would log every command to stderr
            # (400 bytes an operation); the log keeps what QEMU and the
            # sanitizers print.
            [qemu, "-M", "sabrelite", "-accel", "qtest", "-qtest", "stdio",
             "-qtest-log", "none",
             "-display", "none", "-nodefaults", "-monitor", "none",
             "-serial", "null", "-d", "guest_errors,unimp", "-D", "/dev/null"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.log, env=env, bufsize=0)
        self.timeout = timeout
        self.pending = []
        self.buf = b""

    def cmd(self, line):
        self.pending.append(line)

    def flush(self):
        """Send the batch; return the answers, in order."""
        if not self.pending:
            return []
        data = ("\n".join(self.pending) + "\n").encode()
        n = len(self.pending)
        self.pending = []
        try:
            self.p.stdin.write(data)
        except (BrokenPipeError, OSError):
            raise Finding("QEMU closed its qtest input (crashed?)")
        answers = []
        deadline = time.monotonic() + self.timeout
        while len(answers) < n:
            while b"\n" in self.buf and len(answers) < n:
                line, self.buf = self.buf.split(b"\n", 1)
                if line.startswith(b"IRQ"):
                    continue
                if not line.startswith(b"OK"):
                    # qtest answers FAIL to a malformed command: a bug of
                    # this fuzzer, not of the models.
                    raise CannotRun("qtest answered %r" % line[:200])
                answers.append(line)
            if len(answers) == n:
                break
            left = deadline - time.monotonic()
            if left <= 0:
                raise Finding("no answer within %d s (QEMU hung?)" % self.timeout)
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 1 << 16)
                if not chunk:
                    raise Finding("QEMU exited (status %s)" % self.p.wait())
                self.buf += chunk
        return answers

    def close(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        # qtest on stdio does not end QEMU at EOF: SIGTERM ends it cleanly
        # (an exit that still runs the sanitizers' exit-time checks).
        if self.p.poll() is None:
            self.p.terminate()
        try:
            rc = self.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
        self.log.close()
        return 0 if rc == -signal.SIGTERM else rc


class Fuzzer:
    def __init__(self, q, rng):
        self.q = q
        self.r = rng
        self.counts = {}

    # ---- helpers
    def w32(self, addr, val):
        self.q.cmd("writel 0x%x 0x%x" % (addr, val & 0xFFFFFFFF))

    def r32(self, addr):
        self.q.cmd("readl 0x%x" % addr)

    def w8(self, addr, val):
        self.q.cmd("writeb 0x%x 0x%x" % (addr, val & 0xFF))

    def r8(self, addr):
        self.q.cmd("readb 0x%x" % addr)

    def u32(self):
        """A 32-bit value biased to the interesting ones."""
        r = self.r.random()
        if r < 0.2:
            return self.r.choice((0, 1, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF,
                                  0xFFFFF000, 0xFFFFF800, 0x800, 0x1000,
                                  0x2000, 0xFFFF))
        if r < 0.4:
            return self.r.getrandbits(16)
        return self.r.getrandbits(32)

    def anywhere(self):
        """An address: mostly RAM, sometimes anything at all."""
        if self.r.random() < 0.7:
            return RAM + (self.r.getrandbits(20) & ~3)
        return self.u32()

    # ---- operations
    def op_mmio(self):
        base, size = self.r.choice(REGS)
        if self.r.random() < 0.9:
            off = self.r.randrange(0, size, 4)
        else:
            off = self.r.randrange(0, 0x4000, 4)
        if self.r.random() < 0.5:
            self.w32(base + off, self.u32())
        else:
            self.r32(base + off)

    def op_i2c(self):
        b = I2C1
        ctl = I2CR_IEN | I2CR_IIEN | I2CR_MSTA | I2CR_MTX | I2CR_TXAK
        reg = self.r.randrange(0, 0x140) if self.r.random() < 0.9 else self.r.getrandbits(16)
        read = self.r.random() < 0.3
        nbytes = self.r.choice((1, 2, 3, 4, 4, 4, 6))
        self.w8(b + I2CR, ctl)
        self.w8(b + I2DR, SGTL5000 << 1)
        self.w8(b + I2SR, 0)
        data = [reg >> 8, reg & 0xFF]
        if not read:
            data += [self.r.getrandbits(8) for _ in range(nbytes)]
        for d in data[:self.r.choice((len(data), len(data), len(data), 1))]:
            self.w8(b + I2DR, d)
            self.w8(b + I2SR, 0)
        if read:
            self.w8(b + I2CR, ctl | 0x04)     # repeated start
            self.w8(b + I2DR, (SGTL5000 << 1) | 1)
            self.w8(b + I2SR, 0)
            self.w8(b + I2CR, (ctl & ~I2CR_MTX) & ~I2CR_TXAK)
            for _ in range(nbytes):
                self.r8(b + I2DR)
                self.w8(b + I2SR, 0)
        self.w8(b + I2CR, I2CR_IEN)

    def write_bd(self, addr, mode, buf, ext):
        self.w32(addr, mode)
        self.w32(addr + 4, buf)
        self.w32(addr + 8, ext)

    def rand_mode(self, ch0):
        if ch0:
            cmd = self.r.choice((0x01, 0x02, 0x04, 0x08, 0x07, 0x03, 0x0F,
                                 0x87, 0x81, self.r.getrandbits(8)))
        else:
            cmd = self.r.getrandbits(8) if self.r.random() < 0.3 else self.r.choice((0, 1, 2, 3))
        status = self.r.getrandbits(8) | 0x01     # BD_DONE mostly
        if self.r.random() < 0.1:
            status &= ~0x01
        count = self.u32() & 0xFFFF
        return (cmd << 24) | (status << 16) | count

    def op_ch0(self):
        ccb = RAM + (self.r.getrandbits(16) & ~0xF)
        bd = self.anywhere() if self.r.random() < 0.2 else RAM + 0x100000 + (self.r.getrandbits(12) & ~3)
        nbd = self.r.randrange(1, 4)
        for i in range(nbd):
            mode = self.rand_mode(True)
            if i < nbd - 1:
                mode |= 0x04 << 16     # BD_CONT
            buf = self.anywhere()
            ext = self.u32() if self.r.random() < 0.5 else self.r.randrange(0, 0x2000)
            self.write_bd(bd + 12 * i, mode, buf, ext)
        self.w32(ccb, bd)
        self.w32(ccb + 4, bd)
        self.w32(SDMA + MC0PTR, ccb if self.r.random() < 0.9 else self.u32())
        self.w32(SDMA + chnpri(0), 7)
        self.w32(SDMA + EVTOVR, 1 | (self.u32() if self.r.random() < 0.2 else 0))
        self.w32(SDMA + HSTART, 1)
        self.r32(SDMA + STOP_STAT)

    def op_chan(self):
        ch = self.r.randrange(1, 32)
        ctx = RAM + 0x200000
        words = [0] * 32
        words[0] = self.r.choice(ROM_PCS) if self.r.random() < 0.8 else self.r.getrandbits(14)
        words[2 + 6] = self.anywhere() if self.r.random() < 0.5 else self.r.choice(SSI) + self.r.choice((0, 8))
        words[2 + 7] = self.u32()
        for i, w in enumerate(words):
            self.w32(ctx + 4 * i, w)
        bd0 = RAM + 0x100000
        self.write_bd(bd0, (0x01 << 24) | (0x83 << 16) | 32, ctx, 0x800 + 32 * ch)
        ccb = RAM
        self.w32(ccb, bd0)
        self.w32(ccb + 4, bd0)
        self.w32(SDMA + MC0PTR, ccb)
        self.w32(SDMA + chnpri(0), 7)
        self.w32(SDMA + EVTOVR, 1)
        self.w32(SDMA + HSTART, 1)
        # the channel's own descriptors and CCB entry
        bds = self.anywhere() if self.r.random() < 0.2 else RAM + 0x300000 + (self.r.getrandbits(12) & ~3)
        n = self.r.randrange(1, 5)
        for i in range(n):
            mode = self.rand_mode(False) | (0x04 << 16)
            if i == n - 1 and self.r.random() < 0.7:
                mode |= 0x02 << 16     # BD_WRAP
            self.write_bd(bds + 12 * i, mode, self.anywhere(), self.anywhere())
        self.w32(ccb + 16 * ch, bds)
        self.w32(ccb + 16 * ch + 4, bds if self.r.random() < 0.8 else self.anywhere())
        evt = self.r.randrange(0, 48)
        self.w32(SDMA + chnenbl(evt), (1 << ch) | (self.u32() if self.r.random() < 0.1 else 0))
        self.w32(SDMA + chnpri(ch), self.r.randrange(0, 8))
        if self.r.random() < 0.3:
            self.w32(SDMA + EVTOVR, (1 << ch) | 1)
        if self.r.random() < 0.2:
            self.w32(SDMA + HOSTOVR, self.u32())
        self.w32(SDMA + HSTART, 1 << ch)

    def i2c_write(self, reg, val):
        b = I2C1
        ctl = I2CR_IEN | I2CR_IIEN | I2CR_MSTA | I2CR_MTX | I2CR_TXAK
        self.w8(b + I2CR, ctl)
        for d in (SGTL5000 << 1, reg >> 8, reg & 0xFF, val >> 8, val & 0xFF):
            self.w8(b + I2DR, d)
            self.w8(b + I2SR, 0)
        self.w8(b + I2CR, I2CR_IEN)

    def op_audio(self):
        n = self.r.randrange(0, 3)
        port = n + 1
        ptcr = (1 << 31) | (3 << 27) | (1 << 26) | (3 << 22) | (1 << 11)
        self.w32(AUDMUX + (port - 1) * 8, ptcr)
        self.w32(AUDMUX + (port - 1) * 8 + 4, 3 << 13)
        self.w32(AUDMUX + 3 * 8, 1 << 11)
        self.w32(AUDMUX + 3 * 8 + 4, n << 13)
        self.i2c_write(0x0004, self.r.getrandbits(6) << 2)      # CLK_CTRL
        self.i2c_write(0x0006, 0x0080 | self.r.getrandbits(7))  # I2S_CTRL, MS
        self.i2c_write(0x0002, 0x0063)                          # DIG_POWER
        b = SSI[n]
        wl = self.r.choice((8, 10, 12, 16, 18, 20, 22, 24, 32))
        self.w32(b + 0x24, ((wl // 2 - 1) << 13) | (self.r.randrange(1, 33) - 1) << 8)
        self.w32(b + 0x28, ((wl // 2 - 1) << 13) | (self.r.randrange(1, 33) - 1) << 8)
        self.w32(b + 0x2C, self.r.getrandbits(8) | self.r.getrandbits(8) << 16)
        self.w32(b + 0x1C, self.r.getrandbits(10))
        self.w32(b + 0x20, self.r.getrandbits(10))
        self.w32(b + 0x18, self.u32())                          # SIER
        self.w32(b + 0x10, 0x1 | self.r.getrandbits(9))          # SCR, SSIEN

    def op_event(self):
        self.q.cmd("set_irq_in %s dma-event %d %d" %
                   (SDMA_QOM, self.r.randrange(0, 48), self.r.getrandbits(1)))

    def op_clock(self):
        ns = self.r.choice((1, 100, 1000, 10000, 100000, 2000000))
        self.q.cmd("clock_step %d" % self.r.randrange(1, ns + 1))

    def op_stop(self):
        self.w32(SDMA + STOP_STAT, self.u32())

    def op_reset(self):
        # system_reset over qtest: not a qtest command; a full SDMA RESET
        # register write instead, and the SSIs disabled
        self.w32(SDMA + 0x024, self.r.choice((1, 2, 3)))
        for b in SSI:
            self.w32(b + 0x10, 0)

    OPS = (("mmio", 40), ("i2c", 6), ("ch0", 6), ("chan", 6), ("audio", 3),
           ("event", 15),
           ("clock", 20), ("stop", 5), ("reset", 2))

    def run(self, ops, batch, deadline):
        names = [n for n, _ in self.OPS]
        weights = [w for _, w in self.OPS]
        done = 0
        while done < ops and time.monotonic() < deadline:
            k = min(batch, ops - done)
            self.first = done + 1
            for _ in range(k):
                # One draw per operation: the sequence does not depend on
                # --batch, so --ops N stops it after exactly N operations.
                name = self.r.choices(names, weights)[0]
                getattr(self, "op_" + name)()
                self.counts[name] = self.counts.get(name, 0) + 1
            self.q.flush()
            done += k
        return done


def sanitizer_report(log):
    try:
        with open(log, "rb") as f:
            text = f.read().decode(errors="replace")
    except OSError:
        return None
    for marker in ("ERROR: AddressSanitizer", "runtime error:",
                   "ERROR: UndefinedBehaviorSanitizer", "SUMMARY: "):
        i = text.find(marker)
        if i >= 0:
            return text[max(0, text.rfind("\n", 0, i) + 1):][:1500]
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ops", type=int, default=100000)
    ap.add_argument("--seconds", type=float, default=600,
                    help="stop after this long (a bound, not a goal)")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--log", default="/tmp/imx6-fuzz-qemu.log")
    a = ap.parse_args()
    if not os.access(a.qemu, os.X_OK):
        print("fuzz: no QEMU at %s" % a.qemu, file=sys.stderr)
        return 2
    rng = random.Random(a.seed)
    q = QTest(a.qemu, a.timeout, a.log)
    # QEMU must answer a first command before anything counts.
    try:
        q.cmd("readl 0x%x" % SDMA)
        q.flush()
    except (Finding, CannotRun) as e:
        q.close()
        print("fuzz: QEMU did not start: %s (QEMU log: %s)" % (e, a.log),
              file=sys.stderr)
        return 2
    f = Fuzzer(q, rng)
    f.first = 1
    t0 = time.monotonic()
    finding = None
    done = 0
    try:
        done = f.run(a.ops, a.batch, t0 + a.seconds)
    except Finding as e:
        finding = str(e)
    except CannotRun as e:
        q.close()
        print("fuzz: cannot go on at seed %d, operations %d..%d: %s"
              % (a.seed, f.first, sum(f.counts.values()), e), file=sys.stderr)
        return 2
    secs = time.monotonic() - t0
    done = done or sum(f.counts.values())
    rc = q.close()
    rep = sanitizer_report(a.log)
    if rep and not finding:
        finding = "sanitizer report at exit"
    if not finding and rc not in (0, None):
        finding = "QEMU exited with status %d" % rc
    mix = " ".join("%s=%d" % (n, f.counts.get(n, 0)) for n, _ in Fuzzer.OPS)
    print("fuzz: seed %d, %d operations in %.1f s (%.0f ops/s, batches of %d): %s" %
          (a.seed, sum(f.counts.values()), secs,
           sum(f.counts.values()) / secs if secs else 0, a.batch, mix))
    if finding:
        # The batch's answers come after all of it is sent: the finding
        # is in operations first..last (rerun with --ops last --batch 1
        # to narrow it down).
        print("fuzz: FINDING in operations %d..%d of seed %d: %s (QEMU log: %s)"
              % (f.first, sum(f.counts.values()), a.seed, finding, a.log))
        if rep:
            print(rep)
        return 1
    if sum(f.counts.values()) < a.ops:
        print("fuzz: no finding, but the %d s bound stopped the run before "
              "operation %d" % (a.seconds, a.ops))
        return 4
    print("fuzz: no finding (0 sanitizer reports, QEMU exited %s)" % rc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
