package dev.weft.cni.internal.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The frames between the C shim ({@code src/main/c/weft-cni.c}) and the router, version 1.
 * Big-endian, every length checked against a hard limit before anything is allocated.
 *
 * <pre>
 * request:  "WCNI" u8 version u8 flags, then 7 x (u32 length, bytes): CNI_COMMAND,
 *           CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS, CNI_PATH, stdin
 * response: "WCNR" u8 version u8 exit-code, u32 length + stdout, u32 length + stderr
 * </pre>
 *
 * <p>Stateless and thread-safe. Reads block on the given stream; the caller bounds the time.
 */
public final class ShimCodec {
    /** The protocol version both sides speak; bump on any incompatible change. */
    public static final int VERSION = 1;
    /** Flag bit: the shim ran as {@code weft-ipam}. */
    public static final int FLAG_IPAM = 1;
    /** Longest environment variable value, bytes (as the shim's MAX_FIELD). */
    public static final int MAX_FIELD = 64 * 1024;
    /** Longest network configuration (stdin), bytes (as the shim's MAX_STDIN). */
    public static final int MAX_CONFIG = 1024 * 1024;
    /** Longest stdout in a response, bytes. */
    public static final int MAX_STDOUT = 1024 * 1024;
    /** Longest stderr in a response, bytes. */
    public static final int MAX_STDERR = 64 * 1024;

    private static final byte[] REQUEST_MAGIC = {'W', 'C', 'N', 'I'};
    private static final byte[] RESPONSE_MAGIC = {'W', 'C', 'N', 'R'};
    private static final String[] FIELDS = {
        "CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH"
    };

    private ShimCodec() {}

    /** Reads one request; throws {@link MalformedFrameException} on anything not a valid frame. */
    public static ShimRequest readRequest(InputStream in) throws IOException {
        var data = new DataInputStream(in);
        int flags = readHeader(data, REQUEST_MAGIC, "request");
        if ((flags & ~FLAG_IPAM) != 0) {
            throw new MalformedFrameException("unknown request flags 0x" + Integer.toHexString(flags));
        }
        String[] env = new String[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            env[i] = utf8(readBlock(data, MAX_FIELD, FIELDS[i]), FIELDS[i]);
        }
        byte[] config = readBlock(data, MAX_CONFIG, "stdin");
        return new ShimRequest((flags & FLAG_IPAM) != 0, env[0], env[1], env[2], env[3], env[4], env[5], config);
    }

    /** Writes one request (what the shim sends); used by tests and the Java client. */
    public static void writeRequest(OutputStream out, ShimRequest request) throws IOException {
        var data = new DataOutputStream(out);
        data.write(REQUEST_MAGIC);
        data.writeByte(VERSION);
        data.writeByte(request.ipamOnly() ? FLAG_IPAM : 0);
        String[] env = {
            request.command(), request.containerId(), request.netns(), request.ifname(), request.args(), request.path()
        };
        for (int i = 0; i < env.length; i++) {
            writeBlock(data, env[i].getBytes(StandardCharsets.UTF_8), MAX_FIELD, FIELDS[i]);
        }
        writeBlock(data, request.config(), MAX_CONFIG, "stdin");
        data.flush();
    }

    /** Reads one response (what the shim receives). */
    public static ShimResponse readResponse(InputStream in) throws IOException {
        var data = new DataInputStream(in);
        int exitCode = readHeader(data, RESPONSE_MAGIC, "response");
        byte[] stdout = readBlock(data, MAX_STDOUT, "stdout");
        byte[] stderr = readBlock(data, MAX_STDERR, "stderr");
        return new ShimResponse(exitCode, stdout, stderr);
    }

    /** Writes one response; stderr longer than the limit is cut, stdout must fit. */
    public static void writeResponse(OutputStream out, ShimResponse response) throws IOException {
        var data = new DataOutputStream(out);
        data.write(RESPONSE_MAGIC);
        data.writeByte(VERSION);
        data.writeByte(response.exitCode());
        writeBlock(data, response.stdout(), MAX_STDOUT, "stdout");
        byte[] stderr = response.stderr();
        data.writeInt(Math.min(stderr.length, MAX_STDERR));
        data.write(stderr, 0, Math.min(stderr.length, MAX_STDERR));
        data.flush();
    }

    private static int readHeader(DataInputStream data, byte[] magic, String what) throws IOException {
        byte[] head = new byte[6];
        try {
            data.readFully(head);
        } catch (EOFException e) {
            throw new MalformedFrameException("truncated " + what + " header");
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                throw new MalformedFrameException("not a weft CNI " + what + " (bad magic)");
            }
        }
        if (head[4] != VERSION) {
            throw new MalformedFrameException("weft CNI protocol version " + (head[4] & 0xff)
                    + " is not supported (this router speaks " + VERSION + ")");
        }
        return head[5] & 0xff;
    }

    private static byte[] readBlock(DataInputStream data, int max, String name) throws IOException {
        try {
            int length = data.readInt();
            if (length < 0 || length > max) {
                throw new MalformedFrameException(
                        name + " is " + Integer.toUnsignedString(length) + " bytes, more than the limit of " + max,
                        name.startsWith("CNI_") ? name : null);
            }
            byte[] block = new byte[length];
            data.readFully(block);
            return block;
        } catch (EOFException e) {
            throw new MalformedFrameException("truncated frame in " + name);
        }
    }

    private static void writeBlock(DataOutputStream data, byte[] block, int max, String name) throws IOException {
        if (block.length > max) {
            throw new IOException(name + " is " + block.length + " bytes, more than the limit of " + max);
        }
        data.writeInt(block.length);
        data.write(block);
    }

    private static String utf8(byte[] bytes, String name) throws MalformedFrameException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedFrameException(name + " is not valid UTF-8", name);
        }
    }
}
