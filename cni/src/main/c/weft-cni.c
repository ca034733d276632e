/*
 * weft: the CNI plugin binary that kubelet (through containerd or CRI-O) executes per pod.
 *
 * It does no networking itself: it forwards the CNI environment and stdin, framed, over the
 * router's root-only unix socket and prints the router's answer. It answers VERSION itself,
 * and when the router is not running: ADD fails with code 11 (try again later), DEL is queued
 * on disk for the router to apply when it starts and reports success, STATUS reports code 50,
 * everything else fails with code 11.
 *
 * Invoked as "weft-ipam" (a symlink) it asks the router for an IPAM-only answer (abbreviated
 * result), so Weft can be the IPAM delegate of other plugins.
 *
 * Frame (big-endian), protocol version 1; the Java side is dev.weft.cni.internal.wire:
 *   request:  "WCNI" u8 version u8 flags, then 7 x (u32 length, bytes): CNI_COMMAND,
 *             CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS, CNI_PATH, stdin
 *   response: "WCNR" u8 version u8 exit-code, u32 length + stdout, u32 length + stderr
 *
 * Environment for tests and unusual installs: WEFT_CNI_SOCKET (default /run/weft/cni.sock),
 * WEFT_CNI_DEL_QUEUE (default /var/lib/weft/cni-del-queue), WEFT_CNI_TIMEOUT (seconds to wait
 * for the router's answer, default 60; DEL waits half of it before queueing).
 */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <dirent.h>

#define PROTOCOL_VERSION 1
#define FLAG_IPAM 1
#define MAX_FIELD (64 * 1024)       /* one environment variable, as the router's decoder */
#define MAX_STDIN (1024 * 1024)     /* the network configuration */
#define MAX_STDOUT (1024 * 1024)
#define MAX_STDERR (64 * 1024)
#define MAX_QUEUED 4096             /* DEL queue entries; beyond this DEL fails (code 11) */
#define DEFAULT_SOCKET "/run/weft/cni.sock"
#define DEFAULT_QUEUE "/var/lib/weft/cni-del-queue"
#define DEFAULT_TIMEOUT 60

static const char *SUPPORTED = "[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]";
static const char *FIELDS[6] = {"CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS",
                                "CNI_IFNAME",  "CNI_ARGS",        "CNI_PATH"};

struct buf { char *p; size_t len, cap; };

static char version[16] = "1.1.0"; /* the request's cniVersion when it is a plain version */

static void put(struct buf *b, const void *src, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) { fputs("weft: out of memory\n", stderr); exit(1); }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void put_u32(struct buf *b, uint32_t v) {
    unsigned char x[4] = {v >> 24, v >> 16, v >> 8, v};
    put(b, x, 4);
}

/* Prints a CNI error object on stdout (msg is JSON-escaped) and exits non-zero. */
static void fail(int code, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    printf("{\"cniVersion\":\"%s\",\"code\":%d,\"msg\":\"", version, code);
    for (const unsigned char *c = (const unsigned char *)msg; *c; c++) {
        if (*c == '"' || *c == '\\') printf("\\%c", *c);
        else if (*c < 0x20) printf("\\u%04x", *c);
        else putchar(*c);
    }
    puts("\"}");
    fflush(stdout);
    exit(1);
}

/* Skips one JSON value (or string) at s; returns the position after it, NULL if malformed. */
static const char *skip_ws(const char *s, const char *e) {
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) s++;
    return s;
}
static const char *skip_string(const char *s, const char *e) {
    for (s++; s < e; s++) {
        if (*s == '\\') s++;
        else if (*s == '"') return s + 1;
    }
    return NULL;
}
static const char *skip_value(const char *s, const char *e) {
    int depth = 0;
    do {
        s = skip_ws(s, e);
        if (s >= e) return NULL;
        if (*s == '"') { if (!(s = skip_string(s, e))) return NULL; }
        else if (*s == '{' || *s == '[') { depth++; s++; }
        else if (*s == '}' || *s == ']') { if (--depth < 0) return NULL; s++; }
        else if (*s == ',' || *s == ':') { if (depth == 0) return NULL; s++; }
        else { while (s < e && !strchr(",:}] \t\r\n", *s)) s++; }
    } while (depth > 0);
    return s;
}

