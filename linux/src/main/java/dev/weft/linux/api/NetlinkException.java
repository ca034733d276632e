package dev.weft.linux.api;

/**
 * The kernel answered a netlink request with {@code NLMSG_ERROR}. The message names the object
 * and errno and, when the kernel sent an extended ACK, its explanation, e.g.
 * {@code "link weft-tap0: File exists (EEXIST) [RTM_NEWLINK]"}.
 */
public final class NetlinkException extends KernelException {
    private static final long serialVersionUID = 1L;
    private final int messageType;
    private final String subject;
    private final String kernelMessage;

    /**
     * @param subject the object the request was about, e.g. {@code "link weft-tap0"}
     * @param errno positive errno from the kernel
     * @param messageType the type of the request that failed, e.g. {@code RTM_NEWLINK} (16)
     * @param messageTypeName its name for humans
     * @param kernelMessage the extended ACK text, or null
     */
    public NetlinkException(String subject, int errno, int messageType, String messageTypeName, String kernelMessage) {
        super(format(subject, errno, messageTypeName, kernelMessage), errno, null);
        this.messageType = messageType;
        this.subject = subject;
        this.kernelMessage = kernelMessage;
    }

    private static String format(String subject, int errno, String typeName, String kernelMessage) {
        StringBuilder s = new StringBuilder(subject).append(": ").append(Errno.describe(errno));
        if (kernelMessage != null && !kernelMessage.isEmpty()) {
            s.append(": ").append(kernelMessage);
        }
        return s.append(" [").append(typeName).append(']').toString();
    }

    /** The netlink message type of the failed request. */
    public int messageType() {
        return messageType;
    }

    /** What the request was about, e.g. {@code "link weft-tap0"}. */
    public String subject() {
        return subject;
    }

    /** The kernel's extended-ACK explanation, or null when it sent none. */
    public String kernelMessage() {
        return kernelMessage;
    }
}
