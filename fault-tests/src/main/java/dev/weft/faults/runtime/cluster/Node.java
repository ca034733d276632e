package dev.weft.faults.runtime.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * One test host: a container on the cluster's network, with a fixed address, in which the router,
 * pods (network namespaces) and the nemesis's iptables rules live.
 *
 * <p>Thread-safety: every method may be called from any thread; commands run concurrently.
 */
public final class Node {

    private final String name;
    private final String ip;
    private final GenericContainer<?> container;
    private final Network network;
    private final NodeFirewall firewall;

    Node(String name, String ip, String subnet, GenericContainer<?> container, Network network) {
        this.name = name;
        this.ip = ip;
        this.container = container;
        this.network = network;
        this.firewall = new NodeFirewall(this, subnet);
    }

    /** The node's name, also its hostname and DNS alias on the cluster network ({@code n1}...). */
    public String name() {
        return name;
    }

    /** The node's fixed IPv4 address on the cluster network. */
    public String ip() {
        return ip;
    }

    public String containerId() {
        return container.getContainerId();
    }

    /** The nemesis's iptables rules in this node. */
    public NodeFirewall firewall() {
        return firewall;
    }

    /** Runs {@code sh -c script} in the node; blocks up to {@code timeout}. */
    public ExecResult sh(Duration timeout, String script) {
        return exec(timeout, Map.of(), "sh", "-c", script);
    }

    /** Runs {@code argv} in the node; see {@link #exec(Duration, Map, String...)}. */
    public ExecResult exec(Duration timeout, String... argv) {
        return exec(timeout, Map.of(), argv);
    }

    /**
     * Runs {@code argv} in the node as root with extra environment variables, like {@code docker
     * exec}. Blocks up to {@code timeout}; a command still running then is killed and the result
     * says it timed out (exit code -1).
     */
    public ExecResult exec(Duration timeout, Map<String, String> env, String... argv) {
        DockerClient docker = container.getDockerClient();
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        String execId = docker.execCreateCmd(containerId())
                .withCmd(argv)
                .withEnv(envList)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec()
                .getId();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ResultCallback.Adapter<Frame> cb = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame f) {
                synchronized (out) {
                    (f.getStreamType() == StreamType.STDERR ? err : out).writeBytes(f.getPayload());
                }
            }
        };
        try {
            docker.execStartCmd(execId).exec(cb);
            boolean done = cb.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            InspectExecResponse info = docker.inspectExecCmd(execId).exec();
            if (!done || Boolean.TRUE.equals(info.isRunning())) {
                killExec(info);
                closeQuietly(cb);
                return result(argv, -1, out, err);
            }
            Long code = info.getExitCodeLong();
            return result(argv, code == null ? -1 : code.intValue(), out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(cb);
            return result(argv, -1, out, err);
        }
    }

    private static ExecResult result(String[] argv, int code, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        synchronized (out) {
            return new ExecResult(
                    List.of(argv), code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** The exec's process lives in the host's pid namespace view of dockerd: kill it there. */
    private static void killExec(InspectExecResponse info) {
        Long pid = info.getPidLong();
        if (pid != null && pid > 0) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
        }
    }

    private static void closeQuietly(ResultCallback.Adapter<Frame> cb) {
        try {
            cb.close();
        } catch (java.io.IOException ignored) {
            // the stream is being abandoned anyway
        }
    }

    /** Takes the node off the cluster network: it can reach no other node ({@code docker network disconnect}). */
    public void disconnect() {
        container
                .getDockerClient()
                .disconnectFromNetworkCmd()
                .withNetworkId(network.getId())
                .withContainerId(containerId())
                .withForce(true)
                .exec();
    }

    /** Puts the node back on the cluster network with its own address and alias. */
    public void reconnect() {
        container
                .getDockerClient()
                .connectToNetworkCmd()
                .withNetworkId(network.getId())
                .withContainerId(containerId())
                .withContainerNetwork(new ContainerNetwork()
                        .withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(ip))
                        .withAliases(name))
                .exec();
    }

    /** True when the node is attached to the cluster network. */
    public boolean connected() {
        var nets = container
                .getDockerClient()
                .inspectContainerCmd(containerId())
                .exec()
                .getNetworkSettings()
                .getNetworks();
        return nets.values().stream().anyMatch(n -> network.getId().equals(n.getNetworkID()));
    }

    @Override
    public String toString() {
        return name + "(" + ip + ")";
    }
}
