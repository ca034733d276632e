package dev.weft.router.internal.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AttachHttpTest {

    @Test
    void namesUnderRunNetnsOrAbsolutePaths() {
        assertThat(AttachHttp.checkName("pod-1.a_b")).isNull();
        assertThat(AttachHttp.checkName("/proc/1234/ns/net")).isNull();
        assertThat(AttachHttp.checkName("")).contains("no namespace given");
        assertThat(AttachHttp.checkName("../etc")).contains("bad namespace name");
        assertThat(AttachHttp.checkName("a b")).contains("bad namespace name");
        assertThat(AttachHttp.checkName("x".repeat(129))).contains("bad namespace name");
    }

    @Test
    void containerIdsAreValidForEveryAcceptedName() {
        assertThat(AttachHttp.id("pod1").value()).isEqualTo("netns:pod1");
        assertThat(AttachHttp.id("/proc/1234/ns/net").value()).matches("netns:[0-9a-f]{32}");
        assertThat(AttachHttp.id("x".repeat(128)).value()).matches("netns:[0-9a-f]{32}");
    }
}
