package org.postern.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ready queue of one destination: jobs waiting for it, the workers delivering them (at most
 * the destination concurrency limit) and the idle sessions kept for reuse. A worker keeps its
 * session from job to job, so a busy destination sees one connection carry many messages; when the
 * queue runs dry the session is parked for the connection cache time.
 *
 * <p>A destination with a bulkhead ({@link DestinationGuard}) has at most as many workers as its
 * bulkhead allows, each holding a permit while it runs. A worker carries one connection at a time
 * and a new worker takes a parked one before opening another, so the bulkhead caps the
 * destination's open connections. The permit is returned in the same critical section that lets
 * the next worker start, so that worker never finds it still taken.
 */
final class DestinationQueue {
    private static final System.Logger LOG = System.getLogger(DestinationQueue.class.getName());
    private final Destination destination;
    private final int limit;
    private final Semaphore sessions;
    private final DeliveryAgent agent;
    private final DestinationGuard guard;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<DeliveryJob> jobs = new ArrayDeque<>();
    private final ArrayDeque<PooledSession> idle = new ArrayDeque<>();
    private final List<Thread> workerThreads = new ArrayList<>();
    private int workers;

    DestinationQueue(Destination destination, int limit, Semaphore sessions, DeliveryAgent agent,
            DestinationGuard guard) {
        this.destination = destination;
        this.limit = guard.concurrency(destination, limit);
        this.sessions = sessions;
        this.agent = agent;
        this.guard = guard;
    }

    Destination destination() {
        return destination;
    }

    void submit(DeliveryJob job) {
        boolean start;
        lock.lock();
        try {
            jobs.add(job);
            start = workers < limit;
            if (start) {
                workers++;
            }
        } finally {
            lock.unlock();
        }
        if (start) {
            Thread t = Thread.ofVirtual().name("postern-delivery " + destination).unstarted(this::work);
            lock.lock();
            try {
                workerThreads.add(t);
            } finally {
                lock.unlock();
            }
            t.start();
        }
    }

    /** Takes every waiting job, for a site failure that applies to all of them. */
    List<DeliveryJob> drainJobs() {
        lock.lock();
        try {
            List<DeliveryJob> all = new ArrayList<>(jobs);
            jobs.clear();
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** Quits idle sessions older than the cache time; true when this queue is empty and may be dropped. */
    boolean sweep(long maxIdleNanos) {
        List<PooledSession> expired = new ArrayList<>();
        boolean empty;
        lock.lock();
        try {
            long now = System.nanoTime();
            idle.removeIf(s -> {
                if (now - s.idleSinceNanos >= maxIdleNanos) {
                    expired.add(s);
                    return true;
                }
                return false;
            });
            empty = jobs.isEmpty() && idle.isEmpty() && workers == 0;
        } finally {
            lock.unlock();
        }
        expired.forEach(PooledSession::quitQuietly);
        return empty;
    }

    /** For shutdown: interrupts workers (their sockets close) and quits idle sessions. */
    void shutdown() {
        List<PooledSession> parked;
        List<Thread> threads;
        lock.lock();
        try {
            parked = new ArrayList<>(idle);
            idle.clear();
            threads = new ArrayList<>(workerThreads);
        } finally {
            lock.unlock();
        }
        parked.forEach(PooledSession::quitQuietly);
        threads.forEach(Thread::interrupt);
    }

    int activeWorkers() {
        lock.lock();
        try {
            return workers;
        } finally {
            lock.unlock();
        }
    }

    /** Defers a job without delivering it; a cached session this worker took stays cached. */
    private PooledSession refuse(DeliveryJob job, DeliveryOutcome outcome, PooledSession session) {
        agent.refuse(job, outcome);
        return session;
    }

    private void work() {
        PooledSession session = null;
        boolean permit = false;
        boolean counted = true;
        // False when a bulkhead shared with another destination (one host, two ports) stayed full
        // for its max-wait-duration: this worker then defers its jobs instead of delivering them.
        boolean admitted = false;
        try {
            sessions.acquire();
            permit = true;
            admitted = guard.enterBulkhead(destination);
            while (true) {
                DeliveryJob job;
                lock.lock();
                try {
                    job = jobs.poll();
                    if (job == null) {
                        if (session != null) {
                            session.idleSinceNanos = System.nanoTime();
                            idle.push(session);
                            session = null;
                        }
                        // Leave in the same critical section that saw the queue empty, or a job
                        // submitted in between would find the limit reached and no worker to run it.
                        if (admitted) {
                            guard.leaveBulkhead(destination);
                            admitted = false;
                        }
                        workers--;
                        workerThreads.remove(Thread.currentThread());
                        counted = false;
                        return;
                    }
                    if (session == null) {
                        session = idle.pollFirst();
                    }
                } finally {
                    lock.unlock();
                }
                try {
                    session = admitted ? agent.run(job, session, this)
                            : refuse(job, guard.bulkheadFull(destination), session);
                } catch (RuntimeException e) {
                    // A bug must not strand the jobs behind this one; the recipients stay pending.
                    LOG.log(System.Logger.Level.ERROR, "delivery to " + destination + " failed unexpectedly", e);
                    if (session != null) {
                        session.closeQuietly();
                        session = null;
                    }
                }
            }
        } catch (InterruptedException e) {
            // Shutdown while waiting for a session permit: the jobs stay pending in the spool.
            for (DeliveryJob job : drainJobs()) {
                job.attempt().jobDone();
            }
        } finally {
            if (session != null) {
                session.quitQuietly();
            }
            if (permit) {
                sessions.release();
            }
            if (counted) {
                lock.lock();
                try {
                    if (admitted) {
                        guard.leaveBulkhead(destination);
                    }
                    workers--;
                    workerThreads.remove(Thread.currentThread());
                } finally {
                    lock.unlock();
                }
            }
        }
    }
}