/* Remembers the top-level "cniVersion" of the configuration if it is a plain version. */
static void read_version(const char *s, size_t n) {
    const char *e = s + n;
    s = skip_ws(s, e);
    if (s >= e || *s++ != '{') return;
    for (;;) {
        s = skip_ws(s, e);
        if (s >= e || *s != '"') return;
        const char *key = s + 1, *end = skip_string(s, e);
        if (!end) return;
        s = skip_ws(end, e);
        if (s >= e || *s++ != ':') return;
        s = skip_ws(s, e);
        if (end - key - 1 == 10 && !memcmp(key, "cniVersion", 10) && s < e && *s == '"') {
            const char *v = s + 1, *ve = skip_string(s, e);
            size_t len = ve ? (size_t)(ve - v - 1) : 0;
            if (len == 0 || len >= sizeof version || strspn(v, "0123456789.") < len) return;
            memcpy(version, v, len);
            version[len] = 0;
            return;
        }
        if (!(s = skip_value(s, e))) return;
        s = skip_ws(s, e);
        if (s >= e || *s++ != ',') return;
    }
}

static int env_nonempty(const char *name) {
    const char *v = getenv(name);
    return v && *v;
}

static long timeout_seconds(void) {
    const char *t = getenv("WEFT_CNI_TIMEOUT");
    long v = t ? strtol(t, NULL, 10) : 0;
    return v > 0 ? v : DEFAULT_TIMEOUT;
}

