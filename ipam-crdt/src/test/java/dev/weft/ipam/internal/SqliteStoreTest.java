package dev.weft.ipam.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {

    static final Cidr RANGE = Cidr.parse("10.32.0.0/12");
    static final PeerName ME = new PeerName(0x02_00_00_00_00_01L);

    @TempDir
    Path dir;

    @Test
    void whatIsCommittedComesBackAfterReopening() throws Exception {
        Path f = dir.resolve("ipam.db");
        Ring ring = Ring.seed(RANGE.start(), RANGE.end(), List.of(ME, new PeerName(7)));
        NodeClaims claims = new NodeClaims(new ProposalId(2, ME.value()), new ProposalId(2, ME.value()), List.of(ME));
        Cidr a = Cidr.parse("10.32.0.1/12");
        Cidr b = Cidr.parse("10.32.0.2/12");
        try (SqliteStore s = SqliteStore.open(f, ME, RANGE)) {
            s.apply(List.of(
                    new StoreBatch(ring, List.of(new OwnershipChange(ContainerId.of("x"), a, true)), claims),
                    new StoreBatch(null, List.of(new OwnershipChange(ContainerId.of("y"), b, true)), null),
                    new StoreBatch(null, List.of(new OwnershipChange(ContainerId.of("x"), a, false)), null)));
        }
        assertThat(SqliteStore.storedPeer(f)).contains(ME);
        try (SqliteStore s = SqliteStore.open(f, ME, RANGE)) {
            StoredState st = s.load(RANGE);
            assertThat(st.ring()).isEqualTo(ring);
            assertThat(st.paxos()).isEqualTo(claims);
            assertThat(st.ownership()).containsExactly(new OwnershipChange(ContainerId.of("y"), b, true));
        }
        // WAL mode, full sync: what makes a commit durable
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f);
                Statement st = c.createStatement()) {
            var rs = st.executeQuery("PRAGMA journal_mode");
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void aForeignSqliteDatabaseIsRecognised() throws Exception {
        Path f = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE songs(title TEXT)");
        }
        assertThatThrownBy(() -> SqliteStore.open(f, ME, RANGE))
                .isInstanceOf(SqliteStore.StoreException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("another program");
    }

    @Test
    void aFileThatIsNotADatabaseIsRecognised() throws Exception {
        Path f = dir.resolve("ipam.db");
        Files.writeString(f, "this is a text file, not a database, and it is long enough to have a header".repeat(20));
        assertThatThrownBy(() -> SqliteStore.open(f, ME, RANGE))
                .isInstanceOf(SqliteStore.StoreException.class)
                .hasMessageContaining("not a Weft store or is corrupt");
    }

    @Test
    void aStoreOfAnotherPeerOrRangeIsRefusedWithWhatToDo() throws Exception {
        Path f = dir.resolve("ipam.db");
        SqliteStore.open(f, ME, RANGE).close();
        assertThatThrownBy(() -> SqliteStore.open(f, new PeerName(9), RANGE))
                .hasMessageContaining("belongs to peer " + ME)
                .hasMessageContaining("--name");
        assertThatThrownBy(() -> SqliteStore.open(f, ME, Cidr.parse("10.40.0.0/16")))
                .hasMessageContaining("made for --ipalloc-range 10.32.0.0/12")
                .hasMessageContaining("10.40.0.0/16");
    }

    @Test
    void aDamagedRingRecordFailsItsChecksum() throws Exception {
        Path f = dir.resolve("ipam.db");
        try (SqliteStore s = SqliteStore.open(f, ME, RANGE)) {
            s.apply(List.of(new StoreBatch(Ring.seed(RANGE.start(), RANGE.end(), List.of(ME)), List.of(), null)));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f);
                Statement st = c.createStatement()) {
            // flip one byte of the ring's encoding (after the 4-byte checksum)
            st.execute("UPDATE meta SET value = substr(value, 1, 9) || x'FF' || substr(value, 11) WHERE key = 'ring'");
        }
        try (SqliteStore s = SqliteStore.open(f, ME, RANGE)) {
            assertThatThrownBy(() -> s.load(RANGE)).hasMessageContaining("checksum");
        }
    }

    @Test
    void aNewerSchemaIsRefused() throws Exception {
        Path f = dir.resolve("ipam.db");
        SqliteStore.open(f, ME, RANGE).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f);
                Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version=7");
        }
        assertThatThrownBy(() -> SqliteStore.open(f, ME, RANGE)).hasMessageContaining("schema version 7");
    }
}
