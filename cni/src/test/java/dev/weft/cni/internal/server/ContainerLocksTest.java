package dev.weft.cni.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ContainerLocksTest {

    @Test
    void sameContainerIsSerialisedOthersAreNot() throws Exception {
        ContainerLocks locks = new ContainerLocks();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = Thread.ofPlatform().start(() -> {
            try (var held = locks.container("a")) {
                holding.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holding.await();
        AtomicInteger entered = new AtomicInteger();
        Thread sameId = Thread.ofPlatform().start(() -> {
            try (var held = locks.container("a")) {
                entered.incrementAndGet();
            }
        });
        try (var other = locks.container("b")) {
            assertThat(other).isNotNull(); // another container is not blocked
        }
        sameId.join(200);
        assertThat(entered).hasValue(0);
        release.countDown();
        sameId.join(5000);
        first.join(5000);
        assertThat(entered).hasValue(1);
        assertThat(locks.size()).as("locks are dropped when unused").isZero();
    }

    @Test
    void exclusiveWaitsForContainersAndBlocksThem() throws Exception {
        ContainerLocks locks = new ContainerLocks();
        var held = locks.container("a");
        CountDownLatch gotExclusive = new CountDownLatch(1);
        Thread gc = Thread.ofPlatform().start(() -> {
            try (var x = locks.exclusive()) {
                gotExclusive.countDown();
            }
        });
        assertThat(gotExclusive.await(200, TimeUnit.MILLISECONDS)).isFalse();
        held.close();
        assertThat(gotExclusive.await(5, TimeUnit.SECONDS)).isTrue();
        gc.join(5000);
    }
}
