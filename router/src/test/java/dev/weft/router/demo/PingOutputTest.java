package dev.weft.router.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PingOutputTest {

    @Test
    void readsCountsAndAverage() {
        String out =
                """
                PING 10.40.0.0 (10.40.0.0) 56(84) bytes of data.

                --- 10.40.0.0 ping statistics ---
                3 packets transmitted, 3 received, 0% packet loss, time 405ms
                rtt min/avg/max/mdev = 1.634/2.945/4.111/1.016 ms
                """;
        PingOutput.Result r = PingOutput.parse(out);
        assertThat(r.sent()).isEqualTo(3);
        assertThat(r.received()).isEqualTo(3);
        assertThat(r.avgMs()).isEqualTo(2.945);
    }

    @Test
    void noRepliesIsUnreachableWithoutRtt() {
        String out =
                """
                PING 10.40.0.9 (10.40.0.9) 56(84) bytes of data.

                --- 10.40.0.9 ping statistics ---
                3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2040ms
                """;
        PingOutput.Result r = PingOutput.parse(out);
        assertThat(r.sent()).isEqualTo(3);
        assertThat(r.received()).isZero();
        assertThat(r.avgMs()).isNaN();
    }

    @Test
    void garbageIsNothingSent() {
        PingOutput.Result r = PingOutput.parse("ping: connect: Network is unreachable\n");
        assertThat(r.sent()).isZero();
        assertThat(r.received()).isZero();
    }
}
