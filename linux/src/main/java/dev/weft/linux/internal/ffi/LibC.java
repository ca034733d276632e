package dev.weft.linux.internal.ffi;

import jnr.ffi.annotations.IgnoreError;

/**
 * The libc functions the module calls, bound by jnr-ffi. Pointers are passed as raw addresses
 * ({@code long}) of direct memory the caller owns, so a call marshals nothing and allocates
 * nothing; errno is saved after every call unless marked {@link IgnoreError}.
 *
 * <p>No function here takes six arguments: jnr-ffi 2.3.4's generated x86_64 stubs passed a wrong
 * fifth pointer to {@code recvfrom(2)} on this machine (the kernel then wrote the source address
 * over JVM memory), so {@code recvmsg(2)} with a prepared {@code struct msghdr} is used instead.
 */
public interface LibC {
    int socket(int domain, int type, int protocol);

    int bind(int fd, long addr, int addrLen);

    int getsockname(int fd, long addr, long addrLenPtr);

    int setsockopt(int fd, int level, int option, long value, int valueLen);

    int getsockopt(int fd, int level, int option, long value, long valueLenPtr);

    long send(int fd, long buf, long len, int flags);

    long recvmsg(int fd, long msghdr, int flags);

    int open(String path, int flags, int mode);

    int close(int fd);

    int ioctl(int fd, long request, long arg);

    long read(int fd, long buf, long count);

    long write(int fd, long buf, long count);

    long readv(int fd, long iov, int iovCount);

    long writev(int fd, long iov, int iovCount);

    int poll(long fds, long nfds, int timeoutMillis);

    int fcntl(int fd, int cmd, int arg);

    int eventfd(int initval, int flags);

    int setns(int fd, int nstype);

    int unshare(int flags);

    int mount(String source, String target, String fstype, long flags, long data);

    int umount2(String target, int flags);

    @IgnoreError
    int gettid();
}
