#!/usr/bin/env python3
"""Each fsync of the profiled agent and of the benchmark's interleaved raw appends, from a BENCH_PROFILE_PERF recording
(benchmarks/FaultInjection.Benchmarks/Program.cs), split (µs) into: the thread on the CPU; the block requests in flight
(device: issue..complete, their union; and per kind: WS the data, WSM the inode (and, when a block is allocated, the
bitmap's), FF the cache flush); completion -> wake-up of the thread; wake-up -> on the CPU; preempted (runnable, not
running); the cache flush's wait for the kblockd kworker that issues it (woken by the fsync thread); the rest.
p50/p90/mean per process and call, then the wake-ups and the flush's kworker waits by what held the CPU (#14, fsyncgap).
Usage: perf script -i <file> -F comm,pid,tid,cpu,time,event,trace > t.txt; fsync-timeline.py t.txt <agent pid> <bench pid>
(both pids are printed by the benchmark beside the recording's path)."""
import re, sys, statistics as st
path, agent, bench = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
line_re = re.compile(r'^\s*(.*?)\s+(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(\S+):\s*(.*)$')
ev = []
for l in open(path, errors='replace'):
    m = line_re.match(l)
    if m:
        comm, pid, tid, cpu, t, name, rest = m.groups()
        ev.append((float(t) * 1e6, int(pid), int(tid), int(cpu), name, rest))
ev.sort(key=lambda x: x[0])
res = {}
cpu_curr = {}  # cpu -> pid (process) running now
tid_pid = {}
for t, pid, tid, cpu, name, rest in ev: tid_pid[tid] = pid
kicks = {}
wakes = {}  # (who, what ran on the target cpu) -> list of wake->run
def kind(p):
    if p == 0: return 'idle'
    pp = tid_pid.get(p, p)
    return 'agent' if pp == agent else 'bench' if pp == bench else 'other'
