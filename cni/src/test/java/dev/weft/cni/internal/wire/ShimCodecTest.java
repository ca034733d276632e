package dev.weft.cni.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ShimCodecTest {

    static ShimRequest sample() {
        return new ShimRequest(
                false,
                "ADD",
                "c0ffee",
                "/var/run/netns/cni-1",
                "eth0",
                "IgnoreUnknown=1;K8S_POD_NAME=p",
                "/opt/cni/bin",
                "{\"cniVersion\":\"1.1.0\"}".getBytes(StandardCharsets.UTF_8));
    }

    static byte[] encode(ShimRequest r) throws IOException {
        var out = new ByteArrayOutputStream();
        ShimCodec.writeRequest(out, r);
        return out.toByteArray();
    }

    @Test
    void requestRoundTrips() throws IOException {
        ShimRequest r = sample();
        ShimRequest back = ShimCodec.readRequest(new ByteArrayInputStream(encode(r)));
        assertThat(back).usingRecursiveComparison().isEqualTo(r);
    }

    @Test
    void ipamFlagRoundTrips() throws IOException {
        ShimRequest r = new ShimRequest(true, "DEL", "x", "", "eth0", "", "", new byte[0]);
        assertThat(ShimCodec.readRequest(new ByteArrayInputStream(encode(r))).ipamOnly())
                .isTrue();
    }

    @Test
    void responseRoundTrips() throws IOException {
        var out = new ByteArrayOutputStream();
        ShimCodec.writeResponse(
                out,
                new ShimResponse(7, "{}".getBytes(StandardCharsets.UTF_8), "log".getBytes(StandardCharsets.UTF_8)));
        ShimResponse back = ShimCodec.readResponse(new ByteArrayInputStream(out.toByteArray()));
        assertThat(back.exitCode()).isEqualTo(7);
        assertThat(back.stdoutText()).isEqualTo("{}");
        assertThat(new String(back.stderr(), StandardCharsets.UTF_8)).isEqualTo("log");
    }

    @Test
    void rejectsBadMagic() throws IOException {
        byte[] frame = encode(sample());
        frame[0] = 'X';
        assertThatThrownBy(() -> ShimCodec.readRequest(new ByteArrayInputStream(frame)))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("bad magic");
    }

    @Test
    void rejectsOtherVersions() throws IOException {
        byte[] frame = encode(sample());
        frame[4] = 2;
        assertThatThrownBy(() -> ShimCodec.readRequest(new ByteArrayInputStream(frame)))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("version 2 is not supported");
    }

    @Test
    void rejectsUnknownFlags() throws IOException {
        byte[] frame = encode(sample());
        frame[5] = 4;
        assertThatThrownBy(() -> ShimCodec.readRequest(new ByteArrayInputStream(frame)))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("flags");
    }

    @Test
    void rejectsOversizedLengthsBeforeAllocating() {
        ByteBuffer b = ByteBuffer.allocate(10);
        b.put(new byte[] {'W', 'C', 'N', 'I', 1, 0}).putInt(-1); // 4 GiB command
        assertThatThrownBy(() -> ShimCodec.readRequest(new ByteArrayInputStream(b.array())))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("CNI_COMMAND is 4294967295 bytes")
                .satisfies(e ->
                        assertThat(((MalformedFrameException) e).variable()).isEqualTo("CNI_COMMAND"));
    }

    @Test
    void rejectsOversizedConfig() throws IOException {
        var out = new ByteArrayOutputStream();
        out.write(new byte[] {'W', 'C', 'N', 'I', 1, 0});
        for (int i = 0; i < 6; i++) {
            out.write(new byte[4]);
        }
        out.write(ByteBuffer.allocate(4).putInt(ShimCodec.MAX_CONFIG + 1).array());
        assertThatThrownBy(() -> ShimCodec.readRequest(new ByteArrayInputStream(out.toByteArray())))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("stdin is 1048577 bytes");
    }

    @Test
    void namesTheVariableThatIsNotUtf8() throws IOException {
        byte[] frame = encode(new ShimRequest(false, "ADD", "c", "/n", "eth0", "", "", new byte[0]));
        // CNI_IFNAME "eth0" starts after: header 6, command 4+3, containerId 4+1, netns 4+2, length 4
        int ifname = 6 + 7 + 5 + 6 + 4;
        frame[ifname] = (byte) 0xff;
        assertThatThrownBy(() -> ShimCodec.readRequest(new ByteArrayInputStream(frame)))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("CNI_IFNAME is not valid UTF-8")
                .satisfies(e ->
                        assertThat(((MalformedFrameException) e).variable()).isEqualTo("CNI_IFNAME"));
    }

    @Test
    void everyTruncationIsRejected() throws IOException {
        byte[] frame = encode(sample());
        for (int len = 0; len < frame.length; len++) {
            byte[] cut = Arrays.copyOf(frame, len);
            assertThatThrownBy(() -> ShimCodec.readRequest(new ByteArrayInputStream(cut)))
                    .as("truncated to %d bytes", len)
                    .isInstanceOf(MalformedFrameException.class);
        }
    }

    @Test
    void writerRefusesWhatTheReaderWouldReject() {
        ShimRequest big = new ShimRequest(false, "ADD", "c", "/n", "eth0", "", "", new byte[ShimCodec.MAX_CONFIG + 1]);
        assertThatThrownBy(() -> encode(big)).isInstanceOf(IOException.class).hasMessageContaining("stdin");
    }

    /**
     * The decoders' fuzz targets (jqwik: random and mutated frames; Jazzer 0.24 cannot instrument
     * Java 25 class files): arbitrary bytes are a frame or a MalformedFrameException, nothing else.
     */
    @Property(tries = 2000)
    void arbitraryBytesNeverBreakTheDecoder(@ForAll("frames") byte[] input) {
        try {
            ShimCodec.readRequest(new ByteArrayInputStream(input));
        } catch (MalformedFrameException expected) {
            // the only acceptable failure
        } catch (IOException e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    @Property(tries = 2000)
    void arbitraryBytesNeverBreakTheResponseDecoder(@ForAll("frames") byte[] input) {
        byte[] response = input.clone();
        if (response.length > 3) {
            response[3] = 'R'; // get past the magic more often
        }
        try {
            ShimCodec.readResponse(new ByteArrayInputStream(response));
        } catch (MalformedFrameException expected) {
            // the only acceptable failure
        } catch (IOException e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    @Provide
    Arbitrary<byte[]> frames() throws IOException {
        byte[] valid = encode(sample());
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> mutated = Arbitraries.integers()
                .between(0, valid.length - 1)
                .flatMap(pos -> Arbitraries.bytes().map(b -> {
                    byte[] copy = valid.clone();
                    copy[pos] = b;
                    return copy;
                }));
        return Arbitraries.oneOf(random, mutated);
    }
}
