package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Address;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The IPAM store: one SQLite database in WAL mode with {@code synchronous=FULL}, so a committed
 * transaction is on disk (the WAL is fsync'ed at each commit) and a crash at any point leaves the
 * last committed state.
 *
 * <p>Schema (version 1): {@code meta(key, value)} holds {@code peer} (8-byte name), {@code range}
 * (CIDR text), {@code ring} and {@code paxos} (each a CRC32C followed by our binary encoding);
 * {@code owned(address PRIMARY KEY, id, prefix)} holds one row per allocated address. The file
 * carries SQLite's {@code application_id} {@value #APPLICATION_ID} ("weft") and
 * {@code user_version} = schema version, so a foreign or newer file is recognised.
 *
 * <p>Not thread-safe: used by one writer thread (after {@link #open} on any thread).
 */
public final class SqliteStore implements AutoCloseable {

    /** "weft" in ASCII, SQLite's application_id of our files. */
    public static final int APPLICATION_ID = 0x77656674;

    public static final int SCHEMA_VERSION = 1;

    private final Path file;
    private final Connection db;
    private final PreparedStatement putMeta;
    private final PreparedStatement putOwned;
    private final PreparedStatement deleteOwned;

    /** The store cannot be used; the message says why and what to do. */
    public static final class StoreException extends Exception {
        private static final long serialVersionUID = 1L;

        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }

        public StoreException(String message) {
            super(message);
        }
    }

    private SqliteStore(Path file, Connection db) throws SQLException {
        this.file = file;
        this.db = db;
        this.putMeta = db.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
        this.putOwned = db.prepareStatement("INSERT OR REPLACE INTO owned(address, id, prefix) VALUES (?, ?, ?)");
        this.deleteOwned = db.prepareStatement("DELETE FROM owned WHERE address = ? AND id = ?");
    }

    /** The peer name a store was created for, without opening it for writing; empty if no store. */
    public static Optional<PeerName> storedPeer(Path file) throws StoreException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (SqliteStore s = open(file, null, null)) {
            return Optional.ofNullable(s.peer());
        } catch (SQLException e) {
            throw new StoreException(explain(file, e), e);
        }
    }

    /**
     * Opens (creating if absent) the store at {@code file} for peer {@code peer} and universe
     * {@code range}, checking that it is ours, intact, and made for this peer and range.
     *
     * @param peer null only to inspect an existing store
     * @throws StoreException naming the file, the problem and what to do
     */
    public static SqliteStore open(Path file, PeerName peer, Cidr range) throws StoreException {
        Connection db;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (Exception e) {
            throw new StoreException("cannot open IPAM store " + file + ": " + e.getMessage(), e);
        }
        try {
            SqliteStore s = new SqliteStore(file, prepare(db, file, peer, range));
            s.check(peer, range);
            return s;
        } catch (SQLException e) {
            closeQuietly(db);
            throw new StoreException(explain(file, e), e);
        } catch (StoreException e) {
            closeQuietly(db);
            throw e;
        }
    }

    private static String explain(Path file, SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("NOTADB") || m.contains("not a database") || m.contains("CORRUPT") || m.contains("malformed")) {
            return "IPAM store " + file + " is not a Weft store or is corrupt (" + m + "). Move it away to start"
                    + " afresh: this peer then relearns its ring from its peers, but forgets the addresses it"
                    + " had allocated";
        }
        return "IPAM store " + file + ": " + m;
    }

    private static Connection prepare(Connection db, Path file, PeerName peer, Cidr range)
            throws SQLException, StoreException {
        try (Statement st = db.createStatement()) {
            int appId = intPragma(st, "application_id");
            boolean hasTables = false;
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_schema")) {
                hasTables = rs.next() && rs.getInt(1) > 0;
            }
            if (appId != APPLICATION_ID) {
                if (appId != 0 || hasTables) {
                    throw new StoreException("IPAM store " + file + " is an SQLite database of another program"
                            + " (application_id " + Integer.toHexString(appId) + ", want "
                            + Integer.toHexString(APPLICATION_ID)
                            + "). Point the router at another data directory");
                }
                if (peer == null) {
                    return db; // inspecting an empty file: nothing stored
                }
                create(db, st, peer, range);
            }
            String mode = stringPragma(st, "journal_mode=WAL");
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new StoreException("IPAM store " + file + " cannot use WAL mode (got " + mode + ")");
            }
            st.execute("PRAGMA synchronous=FULL");
            st.execute("PRAGMA busy_timeout=5000");
            String check = stringPragma(st, "quick_check");
            if (!"ok".equals(check)) {
                throw new StoreException("IPAM store " + file + " is corrupt (quick_check: " + check + "). Move it"
                        + " away to start afresh: this peer then relearns its ring from its peers, but forgets the"
                        + " addresses it had allocated");
            }
            int schema = intPragma(st, "user_version");
            if (schema != SCHEMA_VERSION) {
                throw new StoreException("IPAM store " + file + " has schema version " + schema + "; this Weft reads"
                        + " version " + SCHEMA_VERSION);
            }
        }
        db.setAutoCommit(false);
        return db;
    }

    private static void create(Connection db, Statement st, PeerName peer, Cidr range) throws SQLException {
        st.execute("PRAGMA journal_mode=WAL");
        db.setAutoCommit(false);
        st.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL)");
        st.execute("CREATE TABLE owned(address INTEGER PRIMARY KEY, id TEXT NOT NULL, prefix INTEGER NOT NULL)");
        try (PreparedStatement p = db.prepareStatement("INSERT INTO meta(key, value) VALUES (?, ?)")) {
            p.setString(1, "peer");
            p.setBytes(2, ByteBuffer.allocate(8).putLong(peer.value()).array());
            p.executeUpdate();
            p.setString(1, "range");
            p.setBytes(2, range.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            p.executeUpdate();
        }
        st.execute("PRAGMA application_id=" + APPLICATION_ID);
        st.execute("PRAGMA user_version=" + SCHEMA_VERSION);
        db.commit();
        db.setAutoCommit(true);
    }

    private static int intPragma(Statement st, String name) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static String stringPragma(Statement st, String name) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    private void check(PeerName peer, Cidr range) throws SQLException, StoreException {
        PeerName stored = peer();
        if (stored == null) {
            return;
        }
        if (peer != null && !stored.equals(peer)) {
            throw new StoreException("IPAM store " + file + " belongs to peer " + stored + ", but this router is "
                    + peer + ". Start it with --name " + stored + " (or without --name), or use another data"
                    + " directory");
        }
        String storedRange = metaString("range");
        if (range != null && !range.toString().equals(storedRange)) {
            throw new StoreException("IPAM store " + file + " was made for --ipalloc-range " + storedRange
                    + ", but this router was started with " + range + ". Changing the range of a running cluster"
                    + " is not supported: use the old range, or another data directory on every peer");
        }
    }

    /** The stored peer name, or null in an empty file. */
    public PeerName peer() throws SQLException {
        byte[] b = meta("peer");
        if (b == null) {
            return null;
        }
        return new PeerName(ByteBuffer.wrap(b).getLong());
    }

    /** Loads everything: what a restarted peer resumes from. */
    public StoredState load(Cidr range) throws StoreException {
        try {
            Ring ring = Ring.empty(range.start(), range.end());
            byte[] rb = checked(meta("ring"), "ring");
            if (rb != null) {
                ring = IpamCodec.decodeRing(rb);
                if (ring.start() != range.start() || ring.end() != range.end()) {
                    throw new StoreException("IPAM store " + file + ": stored ring is for another range");
                }
            }
            NodeClaims paxos = NodeClaims.NONE;
            byte[] pb = checked(meta("paxos"), "paxos");
            if (pb != null) {
                paxos = decodeClaims(pb);
            }
            List<OwnershipChange> owned = new ArrayList<>();
            try (Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT address, id, prefix FROM owned ORDER BY address")) {
                while (rs.next()) {
                    long a = rs.getLong(1);
                    int prefix = rs.getInt(3);
                    if (a < 0 || a >= Address.LIMIT || prefix < 0 || prefix > 32) {
                        throw new StoreException(
                                "IPAM store " + file + " is corrupt: bad owned row " + a + "/" + prefix);
                    }
                    owned.add(new OwnershipChange(
                            new ContainerId(rs.getString(2)), new Cidr(new Address(a), prefix), true));
                }
            }
            db.commit();
            return new StoredState(peer(), ring, owned, paxos);
        } catch (SQLException e) {
            throw new StoreException(explain(file, e), e);
        } catch (IpamCodec.MalformedMessageException | RuntimeException e) {
            throw new StoreException("IPAM store " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    /**
     * Applies batches in one transaction and commits (fsync). On return they are durable.
     *
     * @throws SQLException the transaction was rolled back; nothing of these batches is stored
     */
    public void apply(List<StoreBatch> batches) throws SQLException {
        try {
            Ring ring = null;
            NodeClaims paxos = null;
            boolean owned = false;
            for (StoreBatch b : batches) {
                if (b.ring() != null) {
                    ring = b.ring();
                }
                if (b.paxos() != null) {
                    paxos = b.paxos();
                }
                for (OwnershipChange c : b.ownership()) {
                    owned = true;
                    if (c.added()) {
                        putOwned.setLong(1, c.address().address().value());
                        putOwned.setString(2, c.id().value());
                        putOwned.setInt(3, c.address().prefixLength());
                        putOwned.executeUpdate();
                    } else {
                        deleteOwned.setLong(1, c.address().address().value());
                        deleteOwned.setString(2, c.id().value());
                        deleteOwned.executeUpdate();
                    }
                }
            }
            if (ring != null) {
                putMeta("ring", IpamCodec.encodeRing(ring));
            }
            if (paxos != null) {
                putMeta("paxos", encodeClaims(paxos));
            }
            if (ring != null || paxos != null || owned) {
                db.commit();
            }
        } catch (SQLException e) {
            try {
                db.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void putMeta(String key, byte[] value) throws SQLException {
        CRC32C crc = new CRC32C();
        crc.update(value);
        byte[] out = ByteBuffer.allocate(4 + value.length)
                .putInt((int) crc.getValue())
                .put(value)
                .array();
        putMeta.setString(1, key);
        putMeta.setBytes(2, out);
        putMeta.executeUpdate();
    }

    private byte[] checked(byte[] stored, String what) throws StoreException {
        if (stored == null) {
            return null;
        }
        if (stored.length < 4) {
            throw new StoreException("IPAM store " + file + " is corrupt: " + what + " record is truncated");
        }
        CRC32C crc = new CRC32C();
        crc.update(stored, 4, stored.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(stored).getInt()) {
            throw new StoreException("IPAM store " + file + " is corrupt: " + what + " record fails its checksum."
                    + " Move the store away to start afresh (this peer then forgets its allocations)");
        }
        byte[] out = new byte[stored.length - 4];
        System.arraycopy(stored, 4, out, 0, out.length);
        return out;
    }

    private byte[] meta(String key) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    private String metaString(String key) throws SQLException {
        byte[] b = meta(key);
        return b == null ? null : new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static byte[] encodeClaims(NodeClaims c) {
        ByteBuffer b = ByteBuffer.allocate(32 + 2 + c.value().size() * 8);
        b.putLong(c.promise().round()).putLong(c.promise().proposer());
        b.putLong(c.accepted().round()).putLong(c.accepted().proposer());
        b.putShort((short) c.value().size());
        for (PeerName p : c.value()) {
            b.putLong(p.value());
        }
        return b.array();
    }

    static NodeClaims decodeClaims(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        ProposalId promise = new ProposalId(b.getLong(), b.getLong());
        ProposalId accepted = new ProposalId(b.getLong(), b.getLong());
        int n = b.getShort() & 0xffff;
        List<PeerName> value = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            value.add(new PeerName(b.getLong()));
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException("paxos record has trailing bytes");
        }
        return new NodeClaims(promise, accepted, value);
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        closeQuietly(db);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing after a failure: the first error is the one reported
        }
    }
}
