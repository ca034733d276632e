package dev.weft.linux.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SysctlTest {
    @Test
    void setsNetworkKeysPerNamespace() {
        try (TestNamespaces t = new TestNamespaces()) {
            NetNs a = t.create("sa");
            NetNs b = t.create("sb");
            assertThat(Sysctl.get(a, "net.ipv4.ip_forward")).isEqualTo("0");
            Sysctl.set(a, "net.ipv4.ip_forward", "1");
            Sysctl.set(a, "net.ipv4.ip_forward", "1"); // idempotent
            assertThat(Sysctl.get(a, "net.ipv4.ip_forward")).isEqualTo("1");
            assertThat(Sysctl.get(b, "net/ipv4/ip_forward"))
                    .as("b is untouched")
                    .isEqualTo("0");
            assertThatThrownBy(() -> Sysctl.set(a, "net.ipv4.ip_forward", "x"))
                    .isInstanceOf(KernelException.class)
                    .hasMessage("sysctl net.ipv4.ip_forward = x: Invalid argument (EINVAL)");
            assertThatThrownBy(() -> Sysctl.get("net.ipv4.no_such_key"))
                    .hasMessage("sysctl net.ipv4.no_such_key: No such file or directory (ENOENT)");
            assertThatThrownBy(() -> Sysctl.get("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