/* Connects to the router; -1 with errno when it is not there. */
static int dial(const char *path, long timeout) {
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path) fail(7, "WEFT_CNI_SOCKET %s is too long", path);
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct timeval tv = {.tv_sec = timeout};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        int err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *dst, size_t n) {
    char *p = dst;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static uint32_t be32(const unsigned char *x) {
    return (uint32_t)x[0] << 24 | (uint32_t)x[1] << 16 | (uint32_t)x[2] << 8 | x[3];
}

/* Sends the request and relays the answer; returns only if the router did not answer. */
static void exchange(int fd, const struct buf *req) {
    unsigned char head[10];
    if (write_all(fd, req->p, req->len) < 0 || read_all(fd, head, 10) < 0) return;
    if (memcmp(head, "WCNR", 4) || head[4] != PROTOCOL_VERSION)
        fail(100, "weft router answered with an unknown protocol (version %d, expected %d)",
             head[4], PROTOCOL_VERSION);
    int code = head[5];
    uint32_t out_len = be32(head + 6), err_len;
    if (out_len > MAX_STDOUT) fail(100, "weft router answer too long (%u bytes)", out_len);
    char *out = malloc(out_len + 1), len4[4];
    if (!out || read_all(fd, out, out_len) < 0 || read_all(fd, len4, 4) < 0) return;
    err_len = be32((unsigned char *)len4);
    if (err_len > MAX_STDERR) fail(100, "weft router answer too long (%u bytes)", err_len);
    char *err = malloc(err_len + 1);
    if (!err || read_all(fd, err, err_len) < 0) return;
    write_all(1, out, out_len);
    write_all(2, err, err_len);
    exit(code);
}

/* 64-bit FNV-1a over the attachment key: one queue file per (container, interface). */
static uint64_t fnv(const char *a, const char *b) {
    uint64_t h = 1469598103934665603ULL;
    for (const char *s = a; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    h = (h ^ 0) * 1099511628211ULL;
    for (const char *s = b; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int mkdirs(const char *path) {
    char tmp[4096];
    if (strlen(path) >= sizeof tmp) return -1;
    strcpy(tmp, path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(tmp, 0700) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(tmp, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/*
 * The router is down: write the DEL to the queue under the queue's lock, so the router, which
 * starts listening under the same lock and then drains, either sees the file or takes the DEL
 * on its socket. Retries the socket once under the lock for that reason.
 */
static void queue_del(const char *socket_path, const struct buf *req, long timeout) {
    const char *dir = getenv("WEFT_CNI_DEL_QUEUE");
    if (!dir || !*dir) dir = DEFAULT_QUEUE;
    char path[4096], tmp[4200];
    if (mkdirs(dir) < 0) fail(11, "weft router is not running and DEL queue %s: %s", dir, strerror(errno));
    snprintf(path, sizeof path, "%s/.lock", dir);
    int lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (lock < 0 || fcntl(lock, F_SETLKW, &fl) < 0)
        fail(11, "weft router is not running and DEL queue lock %s: %s", path, strerror(errno));
    int fd = dial(socket_path, timeout);
    if (fd >= 0) {
        exchange(fd, req); /* keeps the lock: a starting router waits at most one timeout */
        close(fd);
    }
    DIR *d = opendir(dir);
    int entries = 0;
    for (struct dirent *de; d && (de = readdir(d));) entries += strstr(de->d_name, ".del") != NULL;
    if (d) closedir(d);
    if (entries >= MAX_QUEUED) fail(11, "weft router is not running and DEL queue %s is full", dir);
    uint64_t h = fnv(getenv("CNI_CONTAINERID"), getenv("CNI_IFNAME"));
    snprintf(path, sizeof path, "%s/%016llx.del", dir, (unsigned long long)h);
    snprintf(tmp, sizeof tmp, "%s/.%016llx.tmp", dir, (unsigned long long)h);
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0 || write_all(out, req->p, req->len) < 0 || fsync(out) < 0 || close(out) < 0 ||
        rename(tmp, path) < 0) {
        int err = errno;
        unlink(tmp);
        fail(11, "weft router is not running and DEL could not be queued in %s: %s", dir, strerror(err));
    }
    fprintf(stderr, "weft: router not running; DEL queued as %s\n", path);
    exit(0);
}

int main(int argc, char **argv) {
    (void)argc;
    /* a router that dies mid-request must give EPIPE (then: queue the DEL), not kill us */
    signal(SIGPIPE, SIG_IGN);
    struct buf in = {0}, req = {0};
    char chunk[65536];
    for (ssize_t r; (r = read(0, chunk, sizeof chunk)) != 0;) {
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) fail(5, "reading the network configuration from stdin: %s", strerror(errno));
        if (in.len + (size_t)r > MAX_STDIN) fail(5, "network configuration on stdin exceeds %d bytes", MAX_STDIN);
        put(&in, chunk, (size_t)r);
    }
    read_version(in.p ? in.p : "", in.len);

    const char *cmd = getenv("CNI_COMMAND");
    if (!cmd || !*cmd) fail(4, "required environment variable CNI_COMMAND is not set");
    if (!strcmp(cmd, "VERSION")) {
        printf("{\"cniVersion\":\"%s\",\"supportedVersions\":%s}\n", version, SUPPORTED);
        return 0;
    }
    int add = !strcmp(cmd, "ADD"), del = !strcmp(cmd, "DEL"), status = !strcmp(cmd, "STATUS");
    if (!add && !del && !status && strcmp(cmd, "CHECK") && strcmp(cmd, "GC"))
        fail(4, "CNI_COMMAND %s is not one of ADD, DEL, CHECK, GC, STATUS, VERSION", cmd);

    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    unsigned char head[6] = {'W', 'C', 'N', 'I', PROTOCOL_VERSION, strcmp(base, "weft-ipam") ? 0 : FLAG_IPAM};
    put(&req, head, sizeof head);
    for (int i = 0; i < 6; i++) {
        const char *v = getenv(FIELDS[i]);
        size_t n = v ? strlen(v) : 0;
        if (n > MAX_FIELD) fail(4, "environment variable %s is longer than %d bytes", FIELDS[i], MAX_FIELD);
        put_u32(&req, (uint32_t)n);
        put(&req, v ? v : "", n);
    }
    put_u32(&req, (uint32_t)in.len);
    put(&req, in.p ? in.p : "", in.len);

    const char *socket_path = getenv("WEFT_CNI_SOCKET");
    if (!socket_path || !*socket_path) socket_path = DEFAULT_SOCKET;
    long timeout = timeout_seconds();
    if (del) {
        if (!env_nonempty("CNI_CONTAINERID") || !env_nonempty("CNI_IFNAME"))
            fail(4, "required environment variable %s is not set",
                 env_nonempty("CNI_CONTAINERID") ? "CNI_IFNAME" : "CNI_CONTAINERID");
        timeout = (timeout + 1) / 2;
    }
    int fd = dial(socket_path, timeout);
    if (fd >= 0) {
        exchange(fd, &req);
        close(fd);
        if (del) queue_del(socket_path, &req, timeout); /* no answer: DEL is idempotent, queue it */
        fail(11, "weft router at %s did not answer %s within %ld s", socket_path, cmd, timeout);
    }
    int err = errno;
    if (del) queue_del(socket_path, &req, timeout);
    if (status) fail(50, "weft router is not running (%s: %s)", socket_path, strerror(err));
    fail(11, "weft router is not running (%s: %s); try again later", socket_path, strerror(err));
    return 1;
}
