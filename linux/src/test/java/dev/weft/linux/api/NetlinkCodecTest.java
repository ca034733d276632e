package dev.weft.linux.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class NetlinkCodecTest {

    @Test
    void writerAndParserRoundTripHeadersAttributesAndNesting() throws Exception {
        MessageWriter w = new MessageWriter(64);
        w.begin(0x1234, Netlink.F_REQUEST).putU32(0xdeadbeef);
        w.attrU8(1, 7).attrU16(2, 0xbeef).attrU32(3, 42).attrU64(4, 1L << 40).attrString(5, "weft-tap0");
        w.attrU16Be(6, 4789).attr(7).attrAddress(8, InetAddress.getByName("fd00::1"));
        int outer = w.beginNested(9);
        w.attrU32(1, 11);
        int inner = w.beginNested(2);
        w.attrString(1, "x");
        w.endNested(inner);
        w.endNested(outer);
        w.sequence(77, 5);
        ByteBuffer b = w.finish();

        assertThat(b.limit() % 4).isZero();
        NetlinkMessage m = NetlinkMessage.at(b, 0, b.limit());
        assertThat(m.type()).isEqualTo(0x1234);
        assertThat(m.flags()).isEqualTo(Netlink.F_REQUEST);
        assertThat(m.sequence()).isEqualTo(77);
        assertThat(m.portId()).isEqualTo(5);
        assertThat(m.length()).isEqualTo(b.limit());
        assertThat(m.u32(0)).isEqualTo(0xdeadbeef);

        Attributes a = m.attributes(4);
        assertThat(a.next()).isTrue();
        assertThat(a.type()).isEqualTo(1);
        assertThat(a.u8()).isEqualTo(7);
        assertThat(a.next()).isTrue();
        assertThat(a.u16()).isEqualTo(0xbeef);
        assertThat(a.next()).isTrue();
        assertThat(a.u32()).isEqualTo(42);
        assertThat(a.next()).isTrue();
        assertThat(a.u64()).isEqualTo(1L << 40);
        assertThat(a.next()).isTrue();
        assertThat(a.string()).isEqualTo("weft-tap0");
        assertThat(a.next()).isTrue();
        assertThat(a.u16Be()).isEqualTo(4789);
        assertThat(b.get(a.payloadOffset())).isEqualTo((byte) (4789 >> 8)); // network order on the wire
        assertThat(a.next()).isTrue();
        assertThat(a.type()).isEqualTo(7);
        assertThat(a.length()).isZero();
        assertThat(a.next()).isTrue();
        assertThat(a.address()).isEqualTo(InetAddress.getByName("fd00::1"));
        assertThat(a.next()).isTrue();
        assertThat(a.type()).isEqualTo(9);
        assertThat(a.nestedFlag()).isTrue();
        Attributes n = a.nested();
        assertThat(n.next()).isTrue();
        assertThat(n.u32()).isEqualTo(11);
        assertThat(n.next()).isTrue();
        Attributes nn = n.nested();
        assertThat(nn.next()).isTrue();
        assertThat(nn.string()).isEqualTo("x");
        assertThat(nn.next()).isFalse();
        assertThat(n.next()).isFalse();
        assertThat(a.next()).isFalse();
    }

    @Test
    void aBatchIsMessagesBackToBackSharingOneSequenceNumber() {
        MessageWriter w = new MessageWriter(16);
        w.begin(0x10, Netlink.F_REQUEST).putU32(10);
        w.next(0x0a0c, Netlink.F_REQUEST).putU32(2).attrString(1, "odd"); // 7-byte attribute: padded
        w.next(0x11, 0).putU32(10).addFlags(Netlink.F_ACK);
        assertThat(w.type()).isEqualTo(0x11);
        w.sequence(9, 3);
        ByteBuffer b = w.finish();

        int[] types = {0x10, 0x0a0c, 0x11};
        int[] flags = {Netlink.F_REQUEST, Netlink.F_REQUEST, Netlink.F_ACK};
        int off = 0;
        for (int i = 0; i < 3; i++) {
            NetlinkMessage m = NetlinkMessage.at(b, off, b.limit() - off);
            assertThat(m.type()).isEqualTo(types[i]);
            assertThat(m.flags()).isEqualTo(flags[i]);
            assertThat(m.sequence()).isEqualTo(9);
            assertThat(m.portId()).isEqualTo(3);
            off += Netlink.align(m.length());
        }
        assertThat(off).isEqualTo(b.limit());
        assertThat(NetlinkMessage.at(b, 20, b.limit() - 20).attributes(4).next())
                .isTrue();
    }

    @Test
    void writerGrowsBeyondItsInitialCapacity() {
        MessageWriter w = new MessageWriter(16).begin(20, 0);
        byte[] big = new byte[10_000];
        big[9_999] = 9;
        w.attrBytes(1, big);
        ByteBuffer b = w.finish();
        Attributes a = NetlinkMessage.at(b, 0, b.limit()).attributes(0);
        assertThat(a.next()).isTrue();
        assertThat(a.bytes()).hasSize(10_000).endsWith(9);
    }

    @Test
    void rejectsTruncatedHeader() {
        ByteBuffer b = buffer(8);
        assertThatThrownBy(() -> NetlinkMessage.at(b, 0, 8))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("truncated netlink header");
    }

    @Test
    void rejectsMessageLengthBeyondTheDatagram() {
        ByteBuffer b = buffer(32);
        b.putInt(0, 64);
        assertThatThrownBy(() -> NetlinkMessage.at(b, 0, 32))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("length 64 out of range");
        b.putInt(0, 3);
        assertThatThrownBy(() -> NetlinkMessage.at(b, 0, 32)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void rejectsOversizedAttribute() {
        ByteBuffer b = buffer(16 + 8);
        b.putInt(0, 24);
        b.putShort(16, (short) 12).putShort(18, (short) 3); // claims 12 bytes, 8 are there
        Attributes a = NetlinkMessage.at(b, 0, 24).attributes(0);
        assertThatThrownBy(a::next)
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("attribute type 3 length 12 runs past its container");
    }

    @Test
    void rejectsAttributeShorterThanItsHeaderAndTruncatedAttributeHeader() {
        ByteBuffer b = buffer(24);
        b.putInt(0, 24).putShort(16, (short) 2);
        assertThatThrownBy(() -> NetlinkMessage.at(b, 0, 24).attributes(0).next())
                .hasMessageContaining("shorter than its header");
        ByteBuffer c = buffer(18);
        c.putInt(0, 18);
        assertThatThrownBy(() -> NetlinkMessage.at(c, 0, 18).attributes(0).next())
                .hasMessageContaining("truncated attribute header");
    }

    @Test
    void rejectsValueOfWrongSizeAndFixedHeaderLongerThanPayload() {
        MessageWriter w = new MessageWriter(64).begin(20, 0).attrU16(1, 5);
        ByteBuffer b = w.finish();
        Attributes a = NetlinkMessage.at(b, 0, b.limit()).attributes(0);
        assertThat(a.next()).isTrue();
        assertThatThrownBy(a::u32)
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("expected at least 4");
        assertThatThrownBy(a::address).isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> NetlinkMessage.at(b, 0, b.limit()).attributes(64))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("fixed header");
        assertThatThrownBy(() -> NetlinkMessage.at(b, 0, b.limit()).u32(8))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void lastAttributeMayOmitPadding() {
        ByteBuffer b = buffer(16 + 5);
        b.putInt(0, 21).putShort(16, (short) 5).putShort(18, (short) 1).put(20, (byte) 9);
        Attributes a = NetlinkMessage.at(b, 0, 21).attributes(0);
        assertThat(a.next()).isTrue();
        assertThat(a.u8()).isEqualTo(9);
        assertThat(a.next()).isFalse();
    }

    @Test
    void macAndPrefixValues() throws Exception {
        MacAddress mac = MacAddress.parse("02:42:ac:11:00:02");
        assertThat(mac.toString()).isEqualTo("02:42:ac:11:00:02");
        assertThat(MacAddress.of(mac.toBytes())).isEqualTo(mac);
        assertThat(MacAddress.BROADCAST.isMulticast()).isTrue();
        assertThat(mac.isMulticast()).isFalse();
        assertThatThrownBy(() -> MacAddress.parse("02:42:ac:11:00")).isInstanceOf(IllegalArgumentException.class);
        IpPrefix p = IpPrefix.parse("10.32.1.7/12");
        assertThat(p.network().toString()).isEqualTo("10.32.0.0/12");
        assertThat(IpPrefix.parse("fd00::1:2/64").network().address()).isEqualTo(InetAddress.getByName("fd00::"));
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.1/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPrefix.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errnoNamesComeFromTheKernelHeaders() {
        assertThat(Errno.name(17)).isEqualTo("EEXIST");
        assertThat(Errno.describe(Errno.ENODEV)).isEqualTo("No such device (ENODEV)");
        assertThat(Errno.name(-2)).isEqualTo("ENOENT");
        assertThat(Errno.name(4000)).isEqualTo("E4000");
    }

    private static ByteBuffer buffer(int n) {
        return ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
    }
}
