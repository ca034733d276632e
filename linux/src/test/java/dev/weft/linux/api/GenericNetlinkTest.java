package dev.weft.linux.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GenericNetlinkTest {

    @Test
    void resolvesNlctrlAndDumpsFamilies() {
        try (GenericNetlink genl = GenericNetlink.open()) {
            GenlFamily ctrl = genl.resolve("nlctrl");
            assertThat(ctrl.id()).isEqualTo(0x10);
            assertThat(ctrl.name()).isEqualTo("nlctrl");
            assertThat(ctrl.version()).isGreaterThanOrEqualTo(1);
            assertThat(ctrl.headerSize()).isZero();
            assertThat(ctrl.multicastGroups()).containsKey("notify");
            assertThat(ctrl.group("notify")).isPositive();
            assertThat(genl.portId()).isNotZero();

            List<String> names = genl.families().stream().map(GenlFamily::name).toList();
            assertThat(names).contains("nlctrl");

            // The generic request API, used as any family's client would: CTRL_CMD_GETFAMILY by id.
            List<Integer> commands = new ArrayList<>();
            List<String> replied = new ArrayList<>();
            int n = genl.request(
                    ctrl,
                    3,
                    0,
                    w -> w.attrU16(1, ctrl.id()),
                    m -> {
                        commands.add(GenericNetlink.command(m));
                        Attributes a = m.attributes(GenericNetlink.HEADER_LENGTH + ctrl.headerSize());
                        while (a.next()) {
                            if (a.type() == 2) {
                                replied.add(a.string());
                            }
                        }
                    },
                    "nlctrl by id");
            assertThat(n).isEqualTo(1);
            assertThat(commands).containsExactly(1); // CTRL_CMD_NEWFAMILY
            assertThat(replied).containsExactly("nlctrl");
        }
    }

    @Test
    void missingFamilyIsAClearError() {
        try (GenericNetlink genl = GenericNetlink.open()) {
            assertThat(genl.find("weft_no_such")).isEmpty();
            assertThatThrownBy(() -> genl.resolve("weft_no_such"))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageStartingWith("genl family weft_no_such: No such file or directory (ENOENT)")
                    .hasMessageContaining("[genl family nlctrl]");
            // The socket keeps working.
            assertThat(genl.resolve("nlctrl").id()).isEqualTo(0x10);
        }
    }

    @Test
    void multicastNotificationsAndWakeup() throws Exception {
        try (TestNamespaces t = new TestNamespaces()) {
            NetNs ns = t.create("mc");
            NetlinkSocket listener = t.closeLater(ns.call(() -> NetlinkSocket.open(Netlink.ROUTE)));
            listener.joinGroup(1); // RTNLGRP_LINK
            RtNetlink rt = t.closeLater(RtNetlink.open(ns));
            rt.links().create(LinkSpec.bridge("notified"));

            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 10 && !seen.contains("notified"); i++) {
                listener.receive(
                        m -> seen.add(
                                Links.parse(m) == null ? "?" : Links.parse(m).name()),
                        5000);
            }
            assertThat(seen).contains("notified");

            while (listener.receive(m -> {}, 0) > 0) {
                // drain further notifications about the bridge
            }
            // A receiver blocked forever is woken, then returns -1 once closed.
            CompletableFuture<Integer> woken = CompletableFuture.supplyAsync(() -> listener.receive(m -> {}, -1));
            listener.wakeup();
            assertThat(woken.get(5, TimeUnit.SECONDS)).isZero();
            CompletableFuture<Integer> closed = CompletableFuture.supplyAsync(() -> listener.receive(m -> {}, -1));
            listener.close();
            assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
        }
    }
}
