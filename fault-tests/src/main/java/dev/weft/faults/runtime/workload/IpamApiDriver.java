package dev.weft.faults.runtime.workload;

import dev.weft.faults.runtime.router.HttpReply;
import dev.weft.faults.runtime.router.Router;
import java.time.Duration;

/** Pods through the router's IPAM HTTP API: {@code POST /ip/POD} and {@code DELETE /ip/POD}. */
final class IpamApiDriver implements PodDriver {

    private final Router router;
    private final Duration timeout;

    IpamApiDriver(Router router, Duration timeout) {
        this.router = router;
        this.timeout = timeout;
    }

    @Override
    public Result add(String pod) {
        HttpReply r =
                router.http("POST", "/ip/" + pod + "?timeout=" + timeout.toSeconds() + "s", timeout.plusSeconds(5));
        return result(r, r.success() ? r.body().strip() : null);
    }

    @Override
    public Result del(String pod) {
        return result(router.http("DELETE", "/ip/" + pod, Duration.ofSeconds(10)), null);
    }

    private static Result result(HttpReply r, String address) {
        if (r.success()) {
            return new Result(Kind.OK, address, null);
        }
        return new Result(r.certainlyFailed() ? Kind.FAIL : Kind.UNKNOWN, null, r.describe());
    }

    @Override
    public String name() {
        return "ipam-api";
    }
}
