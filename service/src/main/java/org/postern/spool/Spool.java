package org.postern.spool;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.postern.smtp.Envelope;

/**
 * The durable message store behind "250 means durable": one file per message in {@code queue/},
 * written in {@code tmp/} and renamed in only after an fsync, with the directory fsyncs of
 * concurrent commits batched by one committer thread. At open, temporary leftovers are deleted
 * and the names in {@code queue/} are listed; {@link #recover} then checks every committed file,
 * moving corrupt ones to {@code quarantine/}, while the relay already takes new mail: a long queue
 * does not delay readiness. The on-disk format is specified in {@code docs/spool-format.md}.
 *
 * <p>Thread-safe. Blocking IO is never done while holding a monitor ({@code synchronized}), only
 * {@link ReentrantLock}s, so virtual threads do not pin their carriers.
 */
public final class Spool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Spool.class.getName());
    /** markRecipient and remove of one message are serialised; different messages rarely share a stripe. */
    private static final int LOCK_STRIPES = 256;
    /** Files read at once during recovery: enough to keep an SSD's queue busy with a cold cache. */
    private static final int RECOVERY_THREADS = 16;

    private final Path directory;
    private final Path tmp;
    private final Path queue;
    private final Quarantine quarantine;
    private final QueueIdGenerator ids;
    /** The names found in {@code queue/} at open, sorted; {@link #recover} checks them. Null once all are. */
    private String[] unchecked;
    /** The next index of {@link #unchecked} for {@link #recover} to claim. */
    private final AtomicInteger recoveryCursor = new AtomicInteger();
    /** Serialises {@link #recover} calls; held while one runs. */
    private final ReentrantLock recoveryLock = new ReentrantLock();
    /** What {@link #recovered()} returned, once it has been called; null until then. */
    private List<SpooledMessage> recoveredList;
    private final GroupCommitter committer;
    private final SpoolIo io;
    private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];
    private final FreshContent fresh = new FreshContent();
    private volatile boolean closed;

    private Spool(Path directory, Quarantine quarantine, QueueIdGenerator ids, String[] unchecked,
            GroupCommitter committer, SpoolIo io) {
        this.directory = directory;
        this.tmp = directory.resolve("tmp");
        this.queue = directory.resolve("queue");
        this.quarantine = quarantine;
        this.ids = ids;
        this.unchecked = unchecked;
        this.committer = committer;
        this.io = io;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Opens the spool, creating its directories if needed. Deletes the leftovers in {@code tmp/}
     * (never acknowledged) and lists the names in {@code queue/}, without reading the files: that is
     * {@link #recover}'s job, which the queue runs once the relay is up. New queue ids sort after
     * every name found.
     *
     * @throws IOException naming the directory when it cannot be created or written
     */
    public static Spool open(SpoolOptions options, SpoolEvents events) throws IOException {
        return open(options, events, SpoolIo.REAL);
    }

    /** {@link #open(SpoolOptions, SpoolEvents)} with other file operations: for fault-injection tests. */
    static Spool open(SpoolOptions options, SpoolEvents events, SpoolIo io) throws IOException {
        Objects.requireNonNull(events, "events");
        long started = System.nanoTime();
        Path directory = options.directory().toAbsolutePath();
        Path tmp = directory.resolve("tmp");
        Path queue = directory.resolve("queue");
        Path quarantineDir = directory.resolve("quarantine");
        prepare(directory, tmp, queue, quarantineDir);

        int leftovers = deleteLeftovers(tmp);
        Quarantine quarantine = new Quarantine(quarantineDir, events);
        QueueIdGenerator ids = new QueueIdGenerator(Clock.systemUTC(), 0);
        String[] names = sortedNames(queue);
        for (String name : names) {
            ids.observe(name); // new ids sort after these even if the clock went back; corrupt files included
        }
        GroupCommitter committer = new GroupCommitter(queue, options.groupCommitWindow(), io);
        LOG.log(Level.INFO, "spool {0}: {1} files in queue/ to recover, deleted {2} temporary files, in {3} ms",
                directory, names.length, leftovers, (System.nanoTime() - started) / 1_000_000);
        return new Spool(directory, quarantine, ids, names, committer, io);
    }

    /** A fresh queue id: unique across threads, restarts and replicas, sorting by arrival as a plain string. */
    public String newQueueId() {
        return ids.next();
    }

    /**
     * Starts writing one message to {@code tmp/}. Nothing is in the queue until
     * {@link SpoolWriter#commit()} returns.
     *
     * @param envelope its queue id should come from {@link #newQueueId()}; any id of letters,
     *                 digits, {@code -} and {@code _} (at most 100) is accepted, such as one derived
     *                 from another message's id ({@code <queue id>-D1} for its DSN)
     * @throws FileAlreadyExistsException when a message with that queue id is already in the spool:
     *                                    a derived id makes spooling a notification idempotent
     */
    public SpoolWriter create(Envelope envelope) throws IOException {
        ensureOpen();
        Path queueFile = queueFile(envelope.queueId());
        // Following links: the JDK answers that with one stat and no exception (NOFOLLOW_LINKS throws
        // and catches one per message); only Postern creates entries in queue/, never links.
        if (Files.exists(queueFile)) {
            throw new FileAlreadyExistsException(queueFile.toString(), null, "queue id already in the spool");
        }
        byte[] header = SpoolHeader.encode(envelope);
        return new SpoolFileWriter(envelope, header, tmp.resolve(envelope.queueId()), queueFile, committer, io, fresh);
    }

    /**
     * Checks every file found in {@code queue/} at open, reading its header, trailer and records (not
     * the content), and hands each intact message to {@code sink}; corrupt files are quarantined, as
     * at any read. Files are read by up to 16 threads at once (with a cold page cache each one costs a
     * random read, and a disk serves many at once), so {@code sink} is called from several threads,
     * in no particular order. A file removed meanwhile is skipped.
     *
     * <p>Only one call checks each file: a later call hands over nothing (or, after
     * {@link #recovered()}, what that returned). Nothing is kept per message, so a long queue costs
     * the caller only what its sink keeps.
     *
     * @throws InterruptedIOException when the calling thread was interrupted; the files not yet
     *                                checked are left for the next call
     */
    public void recover(Consumer<SpooledMessage> sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        recoveryLock.lock();
        try {
            if (recoveredList != null) {
                recoveredList.forEach(sink);
                return;
            }
            if (unchecked == null) {
                return;
            }
            long started = System.nanoTime();
            long quarantinedBefore = quarantine.count();
            int found = recoverAll(unchecked, sink);
            LOG.log(Level.INFO, "spool {0}: recovered {1} messages, quarantined {2}, in {3} ms", directory, found,
                    quarantine.count() - quarantinedBefore, (System.nanoTime() - started) / 1_000_000);
            unchecked = null;
        } finally {
            recoveryLock.unlock();
        }
    }

    /** How many of the files found in {@code queue/} at open {@link #recover} has not checked yet. */
    public int uncheckedCount() {
        String[] names = unchecked;
        return names == null ? 0 : Math.max(0, names.length - recoveryCursor.get());
    }

    /**
     * The intact messages found in {@code queue/} at open, in queue-id order, with their recipient
     * states and details and their delivery schedules, without their content: {@link #recover}s into
     * a list on the first call and returns that list ever after. It holds every envelope in memory,
     * so it is for tests and tools; the queue uses {@link #recover} and keeps only what it schedules by.
     *
     * @throws UncheckedIOException when recovery fails
     */
    public List<SpooledMessage> recovered() {
        recoveryLock.lock();
        try {
            if (recoveredList == null) {
                List<SpooledMessage> found = Collections.synchronizedList(new ArrayList<>());
                recover(found::add);
                List<SpooledMessage> sorted = new ArrayList<>(found);
                sorted.sort(Comparator.comparing(SpooledMessage::queueId));
                recoveredList = List.copyOf(sorted);
            }
            return recoveredList;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            recoveryLock.unlock();
        }
    }

    /**
     * Reads a committed message's envelope, recipient states and details, and delivery schedule
     * (not its content).
     *
     * @throws NoSuchFileException when there is no such message
     * @throws QuarantineException when the file is corrupt; it has been quarantined
     */
    public SpooledMessage read(String queueId) throws IOException {
        Path file = queueFile(queueId);
        return readChecked(file, queueId).message();
    }

    /**
     * Streams a committed message's content: exactly the bytes written to {@link SpoolWriter#content()}.
     * The CRC32C is checked when the last bytes are read; on a mismatch the stream throws
     * {@link QuarantineException} before returning them, and the file is quarantined. The first read
     * of a message this process committed does not parse the header again: the content's place is
     * known from the commit (the header and content never change after it).
     */
    public InputStream openContent(String queueId) throws IOException {
        Path file = queueFile(queueId);
        FreshContent.Location known = fresh.take(queueId);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        if (known != null) {
            return new ContentInputStream(ch, known.start(), known.length(), known.crc(),
                    reason -> quarantine.move(file, reason));
        }
        try {
            SpoolFile f = parse(ch, queueId);
            return new ContentInputStream(ch, f.contentStart(), f.message().contentLength(), f.contentCrc(),
                    reason -> quarantine.move(file, reason));
        } catch (QuarantineException e) {
            ch.close();
            quarantine.move(file, e.reason());
            throw e;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Durably records a recipient's new state, without a detail. Same as
     * {@link #markRecipient(String, int, RecipientState, String) markRecipient(queueId, recipientIndex, state, null)}.
     */
    public void markRecipient(String queueId, int recipientIndex, RecipientState state) throws IOException {
        markRecipient(queueId, recipientIndex, state, null);
    }

    /**
     * Durably records a recipient's new state and a detail: appends a state record and fsyncs the
     * file before returning. When the message is read, the last record per recipient wins, detail
     * included (a later record without a detail clears it).
     *
     * @param recipientIndex the recipient's position in {@code envelope.recipients()}
     * @param detail         opaque to the spool (the queue keeps its DSN report here); any Unicode, or null
     * @throws IndexOutOfBoundsException when the message has no such recipient
     * @throws IllegalArgumentException  when {@code detail} is not valid Unicode (a lone surrogate)
     * @throws QuarantineException       when the file is corrupt; it has been quarantined
     * @throws IOException               also when the records after the content would exceed 64 MiB, the
     *                                   most that recovery reads; nothing is appended then
     */
    public void markRecipient(String queueId, int recipientIndex, RecipientState state, String detail)
            throws IOException {
        Objects.requireNonNull(state, "state");
        byte[] record = SpoolRecord.state(recipientIndex, state, detail);
        append(queueId, record, message -> {
            int recipients = message.states().size();
            if (recipientIndex < 0 || recipientIndex >= recipients) {
                throw new IndexOutOfBoundsException("recipient " + recipientIndex + " of " + queueId
                        + ", which has " + recipients);
            }
        });
    }

    /**
     * Durably records a message's delivery schedule: appends a schedule record and fsyncs the file
     * before returning. When the message is read, the last record wins; see
     * {@link SpooledMessage#schedule()}.
     *
     * @throws QuarantineException when the file is corrupt; it has been quarantined
     * @throws IOException         also when the records after the content would exceed 64 MiB; nothing
     *                             is appended then
     */
    public void recordSchedule(String queueId, DeliverySchedule schedule) throws IOException {
        Objects.requireNonNull(schedule, "schedule");
        append(queueId, SpoolRecord.schedule(schedule), message -> {
        });
    }

    /**
     * Durably records that the operator placed a message on hold ({@code held}) or released it, at
     * {@code at}: appends a hold record and fsyncs the file before returning. When the message is
     * read, the last hold record wins; see {@link SpooledMessage#heldSince()}. The spool only keeps
     * the mark; not attempting a held message is the delivery queue's business.
     *
     * @throws QuarantineException when the file is corrupt; it has been quarantined
     * @throws IOException         also when the records after the content would exceed 64 MiB; nothing
     *                             is appended then
     */
    public void recordHold(String queueId, boolean held, java.time.Instant at) throws IOException {
        Objects.requireNonNull(at, "at");
        append(queueId, SpoolRecord.hold(held, at), message -> {
        });
    }

    /**
     * Appends one record after the file's end and fsyncs it, under the message's lock (so appends
     * and remove of one message never interleave). A failed write is truncated away again.
     *
     * @param check looks at the message as it is on disk and throws to refuse the append
     */
    private void append(String queueId, byte[] record, Consumer<SpooledMessage> check) throws IOException {
        Path file = queueFile(queueId);
        ReentrantLock lock = stripe(queueId);
        lock.lock();
        try (FileChannel ch = io.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            SpoolFile f;
            try {
                f = parse(ch, queueId);
            } catch (QuarantineException e) {
                quarantine.move(file, e.reason()); // moving an open file is fine on POSIX
                throw e;
            }
            check.accept(f.message());
            if (f.tornTail()) {
                // End the torn record left by a crash, so this one starts on a line of its own.
                byte[] withNewline = new byte[record.length + 1];
                withNewline[0] = '\n';
                System.arraycopy(record, 0, withNewline, 1, record.length);
                record = withNewline;
            }
            if (f.tailLength() + record.length > SpoolFile.MAX_TAIL) {
                // Past the budget recovery would quarantine the whole message; refusing one record is the lesser harm.
                throw new IOException("spool file " + queueId + " has " + f.tailLength()
                        + " bytes of records; appending would exceed the " + SpoolFile.MAX_TAIL + " bytes recovery reads");
            }
            try {
                Fsync.writeFully(ch, ByteBuffer.wrap(record), f.size());
                ch.force(true);
            } catch (IOException e) {
                truncateQuietly(ch, f.size());
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes a message whose recipients are all final, durably (the directory is fsynced, grouped
     * with concurrent commits).
     *
     * @throws IllegalStateException when a recipient is still {@link RecipientState#PENDING}:
     *                               removing it would lose mail
     */
    public void remove(String queueId) throws IOException {
        ensureOpen();
        Path file = queueFile(queueId);
        ReentrantLock lock = stripe(queueId);
        lock.lock();
        try {
            SpooledMessage message = readChecked(file, queueId).message();
            if (!message.isComplete()) {
                throw new IllegalStateException("message " + queueId + " still has pending recipients: "
                        + message.states());
            }
            Files.delete(file);
            fresh.forget(queueId);
        } finally {
            lock.unlock();
        }
        committer.awaitSync();
    }

    /**
     * Deletes a message the delivery queue has completed, without reading it: every recipient is
     * final, though the last one's state record may never have been written. The queue skips that
     * record (and its fsync) when the removal follows at once: the deletion records the outcome, and
     * a crash before it repeats only that delivery, as a crash before the record would. It does not
     * wait for the directory fsync: the unlink becomes durable with the next one (a commit's, or the
     * committer's own within a second), and a crash before that, too, only repeats the delivery.
     *
     * @throws NoSuchFileException when there is no such message
     */
    public void removeCompleted(String queueId) throws IOException {
        unlink(queueId);
        committer.syncSoon();
    }

    /**
     * Deletes a message whatever its recipients' states: the operator's decision (Postfix
     * {@code postsuper -d}), never the queue's. Durable as {@link #remove} is.
     *
     * @throws NoSuchFileException when there is no such message
     */
    public void delete(String queueId) throws IOException {
        unlink(queueId);
        committer.awaitSync();
    }

    private void unlink(String queueId) throws IOException {
        ensureOpen();
        Path file = queueFile(queueId);
        ReentrantLock lock = stripe(queueId);
        lock.lock();
        try {
            fresh.forget(queueId);
            Files.delete(file);
        } finally {
            lock.unlock();
        }
    }

    /** Committed messages whose content location is remembered for their first read (tests). */
    int freshContentCount() {
        return fresh.size();
    }

    /** The queue ids of all committed messages now in {@code queue/}, sorted. Lists the directory. */
    public List<String> queueIds() throws IOException {
        List<String> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(queue)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (isQueueId(name)) {
                    result.add(name);
                }
            }
        }
        result.sort(null);
        return result;
    }

    /** Files quarantined since open, those found at open included. */
    public long quarantinedCount() {
        return quarantine.count();
    }

    public Path directory() {
        return directory;
    }

    /** How many directory fsyncs the committer has done; for tests of group commit. */
    long directorySyncCount() {
        return committer.syncCount();
    }

    /**
     * Stops the committer thread: commits already waiting get their fsync; later create, commit and
     * remove calls fail with IOException. Reading, {@link #markRecipient} and {@link #recordSchedule} keep
     * working.
     */
    @Override
    public void close() {
        closed = true;
        committer.close();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("spool " + directory + " is closed");
        }
    }

    private Path queueFile(String queueId) {
        if (queueId == null || !isQueueId(queueId)) {
            throw new IllegalArgumentException("not a valid queue id: " + queueId);
        }
        return queue.resolve(queueId);
    }

    /**
     * What a queue id may look like to be a file name here: 1 to 100 letters, digits, {@code -} and
     * {@code _}, not starting with {@code -} or {@code _}. Ids from {@link #newQueueId()} always are;
     * names with a dot (temporary files of other tools, quarantine suffixes) never are.
     */
    static boolean isQueueId(String s) {
        if (s.isEmpty() || s.length() > 100 || s.charAt(0) == '-' || s.charAt(0) == '_') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private ReentrantLock stripe(String queueId) {
        return stripes[Math.floorMod(queueId.hashCode(), stripes.length)];
    }

    /** Reads a message's structure; a corrupt file is quarantined and the QuarantineException rethrown. */
    private SpoolFile readChecked(Path file, String queueId) throws IOException {
        SpoolFile f;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            f = parse(ch, queueId);
        } catch (QuarantineException e) {
            quarantine.move(file, e.reason());
            throw e;
        }
        return f;
    }

    private static SpoolFile parse(FileChannel ch, String queueId) throws IOException {
        SpoolFile f = SpoolFile.read(ch);
        if (!f.message().queueId().equals(queueId)) {
            throw new QuarantineException("queue id " + f.message().queueId()
                    + " in the header does not match the file name");
        }
        return f;
    }

    private static void truncateQuietly(FileChannel ch, long size) {
        try {
            ch.truncate(size);
            ch.force(true);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not undo a failed record append", e);
        }
    }

    // --- open ---

    private static void prepare(Path directory, Path... subdirectories) throws IOException {
        try {
            Files.createDirectories(directory);
            for (Path d : subdirectories) {
                Files.createDirectories(d);
            }
            Path probe = Files.createTempFile(subdirectories[0], ".probe-", "");
            Files.delete(probe);
            for (Path d : subdirectories) {
                if (!Files.isWritable(d)) {
                    throw new FileSystemException(d.toString(), null, "not writable");
                }
            }
            Fsync.directory(directory); // the subdirectories themselves survive a crash
        } catch (IOException e) {
            throw new IOException("spool directory " + directory + " is not usable (must be a writable directory): "
                    + e, e);
        }
    }

    /** Empties {@code tmp/}: its files were never committed, so no client was told 250 for them. */
    private static int deleteLeftovers(Path tmp) throws IOException {
        int n = 0;
        for (Path p : sortedEntries(tmp)) {
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(p);
                n++;
            } else {
                LOG.log(Level.WARNING, "spool tmp/ holds {0}, which is not a regular file; left alone", p);
            }
        }
        return n;
    }

    /**
     * Checks the unchecked files of {@code queue/} in parallel, claiming them in queue-id order (so the
     * oldest come first), until all are checked, the spool is closed or the calling thread is
     * interrupted. Workers finish the file in hand before they stop, so each claimed file is checked
     * exactly once. Returns how many intact messages went to {@code sink}.
     */
    private int recoverAll(String[] names, Consumer<SpooledMessage> sink) throws IOException {
        int left = names.length - recoveryCursor.get();
        int threads = Math.max(1, Math.min(RECOVERY_THREADS, left / 64 + 1));
        AtomicInteger found = new AtomicInteger();
        AtomicBoolean cancelled = new AtomicBoolean();
        Callable<Void> worker = () -> {
            while (!cancelled.get() && !closed) {
                int i = recoveryCursor.getAndIncrement();
                if (i >= names.length) {
                    break;
                }
                SpooledMessage m = recover(names[i]);
                if (m != null) {
                    sink.accept(m);
                    found.incrementAndGet();
                }
            }
            return null;
        };
        if (threads == 1) {
            callUnchecked(worker);
        } else {
            ThreadFactory factory = Thread.ofPlatform().name("postern-spool-recovery-", 0).daemon().factory();
            ExecutorService pool = Executors.newFixedThreadPool(threads, factory);
            try {
                List<Future<Void>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(worker));
                }
                for (Future<Void> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                cancelled.set(true); // never interrupt a worker: an interrupted read is not a corrupt file
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while recovering the spool");
            } catch (ExecutionException e) {
                cancelled.set(true);
                throw e.getCause() instanceof IOException io ? io
                        : new IOException("spool recovery failed", e.getCause());
            } finally {
                pool.shutdown();
            }
        }
        if (closed && recoveryCursor.get() < names.length) {
            throw new IOException("spool " + directory + " closed during recovery");
        }
        return found.get();
    }

    private static void callUnchecked(Callable<Void> task) throws IOException {
        try {
            task.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /**
     * Checks one file found in {@code queue/} at open; returns null when it was quarantined, skipped
     * or is gone (removed or quarantined since open). Reads under the message's lock, so it never
     * sees an append half done.
     */
    private SpooledMessage recover(String name) throws IOException {
        Path file = queue.resolve(name);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!attrs.isRegularFile()) {
            LOG.log(Level.WARNING, "spool queue/ holds {0}, which is not a regular file; left alone", file);
            return null;
        }
        if (!isQueueId(name)) {
            quarantine.move(file, "file name is not a queue id");
            return null;
        }
        String reason;
        ReentrantLock lock = stripe(name);
        lock.lock();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return parse(ch, name).message();
        } catch (NoSuchFileException e) {
            return null;
        } catch (QuarantineException e) {
            reason = e.reason();
        } catch (IOException e) {
            // An unreadable file should not stop the relay; it is kept for the operator.
            reason = "unreadable: " + e;
        } finally {
            lock.unlock();
        }
        quarantine.move(file, reason);
        return null;
    }

    /** The names in {@code dir}, sorted; no file is opened or stat'ed. */
    private static String[] sortedNames(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                names.add(p.getFileName().toString());
            }
        }
        String[] sorted = names.toArray(new String[0]);
        Arrays.sort(sorted);
        return sorted;
    }

    private static List<Path> sortedEntries(Path dir) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        }
        entries.sort(null);
        return entries;
    }
}