active = {}   # tid -> state dict
reqs_open = {}  # (rwbs-base, sector) -> (issue time, fsync tid or None)
last_fsync_tid = None
for t, pid, tid, cpu, name, rest in ev:
    if name == 'ext4:ext4_sync_file_enter' and pid in (agent, bench):
        active[tid] = dict(pid=pid, s=t, oncpu_since=t, oncpu=0.0, dev=[], c2w=0.0, w2r=0.0, last_comp=None, woke=None,
                           ds='datasync 1' in rest, kinds=[], cpus=set([cpu]), pre=0.0, devk={}, fw=0.0)
        continue
    if name == 'ext4:ext4_sync_file_exit' and tid in active:
        a = active.pop(tid)
        if a['oncpu_since'] is not None: a['oncpu'] += t - a['oncpu_since']
        # union of device intervals
        iv = sorted(a['dev']); dev = 0.0; cur = None
        for s0, e0 in iv:
            if cur is None or s0 > cur[1]:
                if cur: dev += cur[1] - cur[0]
                cur = [s0, e0]
            else: cur[1] = max(cur[1], e0)
        if cur: dev += cur[1] - cur[0]
        total = t - a['s']
        key = ('agent' if a['pid'] == agent else 'bench', 'fdatasync' if a['ds'] else 'fsync')
        res.setdefault(key, []).append(dict(total=total, oncpu=a['oncpu'], device=dev, comp_to_wake=a['c2w'], wake_to_run=a['w2r'], preempted=a['pre'], flush_kworker_wait=a['fw'],
                                            dev_WS=a['devk'].get('WS', 0.0), dev_WSM=a['devk'].get('WSM', 0.0), dev_FF=a['devk'].get('FF', 0.0),
                                            rest=total - a['oncpu'] - dev - a['c2w'] - a['w2r'] - a['pre'] - a['fw'], kinds=' '.join(a['kinds']), nreq=len(a['kinds'])))
        continue
    if name == 'block:block_rq_issue':
        m = re.match(r'\S+ (\S+) \d+ \(\S*\) (\d+)', rest)
        if m:
            owner = tid if tid in active else (list(active)[0] if len(active) == 1 else None)
            reqs_open[(m.group(1)[:2], m.group(2) if m.group(1) != 'FF' else 'FF')] = (t, owner)
            if owner in active:
                active[owner]['kinds'].append(m.group(1))
                if m.group(1) == 'FF' and active[owner].get('kick') is not None:
                    active[owner]['fw'] += t - active[owner]['kick']
                    kicks.setdefault(('agent' if active[owner]['pid'] == agent else 'bench', active[owner].get('kick_next', '?')), []).append(t - active[owner]['kick'])
                    active[owner]['kick'] = None; active[owner]['kick_next'] = '?'
        continue
    if name == 'block:block_rq_complete':
        m = re.match(r'\S+ (\S+) \(\S*\) (\d+)', rest)
        if m:
            k = (m.group(1)[:2], m.group(2) if m.group(1) != 'FF' else 'FF')
            if k in reqs_open:
                it, owner = reqs_open.pop(k)
                if owner in active:
                    active[owner]['dev'].append((it, t)); active[owner]['last_comp'] = t
                    dk = active[owner]['devk']; kk = m.group(1) if m.group(1) in ('FF','WSM') else ('WS' if m.group(1).startswith('WS') and m.group(2) != '0' else 'other')
                    dk[kk] = dk.get(kk, 0.0) + t - it
        continue
    if name == 'sched:sched_wakeup':
        if tid in active and rest.startswith('comm=kworker/'):
            active[tid]['kick'] = t
        m = re.search(r' pid=(\d+)', rest)
        if m and int(m.group(1)) in active:
            a = active[int(m.group(1))]
            if a['last_comp'] is not None: a['c2w'] += t - a['last_comp']; a['last_comp'] = None
            a['woke'] = t
            tc = re.search(r'target_cpu=(\d+)', rest)
            a['woke_on'] = (kind(cpu_curr.get(int(tc.group(1)), -1)) + '@cpu' + tc.group(1) + ('/irq-cpu' if cpu == int(tc.group(1)) else '/ipi')) if tc else '?'
        continue
    if name == 'sched:sched_switch':
        m = re.search(r'prev_pid=(\d+) .*prev_state=(\S+) ==> .*next_pid=(\d+)', rest)
        if not m: continue
        prev, nxt = int(m.group(1)), int(m.group(3))
        cpu_curr[cpu] = nxt
        if prev in active and active[prev]['oncpu_since'] is not None:
            active[prev]['oncpu'] += t - active[prev]['oncpu_since']; active[prev]['oncpu_since'] = None
            if m.group(2).startswith('R'): active[prev]['preempted_at'] = t
            if active[prev].get('kick') is not None: active[prev]['kick_next'] = kind(nxt)
        if nxt in active:
            a = active[nxt]
            if a['woke'] is not None:
                a['w2r'] += t - a['woke']
                wakes.setdefault(('agent' if a['pid'] == agent else 'bench', a['woke_on']), []).append(t - a['woke'])
                a['woke'] = None
            a['oncpu_since'] = t; a['cpus'].add(cpu)
            if a.get('preempted_at') is not None: a['pre'] += t - a['preempted_at']; a['preempted_at'] = None
def q(v, p):
    v = sorted(v); return v[min(len(v) - 1, int(p * len(v)))]
for key, rs in sorted(res.items()):
    print(f'{key[0]} {key[1]}: n={len(rs)}')
    for f in ['total', 'oncpu', 'device', 'dev_WS', 'dev_WSM', 'dev_FF', 'comp_to_wake', 'wake_to_run', 'preempted', 'flush_kworker_wait', 'rest', 'nreq']:
        v = [r[f] for r in rs]
        print(f'  {f:13s} p50 {q(v, .5):7.1f}  p90 {q(v, .9):7.1f}  mean {st.mean(v):7.1f}')
    kinds = {}
    for r in rs: kinds[r['kinds']] = kinds.get(r['kinds'], 0) + 1
    print('  requests:', sorted(kinds.items(), key=lambda x: -x[1])[:4])
print('wake-ups inside the fsyncs, by what ran on the target CPU when the wake-up came (count, wake->run p50/mean):')
for k, v in sorted(wakes.items()):
    print(f'  {k[0]:6s} woken onto {k[1]:22s}: n={len(v):5d} p50 {q(v,.5):6.1f} mean {st.mean(v):7.1f}')
print('the cache flush: the fsync thread wakes the kblockd kworker that issues it, then sleeps; by what got the CPU next (count, wake->issue p50/p90/mean):')
for k, v in sorted(kicks.items()):
    print(f'  {k[0]:6s} then {k[1]:6s}: n={len(v):5d} p50 {q(v,.5):6.1f} p90 {q(v,.9):6.1f} mean {st.mean(v):7.1f}')
