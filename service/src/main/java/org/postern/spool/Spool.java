package org.postern.spool;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
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
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.postern.smtp.Envelope;

/**
 * The durable message store behind "250 means durable": one file per message in {@code queue/},
 * written in {@code tmp/} and renamed in only after an fsync, with the directory fsyncs of
 * concurrent commits batched by one committer thread. At open, temporary leftovers are deleted
 * and every committed file is checked; corrupt ones move to {@code quarantine/}. The on-disk
 * format is specified in {@code docs/spool-format.md}.
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
    private final List<SpooledMessage> recovered;
    private final GroupCommitter committer;
    private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];
    private final FreshContent fresh = new FreshContent();
    private volatile boolean closed;

    private Spool(Path directory, Quarantine quarantine, QueueIdGenerator ids, List<SpooledMessage> recovered,
            GroupCommitter committer) {
        this.directory = directory;
        this.tmp = directory.resolve("tmp");
        this.queue = directory.resolve("queue");
        this.quarantine = quarantine;
        this.ids = ids;
        this.recovered = List.copyOf(recovered);
        this.committer = committer;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Opens the spool, creating its directories if needed. Deletes the leftovers in {@code tmp/}
     * (never acknowledged), then reads the header and trailer of every file in {@code queue/}
     * (not the content), quarantining the corrupt ones.
     *
     * @throws IOException naming the directory when it cannot be created or written
     */
    public static Spool open(SpoolOptions options, SpoolEvents events) throws IOException {
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
        List<SpooledMessage> recovered = recoverAll(sortedEntries(queue), quarantine);
        recovered.forEach(m -> ids.observe(m.queueId())); // new ids sort after these even if the clock went back
        GroupCommitter committer = new GroupCommitter(queue, options.groupCommitWindow());
        LOG.log(Level.INFO, "spool {0}: recovered {1} messages, quarantined {2}, deleted {3} temporary files in {4} ms",
                directory, recovered.size(), quarantine.count(), leftovers, (System.nanoTime() - started) / 1_000_000);
        return new Spool(directory, quarantine, ids, recovered, committer);
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
        return new SpoolFileWriter(envelope, header, tmp.resolve(envelope.queueId()), queueFile, committer, fresh);
    }

    /**
     * The messages found in {@code queue/} at open, in queue-id order, with their recipient states and
     * details and their delivery schedules, without their content.
     */
    public List<SpooledMessage> recovered() {
        return recovered;
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
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
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
     * a crash before it repeats only that delivery, as a crash before the record would. Durable as
     * {@link #remove} is.
     *
     * @throws NoSuchFileException when there is no such message
     */
    public void removeCompleted(String queueId) throws IOException {
        delete(queueId);
    }

    /**
     * Deletes a message whatever its recipients' states: the operator's decision (Postfix
     * {@code postsuper -d}), never the queue's. Durable as {@link #remove} is.
     *
     * @throws NoSuchFileException when there is no such message
     */
    public void delete(String queueId) throws IOException {
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
        committer.awaitSync();
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
     * Checks every file of {@code queue/}, in parallel: with a cold page cache each file costs a random
     * read, and a disk serves many of those at once. The result keeps queue-id order.
     */
    private static List<SpooledMessage> recoverAll(List<Path> files, Quarantine quarantine) throws IOException {
        SpooledMessage[] found = new SpooledMessage[files.size()];
        int threads = Math.min(RECOVERY_THREADS, files.size() / 64 + 1);
        AtomicInteger next = new AtomicInteger();
        Callable<Void> worker = () -> {
            for (int i = next.getAndIncrement(); i < found.length; i = next.getAndIncrement()) {
                found[i] = recover(files.get(i), quarantine);
            }
            return null;
        };
        if (threads == 1) {
            callUnchecked(worker);
        } else {
            ThreadFactory factory = Thread.ofPlatform().name("postern-spool-recovery-", 0).daemon().factory();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads, factory)) {
                for (Future<Void> f : pool.invokeAll(Collections.nCopies(threads, worker))) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while recovering the spool");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io
                        : new IOException("spool recovery failed", e.getCause());
            }
        }
        List<SpooledMessage> recovered = new ArrayList<>(found.length);
        for (SpooledMessage m : found) {
            if (m != null) {
                recovered.add(m);
            }
        }
        return recovered;
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

    /** Checks one file of {@code queue/} at open; returns null when it was quarantined or skipped. */
    private static SpooledMessage recover(Path file, Quarantine quarantine) throws IOException {
        String name = file.getFileName().toString();
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isRegularFile()) {
            LOG.log(Level.WARNING, "spool queue/ holds {0}, which is not a regular file; left alone", file);
            return null;
        }
        if (!isQueueId(name)) {
            quarantine.move(file, "file name is not a queue id");
            return null;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return parse(ch, name).message();
        } catch (QuarantineException e) {
            quarantine.move(file, e.reason());
        } catch (IOException e) {
            // An unreadable file should not stop the relay from starting; it is kept for the operator.
            quarantine.move(file, "unreadable: " + e);
        }
        return null;
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
